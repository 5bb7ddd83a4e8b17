"""AppTest of the Explore-and-share page: the live model, imported vectors, uploads."""

import base64
import json
import tomllib
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from lab import explore_view as ev
from tests.apptest import finish_jobs, plain
from w2v_core.analysis import nearest

ROOT = Path(__file__).resolve().parents[1]
IMPORTED = "xp_imported"


def open_page(epochs: int = 5) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.number_input(key="w_epochs").set_value(epochs).run()
    at.switch_page("app_pages/explore.py").run()
    assert not at.exception
    return at


def trained_page(epochs: int = 5) -> AppTest:
    at = open_page(epochs)
    at.button(key="explore_train").click().run()
    finish_jobs(at)
    assert not at.exception
    return at


def model(at):
    return at.session_state["lesson_trainer"].trainer


def specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def array(value) -> np.ndarray:
    """A Plotly JSON array: a list, or a typed array {"dtype", "bdata", "shape"}."""
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = [int(n) for n in str(value.get("shape", len(flat))).split(",")]
        return flat.reshape(shape)
    return np.asarray(value)


def frame(at, column):
    """The dataframe that has this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_untrained_model_offers_training_then_everything_shows():
    at = open_page(epochs=5)
    assert any("not been trained yet" in i.value for i in at.info)
    assert not at.get("plotly_chart") and not at.dataframe
    at.button(key="explore_train").click().run()
    finish_jobs(at)
    assert not at.exception
    tr = model(at)
    assert tr.done and tr.epoch_ == 5  # the sidebar's epochs
    assert not any("not been trained" in i.value for i in at.info)
    # neighbours: the table is the engine's answer on W_in
    nb = frame(at, "cosine")
    want = nearest(tr.W_in_, tr.words_, "king", k=10)
    assert list(nb["word"]) == [w for w, _ in want]
    np.testing.assert_allclose(nb["cosine"], [s for _, s in want], rtol=1e-5)
    # analogy, similarity heatmap, projection
    titles = [s["layout"].get("title", {}).get("text", "") for s in specs(at)]
    assert any(t.startswith("cos(answer, b − a + c) =") for t in titles)
    assert any(t.startswith("Cosine similarity of 8 words") for t in titles)
    an = frame(at, "3CosAdd")
    view = ev.explain_analogy(ev.live_vectors(tr, "W_in"), "man", "king", "woman")
    assert list(an["3CosAdd"]) == [w for w, _ in view.add]
    proj = specs(at)[-1]
    p = ev.pca_projection(tr.W_in_, tr.words_, 2)
    assert proj["layout"]["xaxis"]["title"]["text"] == p.axis_titles[0]
    assert "% of variance" in p.axis_titles[0]
    # the lesson's categories colour the points
    assert {"male", "female"} <= {t["name"] for t in proj["data"]}
    labels = {b.label for b in at.get("download_button")}
    assert labels == {"word2vec text (.txt)", "vectors.tsv", "metadata.tsv", "Whole model (.npz)"}


def test_k_slider_matrix_choice_and_unknown_words():
    at = trained_page()
    at.slider(key="explore_k").set_value(3).run()
    assert len(frame(at, "cosine")) == 3
    at.radio(key="explore_matrix").set_value("W_out").run()
    tr = model(at)
    want = nearest(tr.W_out_, tr.words_, "king", k=3)
    assert list(frame(at, "cosine")["word"]) == [w for w, _ in want]
    at.text_input(key="explore_query").set_value("zebra").run()
    assert any("'zebra' is not in the vocabulary" in plain(w.value) for w in at.warning)
    at.text_input(key="explore_b").set_value("unicorn").run()
    assert any("'unicorn' is not in the vocabulary" in plain(w.value) for w in at.warning)
    assert not at.exception


def test_heatmap_needs_two_words():
    at = trained_page()
    at.multiselect(key="explore_heat_words").set_value(["king"]).run()
    assert any("at least two" in i.value for i in at.info)
    at.multiselect(key="explore_heat_words").set_value(["king", "queen"]).run()
    heat = next(s for s in specs(at) if s["data"][0].get("zmin") == -1)
    z = array(heat["data"][0]["z"])
    assert z.shape == (2, 2) and np.allclose(np.diag(z), 1.0)


def test_tsne_with_too_large_perplexity_gives_a_message():
    at = trained_page()
    at.radio(key="explore_method").set_value("tsne").run()
    assert any("Run t-SNE" in i.value for i in at.info)
    at.slider(key="explore_n_points").set_value(12).run()
    at.slider(key="explore_perplexity").set_value(60).run()
    at.select_slider(key="explore_iterations").set_value(250).run()
    at.button(key="explore_tsne").click().run()
    assert not at.exception
    assert any(
        "Perplexity 60 must be below the number of points (12)" in plain(i.value) for i in at.info
    )
    proj = specs(at)[-1]
    assert proj["layout"]["xaxis"]["title"]["text"] == "t-SNE 1"
    assert sum(len(array(t["x"])) for t in proj["data"]) == 12
    # a change of input asks for a new run instead of recomputing
    at.slider(key="explore_n_points").set_value(13).run()
    assert any("changed since the last t-SNE" in i.value for i in at.info)


def test_3d_switch_and_highlight():
    at = trained_page()
    at.toggle(key="explore_3d").set_value(True).run()
    at.text_input(key="explore_search").set_value("queen, zzz").run()
    assert not at.exception
    proj = specs(at)[-1]
    assert {t["type"] for t in proj["data"]} == {"scatter3d"}
    assert proj["layout"]["scene"]["zaxis"]["title"]["text"].startswith("PC 3 (")
    lit = next(t for t in proj["data"] if t["name"] == "highlighted")
    assert lit["text"] == ["queen"] and lit["marker"]["symbol"] == "circle-open"
    assert any("Not in the vocabulary: zzz" in w.value for w in at.warning)


def test_projection_is_kept_while_its_inputs_stay():
    at = trained_page()
    first = at.session_state["xp_pca"]
    at.text_input(key="explore_search").set_value("king").run()  # drawing only
    assert at.session_state["xp_pca"] is first
    at.slider(key="explore_n_points").set_value(10).run()
    assert at.session_state["xp_pca"] is not first
    assert len(at.session_state["xp_pca"].words) == 10


def test_imported_vectors_and_a_malformed_upload_keeps_them():
    at = trained_page()
    rng = np.random.default_rng(0)
    words = tuple(f"w{i}" for i in range(20))
    vec = ev.Vectors(words, rng.normal(size=(20, 4)), "mine.txt", "word2vec text file mine.txt")
    at.session_state[IMPORTED] = vec
    at.run()
    at.radio(key="explore_source").set_value("imported").run()
    assert not at.exception
    # the word boxes move to words of the imported vocabulary
    assert at.text_input(key="explore_query").value in words
    nb = frame(at, "cosine")
    want = nearest(vec.W, vec.words, at.text_input(key="explore_query").value, k=10)
    assert list(nb["word"]) == [w for w, _ in want]
    assert {b.label for b in at.get("download_button")} == {
        "word2vec text (.txt)",
        "vectors.tsv",
        "metadata.tsv",
    }
    bad = b"3 2\nalpha 1 0\nbeta 0.5 oops\ngamma 0 1\n"
    at.file_uploader(key="explore_upload").set_value(("bad.txt", bad, "text/plain")).run()
    assert not at.exception
    assert any("line 3" in plain(e.value) and "bad.txt" in plain(e.value) for e in at.error)
    assert any("kept" in e.value for e in at.error)
    assert at.session_state[IMPORTED] is vec
    assert at.radio(key="explore_source").value == "imported"


def test_upload_of_a_model_file_switches_to_it():
    at = trained_page()
    data = ev.model_npz_bytes(model(at))
    at.file_uploader(key="explore_upload").set_value(("m.npz", data, "application/zip")).run()
    assert not at.exception and not at.error
    got = at.session_state[IMPORTED]
    assert at.radio(key="explore_source").value == "imported"
    np.testing.assert_array_equal(got.W, model(at).W_in_)
    assert any("Imported **m.npz**" in plain(s.value) for s in at.success)


def test_training_that_diverges_shows_an_error():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.number_input(key="w_alpha").set_value(50.0).run()
    at.switch_page("app_pages/explore.py").run()
    at.button(key="explore_train").click().run()
    finish_jobs(at)
    assert not at.exception
    assert any("diverged" in e.value for e in at.error)
    assert np.isfinite(model(at).W_in_).all()


def test_upload_caps():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["maxUploadSize"] == ev.MAX_UPLOAD_MB
    at = open_page()
    assert at.file_uploader(key="explore_upload").proto.max_upload_size_mb == ev.MAX_UPLOAD_MB
    # the sidebar's corpus uploader keeps its own, smaller cap and still works
    at.radio(key="w_source").set_value("upload").run()
    up = at.file_uploader(key="w_upload")
    assert up.proto.max_upload_size_mb == 2
    text = b"the cat sat on the mat\nthe dog sat on the log\n" * 5
    up.set_value(("corpus.txt", text, "text/plain")).run()
    assert not at.exception
    s = at.session_state["lesson_settings"]
    assert s.source == "upload" and s.text_name == "corpus.txt"


def test_projector_pair_upload_and_first_failed_import():
    at = trained_page()
    at.file_uploader(key="explore_upload_tsv").set_value(
        ("vectors.tsv", b"1\t0\n0\t1\n1\t1\n", "text/tab-separated-values")
    ).run()
    assert IMPORTED not in at.session_state  # waits for the second file
    at.file_uploader(key="explore_upload_meta").set_value(
        ("metadata.tsv", b"left\nright\n", "text/tab-separated-values")
    ).run()
    assert not at.exception
    assert any("3 rows" in e.value and "Nothing was changed" in e.value for e in at.error)
    assert IMPORTED not in at.session_state
    assert at.radio(key="explore_source").value == "live"
    at.file_uploader(key="explore_upload_meta").set_value(
        ("metadata.tsv", b"left\nright\nboth\n", "text/tab-separated-values")
    ).run()
    assert not at.error
    assert at.session_state[IMPORTED].words == ("left", "right", "both")
    assert at.radio(key="explore_source").value == "imported"


def test_changed_settings_keep_the_trained_model_until_asked():
    at = trained_page()
    tr = model(at)
    at.number_input(key="w_epochs").set_value(3).run()
    assert any("changed since your model was trained" in w.value for w in at.warning)
    assert model(at) is tr and len(frame(at, "cosine")) == 10
    at.button(key="explore_new_model").click().run()
    assert model(at) is not tr and model(at).config.epochs == 3
    assert any("not been trained yet" in i.value for i in at.info)


def test_the_heatmap_caption_names_the_colours_the_figure_draws():
    at = trained_page()
    heat = next(s for s in specs(at) if s["data"][0].get("zmin") == -1)
    scale = heat["data"][0]["colorscale"]  # [[0, colour at -1], ..., [1, colour at +1]]

    def rgb(c):
        return [int(x) for x in c[c.index("(") + 1 : c.index(")")].split(",")]

    low, high = rgb(scale[0][1]), rgb(scale[-1][1])
    assert low[0] > low[2] and high[2] > high[0]  # -1 is red, +1 is blue
    caption = next(c.value for c in at.caption if "similar directions" in c.value)
    assert caption.startswith("Blue: similar directions (cosine near +1)")
    assert "red: opposite (near −1)" in caption
    assert any("d = 100 to 300" in c.value for c in at.caption)  # the usual sizes are named


def test_a_corpus_without_a_suggested_analogy_gets_one_from_its_vocabulary():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.selectbox(key="w_preset").set_value("animals_vehicles").run()
    at.number_input(key="w_epochs").set_value(5).run()
    at.switch_page("app_pages/explore.py").run()
    at.button(key="explore_train").click().run()
    finish_jobs(at)
    assert not at.exception
    tr = model(at)
    les = at.session_state["lesson_settings"]
    from lab.lesson import build_lesson

    lesson = build_lesson(les)
    assert lesson.analogies == ()  # the preset suggests none
    sug = ev.suggested_analogy(tr.words_, lesson.analogies, lesson.categories)
    boxes = [at.text_input(key=f"explore_{n}").value for n in "abc"]
    assert boxes == [sug.a, sug.b, sug.c] and len(set(boxes)) == 3
    assert lesson.categories[sug.a] == lesson.categories[sug.c] != lesson.categories[sug.b]
    assert any("suggests no analogy" in plain(c.value) for c in at.caption)
    view = ev.explain_analogy(ev.live_vectors(tr, "W_in"), *boxes)
    assert list(frame(at, "3CosAdd")["3CosAdd"]) == [w for w, _ in view.add]
    answer = view.add[0][0]
    verdict = "as expected" if lesson.categories.get(answer) == sug.category else "not a"
    assert any(verdict in plain(m.value) for m in at.markdown if "3CosAdd" in m.value)


def test_the_royalty_analogy_is_checked_against_its_expected_answer():
    at = trained_page(epochs=20)
    boxes = [at.text_input(key=f"explore_{n}").value for n in "abc"]
    assert boxes == ["man", "king", "woman"]
    view = ev.explain_analogy(ev.live_vectors(model(at), "W_in"), *boxes)
    want = "as expected" if view.add[0][0] == "queen" else "not 'queen'"
    assert any(want in plain(m.value) for m in at.markdown)
    assert any("corpus's own suggested analogy" in plain(c.value) for c in at.caption)


def test_hierarchical_softmax_rows_sentence_is_true():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.radio(key="w_loss").set_value("hs").run()
    at.number_input(key="w_epochs").set_value(2).run()
    at.switch_page("app_pages/explore.py").run()
    assert at.radio(key="explore_matrix").options == ["W_in (= E)"]
    assert any(ev.HS_ROWS == c.value for c in at.caption)
    tr = model(at)
    V = len(tr.words_)
    nodes = tr.tree_.points[tr.tree_.points >= 0]  # every inner node on every word's path
    assert nodes.max() == V - 2 and len(set(nodes.tolist())) == V - 1  # rows 0..V-2 only


def test_sections_are_drawn_alone_as_the_tour_does(monkeypatch):
    from lab import tour

    at = trained_page()
    step = tour.Step("explore.py", ("analogies",), "idea", "look")
    monkeypatch.setattr(tour, "steps", lambda: (step,))
    at.session_state[tour.STEP] = 0
    at.run()
    assert not at.exception
    assert [h.value for h in at.main.header] == ["Analogies"]
    assert list(frame(at, "3CosAdd")["3CosAdd"])  # the answers, without the other sections
