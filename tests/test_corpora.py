"""Preset corpora and the generated corpus with known categories and analogies."""

import numpy as np
import pytest

from w2v_core.corpora import PRESETS, Preset, preset_categories, preset_text
from w2v_core.errors import ConfigError, CorpusError
from w2v_core.generated import GeneratedCorpus, generate_corpus
from w2v_core.tokenize import tokenize

TOY = ("royalty", "fruit", "animals_vehicles")


# --------------------------------------------------------------------------
# presets


def test_expected_presets_exist():
    assert {"fox", "nlp", *TOY} <= set(PRESETS)
    for key, preset in PRESETS.items():
        assert isinstance(preset, Preset)
        assert preset.key == key
        assert preset.title and preset.description
        assert preset_text(key) == preset.text


@pytest.mark.parametrize("key", list(PRESETS))
def test_presets_tokenize_to_non_empty_sentences(key):
    sentences = tokenize(preset_text(key))
    assert sentences
    assert all(sentences)


def test_fox_tokens():
    assert tokenize(preset_text("fox")) == [
        ["the", "quick", "brown", "fox", "jumped", "over", "the", "lazy", "dog"]
    ]


def test_nlp_is_three_sentences():
    assert preset_text("nlp") == "I like deep learning. I like NLP. I enjoy flying."
    assert tokenize(preset_text("nlp")) == [
        ["i", "like", "deep", "learning"],
        ["i", "like", "nlp"],
        ["i", "enjoy", "flying"],
    ]


@pytest.mark.parametrize("key", TOY)
def test_toy_presets_are_small_and_categorised(key):
    sentences = tokenize(preset_text(key))
    vocab = {w for s in sentences for w in s}
    assert 30 <= len(sentences) <= 400
    assert len(vocab) <= 60
    # one sentence per line, already lower-case words
    assert sentences == [line.split() for line in preset_text(key).splitlines()]
    categories = preset_categories(key)
    assert len(set(categories.values())) >= 2
    assert set(categories) <= vocab


def test_royalty_has_the_classic_analogy_words():
    vocab = {w for s in tokenize(preset_text("royalty")) for w in s}
    assert {"king", "queen", "man", "woman", "prince", "princess", "boy", "girl"} <= vocab


PEOPLE = ("king", "queen", "prince", "princess", "man", "woman", "boy", "girl")


def test_royalty_treats_the_eight_people_alike():
    """Each line is one pattern said of one person, in groups of eight: swapping the
    person's word for a placeholder gives the same pattern across a group, and every
    person occurs equally often (the demo needs the people to differ only by attribute)."""
    lines = preset_text("royalty").splitlines()
    assert len(lines) % len(PEOPLE) == 0
    for i in range(0, len(lines), len(PEOPLE)):
        group = [line.split() for line in lines[i : i + len(PEOPLE)]]
        who = [next(w for w in words if w in PEOPLE) for words in group]
        assert who == list(PEOPLE)
        lengths = {len(words) for words in group}
        assert len(lengths) == 1
    counts = {p: sum(line.split().count(p) for line in lines) for p in PEOPLE}
    assert len(set(counts.values())) == 1, counts


def test_royalty_attribute_words_follow_the_attributes():
    """A pronoun names the person's gender; 'royal'/'common' and 'old'/'young' name the
    royalty and age; all of them within two words of the person (the default window)."""
    male = {"king", "prince", "man", "boy"}
    royal = {"king", "queen", "prince", "princess"}
    adult = {"king", "queen", "man", "woman"}
    near = {}
    for line in preset_text("royalty").splitlines():
        words = line.split()
        i = next(j for j, w in enumerate(words) if w in PEOPLE)
        near.setdefault(words[i], set()).update(words[max(0, i - 2) : i + 3])
    for p in PEOPLE:
        assert ("he" in near[p]) == (p in male) and ("she" in near[p]) == (p not in male)
        assert ("royal" in near[p]) == (p in royal) and ("common" in near[p]) == (p not in royal)
        assert ("old" in near[p]) == (p in adult) and ("young" in near[p]) == (p not in adult)


