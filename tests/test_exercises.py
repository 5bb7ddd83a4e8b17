"""Exercises: answers compared as a person would, progress recorded and exported."""

import csv
import io

from lab.exercises import Exercise, Progress, check, instance_rng, parse_pairs


def ex(kind, answer, **kw):
    return Exercise("t.one", "Test page", "A question?", kind, answer, **kw)


def test_answers_are_compared_leniently_but_not_loosely():
    assert check(ex("word", "Queen"), "  queen ")
    assert not check(ex("word", "queen"), "king")
    assert check(ex("words", ("a", "b")), "b, a") and not check(ex("words", ("a", "b")), "a")
    pairs = (("the", "king"), ("king", "the"))
    assert check(ex("pairs", pairs), "(king, the) (the, king)")
    assert check(ex("pairs", pairs), "the king; king the")
    assert not check(ex("pairs", pairs), "(the, king)")
    assert check(ex("number", 10, tolerance=0), "10") and not check(ex("number", 10), "11")
    assert check(ex("number", 0.5, tolerance=0.01), "0.505")
    assert not check(ex("number", 1), "nan") and not check(ex("word", "a"), None)
    assert check(ex("choice", "10 × 1", options=("1 × 10", "10 × 1")), "10 × 1")


def test_parse_pairs_reads_both_ways_of_writing():
    assert parse_pairs("(a, b), (c,d)") == (("a", "b"), ("c", "d"))
    assert parse_pairs("a b\nc d") == (("a", "b"), ("c", "d"))


def test_a_new_corpus_makes_a_new_instance_and_the_seed_fixes_choices():
    a, b = ex("word", "queen"), ex("word", "apple")
    assert a.instance != b.instance and a.instance == ex("word", "queen").instance
    assert instance_rng(3, "k").integers(1000) == instance_rng(3, "k").integers(1000)
    assert instance_rng(3, "k").integers(10**9) != instance_rng(4, "k").integers(10**9)


def test_progress_counts_solved_and_revealed_and_writes_csv():
    e1, e2 = ex("word", "queen"), Exercise("t.two", "Test page", "=SUM(A1)?", "number", 3)
    p = Progress().tried(e1, False).tried(e1, True).revealed(e2).tried(e2, True)
    assert (p.n_tried, p.n_solved) == (2, 1)  # a revealed answer does not count as solved
    rows = list(csv.DictReader(io.StringIO(p.csv())))
    assert (rows[0]["exercise"], rows[0]["tries"], rows[0]["solved"]) == ("t.one", "2", "True")
    assert rows[1]["question"].startswith("'=")  # never a spreadsheet formula
