"""AppTest of page 2 (co-occurrence matrix), driven through the real sidebar."""

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lab.cooc_view import counts_and_ppmi
from lab.lesson import Settings, build_lesson
from w2v_core.corpora import PRESETS
from w2v_core.pairs import pair_count

ROOT = Path(__file__).resolve().parents[1]
PAGE = "app_pages/cooccurrence.py"


def arr(value) -> np.ndarray:
    """A Plotly JSON array (plain list or base64 typed array) as NumPy."""
    if isinstance(value, dict) and "bdata" in value:
        a = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        return a.reshape([int(n) for n in str(shape).split(",")]) if shape else a
    return np.asarray(value)


def open_page(**sidebar) -> AppTest:
    """The page after setting sidebar widgets (key -> value, in order)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    for key, value in sidebar.items():
        widget = next(w for w in at.sidebar if getattr(w, "key", None) == key)
        widget.set_value(value)
        at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.title[0].value == "2. Co-occurrence matrix"
    return at


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def chart(at, key: str) -> dict:
    el = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(key))
    return json.loads(el.proto.spec)


def heatmap(at) -> tuple[np.ndarray, list[str]]:
    trace = chart(at, "cooc_heatmap")["data"][0]
    return arr(trace["z"]).astype(float), list(trace["x"])


def total(at) -> int:
    return int(metric(at, "ΣC").replace(",", ""))


def test_default_corpus():
    at = open_page()
    les = build_lesson(Settings())
    V = len(les.vocab)
    C, _ = counts_and_ppmi(les.corpus, V, 2)
    assert at.slider(key="cooc_window").value == 2  # starts at the sidebar's window
    assert metric(at, "V") == f"{V:,}"
    assert metric(at, "Non-zero") == f"{C.count_nonzero():,}"
    assert total(at) == pair_count(les.corpus, 2)
    z, labels = heatmap(at)
    n = at.slider(key="cooc_top_n").value
    assert labels == list(les.vocab.words[:n])
    np.testing.assert_array_equal(z, C.toarray()[:n, :n])
    assert metric(at, "Equal?") == "yes"
    assert not at.error


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset(preset):
    at = open_page(w_preset=preset)
    les = build_lesson(Settings(preset=preset))
    assert metric(at, "V") == f"{len(les.vocab):,}"
    assert total(at) == pair_count(les.corpus, 2)
    assert metric(at, "Equal?") == "yes"
    assert len(at.dataframe[0].value) > 0  # ranked similar rows
    assert chart(at, "cooc_svd_scatter")["data"]


def test_generated_corpus():
    at = open_page(w_source="generated", w_gen_tokens=3_000)
    les = build_lesson(Settings(source="generated", generated_tokens=3_000))
    assert metric(at, "V") == f"{len(les.vocab):,}"
    assert total(at) == pair_count(les.corpus, 2)
    z, labels = heatmap(at)
    assert len(labels) == at.slider(key="cooc_top_n").value <= 60
    # the scatter keeps only words with a known category by default
    names = {t["name"] for t in chart(at, "cooc_svd_scatter")["data"]}
    assert "other" not in names and len(names - {"highlighted"}) >= 2


def test_window_slider_changes_the_counts():
    at = open_page()
    les = build_lesson(Settings())
    before, nnz_before = total(at), metric(at, "Non-zero")
    z_before, _ = heatmap(at)
    at.slider(key="cooc_window").set_value(5).run()
    assert not at.exception
    assert total(at) == pair_count(les.corpus, 5) > before
    assert metric(at, "Non-zero") != nnz_before
    z_after, _ = heatmap(at)
    assert z_after.sum() > z_before.sum()
    assert metric(at, "Skip-gram pairs") == f"{pair_count(les.corpus, 5):,}"


def test_page_window_follows_the_sidebar():
    at = open_page(w_window=4)
    assert at.slider(key="cooc_window").value == 4
    at.slider(key="cooc_window").set_value(1).run()
    assert at.slider(key="cooc_window").value == 1  # the page's own choice holds...
    at.slider(key="w_window").set_value(6).run()
    assert at.slider(key="cooc_window").value == 6  # ...until the sidebar moves


def test_counts_ppmi_toggle_changes_the_heatmap():
    at = open_page()
    les = build_lesson(Settings())
    C, P = counts_and_ppmi(les.corpus, len(les.vocab), 2)
    z_counts, _ = heatmap(at)
    at.radio(key="cooc_measure").set_value("ppmi").run()
    assert not at.exception
    z_ppmi, _ = heatmap(at)
    n = len(z_ppmi)
    assert not np.array_equal(z_counts, z_ppmi)
    np.testing.assert_allclose(z_ppmi, P.toarray()[:n, :n])
    spec = chart(at, "cooc_heatmap")["data"][0]
    assert spec["colorbar"]["title"]["text"] == "PPMI(i, j)"


def test_top_n_slider_sets_the_heatmap_size():
    at = open_page(w_preset="animals_vehicles")
    at.slider(key="cooc_top_n").set_value(12).run()
    z, labels = heatmap(at)
    assert z.shape == (12, 12) and len(labels) == 12


def test_row_pickers_compare_two_rows():
    at = open_page()
    les = build_lesson(Settings())
    C, P = counts_and_ppmi(les.corpus, len(les.vocab), 2)
    X = C.toarray() / np.linalg.norm(C.toarray(), axis=1, keepdims=True)
    cos = X @ X.T
    np.fill_diagonal(cos, -1)
    a, b = (les.vocab.id(at.selectbox(key=k).value) for k in ("cooc_word_a", "cooc_word_b"))
    assert cos[a, b] == pytest.approx(cos.max())  # the pickers start on the most similar rows
    at.selectbox(key="cooc_word_a").set_value("king").run()
    at.selectbox(key="cooc_word_b").set_value("queen").run()
    assert not at.exception
    rows = C.toarray()[[les.vocab.id("king"), les.vocab.id("queen")]]
    cos = rows[0] @ rows[1] / np.linalg.norm(rows[0]) / np.linalg.norm(rows[1])
    assert metric(at, "cos counts") == f"{cos:.3f}"
    bars = chart(at, "cooc_row_pair")["data"]
    assert bars[0]["name"] == "row of 'king'" and bars[1]["name"] == "row of 'queen'"
    at.selectbox(key="cooc_word_b").set_value("king").run()
    assert any("two different words" in w.value for w in at.warning)


@pytest.mark.parametrize("text", ["a b\nb", "a\nb", "x y x y x"])
def test_tiny_corpora(text):
    at = open_page(w_source="paste", w_paste=text)
    assert not at.exception
    assert metric(at, "V") == "2"
    les = build_lesson(Settings(source="paste", text=text))
    assert total(at) == pair_count(les.corpus, 2)


def test_pickers_restart_on_the_new_corpus_top_pair():
    at = open_page()
    at.selectbox(key="cooc_word_a").set_value("the").run()
    at.selectbox(key="w_preset").set_value("animals_vehicles").run()
    assert not at.exception
    pair = {at.selectbox(key="cooc_word_a").value, at.selectbox(key="cooc_word_b").value}
    assert pair == {"dog", "cat"}


# the well-known 8×8 matrix of "I like deep learning. I like NLP. I enjoy flying." (window 1,
# "." counted as a word), in the order of the Stanford CS224n table
CS224N_WORDS = ["i", "like", "enjoy", "deep", "learning", "nlp", "flying", "."]
CS224N = np.array([
    [0, 2, 1, 0, 0, 0, 0, 0],
    [2, 0, 0, 1, 0, 1, 0, 0],
    [1, 0, 0, 0, 0, 0, 1, 0],
    [0, 1, 0, 0, 1, 0, 0, 0],
    [0, 0, 0, 1, 0, 0, 0, 1],
    [0, 1, 0, 0, 0, 0, 0, 1],
    [0, 0, 1, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 1, 1, 1, 0],
])  # fmt: skip


def example(at) -> tuple[np.ndarray, list[str]]:
    trace = chart(at, "cooc_example_heatmap")["data"][0]
    return arr(trace["z"]).astype(float), list(trace["x"])


def test_keep_punctuation_reproduces_the_8x8_matrix():
    at = open_page()
    at.radio(key="cooc_example").set_value("cs224n").run()
    assert at.slider(key="cooc_example_window").value == 1
    z, labels = example(at)
    assert len(labels) == 7 and "." not in labels  # the tokenizer drops the full stops
    at.toggle(key="cooc_example_punct").set_value(True).run()
    assert not at.exception
    z, labels = example(at)
    order = [labels.index(w) for w in CS224N_WORDS]
    np.testing.assert_array_equal(z[np.ix_(order, order)], CS224N)
    at.slider(key="cooc_example_window").set_value(2).run()  # a wider window counts more
    z2, _ = example(at)
    assert z2.sum() > z.sum()


def test_the_articles_example_discusses_like_and_love_from_the_counts():
    from lab.cooc_view import EXAMPLES, example_sentences, row_story, small_matrix

    at = open_page()
    at.radio(key="cooc_example").set_value("article").run()
    for m in (1, 2):
        at.slider(key="cooc_example_window").set_value(m).run()
        assert not at.exception
        z, labels = example(at)
        assert labels == ["i", "love", "nlp", "and", "like", "dogs"]
        li, lo = labels.index("like"), labels.index("love")
        cos = z[li] @ z[lo] / np.linalg.norm(z[li]) / np.linalg.norm(z[lo])
        text = " ".join(i.value for i in at.info)
        assert f"Their cosine is {cos:.3f}" in text
        words, C = small_matrix(example_sentences(EXAMPLES["article"][0]), m)
        assert row_story(words, C, "like", "love")["cos"] == pytest.approx(cos)


def test_svd_text_says_same_idea_as_lsa():
    at = open_page()
    text = " ".join(m.value for m in at.markdown)
    assert "same idea as Latent Semantic Analysis" in text and "term–document" in text


def solve(at, ex, given: str):
    at.text_input(key=f"ex_{ex.key}_{ex.instance}").input(given).run()
    at.button(key=f"ex_check_{ex.key}_{ex.instance}").click().run()
    assert not at.exception


def rights(at) -> int:
    return sum(x.value.startswith("Right.") for x in at.success)


def wrongs(at) -> int:
    return sum("Not quite" in x.value for x in at.error)


@pytest.mark.parametrize("preset,window", [("royalty", 2), ("nlp", 1)])
def test_exercises_solve_with_the_models_answer(preset, window):
    from lab.cooc_view import exercises

    at = open_page(w_preset=preset, w_window=window)
    s = Settings(preset=preset, window=window)
    les = build_lesson(s)
    exs = exercises(les, s)
    assert {e.key for e in exs} == {"cooc.count", "cooc.neighbours", "cooc.zero"}
    C, _ = counts_and_ppmi(les.corpus, len(les.vocab), window)
    ex = {e.key: e for e in exs}
    x, y = (les.vocab.id(w.replace("\\", "")) for w in ex["cooc.count"].prompt.split("**")[1::2])
    assert ex["cooc.count"].answer == C.toarray()[x, y] > 0
    assert ex["cooc.zero"].answer == pytest.approx(100 * (1 - C.count_nonzero() / C.shape[0] ** 2),
                                                   abs=0.05)  # fmt: skip
    for n, e in enumerate(exs):
        solve(at, e, str(e.answer))
        assert rights(at) == 1 and wrongs(at) == n, e.key
        solve(at, e, str(e.answer + 2))  # off by more than any tolerance
        assert rights(at) == 0 and wrongs(at) == n + 1, e.key