@pytest.mark.parametrize("key", list(PRESETS))
def test_suggested_analogies_are_in_the_text_and_the_description(key):
    preset = PRESETS[key]
    vocab = {w for s in tokenize(preset.text) for w in s}
    for quad in preset.analogies:
        assert len(quad) == 4 and len(set(quad)) == 4
        assert set(quad) <= vocab
        assert all(w in preset.description for w in quad[:3])
    assert ("try" in preset.description) == bool(preset.analogies)


def test_categories_empty_for_plain_presets_and_a_copy():
    assert preset_categories("fox") == {}
    assert preset_categories("nlp") == {}
    preset_categories("fruit")["apple"] = "changed"
    assert preset_categories("fruit")["apple"] == "fruit"


def test_unknown_preset_lists_valid_keys():
    for lookup in (preset_text, preset_categories):
        with pytest.raises(CorpusError, match="royalty") as info:
            lookup("nope")
        assert all(key in str(info.value) for key in PRESETS)


# --------------------------------------------------------------------------
# generated corpus


@pytest.fixture(scope="module")
def corpus() -> GeneratedCorpus:
    return generate_corpus()


def test_deterministic_for_a_seed():
    a, b = generate_corpus(5_000, seed=3), generate_corpus(5_000, seed=3)
    assert a == b


def test_other_seed_gives_other_text():
    assert generate_corpus(5_000, seed=0).text != generate_corpus(5_000, seed=1).text


@pytest.mark.parametrize("n", [50, 1_000, 20_000, 100_000])
def test_hits_token_count(n):
    gc = generate_corpus(n, seed=7)
    longest = max(len(s) for s in gc.sentences)
    assert gc.n_tokens == sum(len(s) for s in gc.sentences)
    assert abs(gc.n_tokens - n) <= longest


def test_text_is_lower_case_space_separated(corpus):
    lines = corpus.text.splitlines()
    assert corpus.text == corpus.text.lower()
    assert "  " not in corpus.text and "\t" not in corpus.text
    assert all(line and line == line.strip() for line in lines)
    assert tokenize(corpus.text) == [line.split() for line in lines]
    assert corpus.sentences == [line.split() for line in lines]


def test_categories_cover_analogies(corpus):
    assert len(set(corpus.categories.values())) >= 8
    assert len(corpus.analogies) >= 50
    for quad in corpus.analogies:
        assert len(quad) == 4 and len(set(quad)) == 4
        assert all(w in corpus.categories for w in quad)
    assert ("king", "queen", "man", "woman") in corpus.analogies


def test_ground_truth_only_mentions_words_in_the_text():
    for n in (50, 1_000, 20_000):
        gc = generate_corpus(n)
        vocab = set(gc.text.split())
        assert set(gc.categories) <= vocab
        assert all(w in gc.categories for quad in gc.analogies for w in quad)
    # function words carry no category
    assert "the" in vocab and "the" not in gc.categories


def test_categories_are_balanced(corpus):
    sizes = {}
    for category in corpus.categories.values():
        sizes[category] = sizes.get(category, 0) + 1
    assert all(6 <= n <= 12 for n in sizes.values()), sizes
    counts = {}
    for w in corpus.text.split():
        counts[w] = counts.get(w, 0) + 1
    freq = np.array([counts[w] for w in corpus.categories])
    assert freq.min() >= freq.max() / 4  # no content word is starved of contexts


@pytest.mark.parametrize("n", [0, 49, 5_000_001, -10, 1000.0, "1000", True])
def test_bad_n_tokens(n):
    with pytest.raises(ConfigError):
        generate_corpus(n)


def test_accepts_numpy_integer():
    assert generate_corpus(np.int64(500)).n_tokens > 0
