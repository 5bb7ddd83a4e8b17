"""Every numeric call into LAPACK, ARPACK or scikit-learn survives degenerate input.

scikit-learn's t-SNE with ``init="pca"`` on rows without variance divided by a zero
standard deviation and crashed the whole server in its Barnes-Hut tree (exit 139,
every session lost). Each entry point that projects or factorises vectors gets the
same degenerate inputs: all zero, all equal, NaN/inf, one row, one column, two
distinct rows among many, float32 extremes. It must give a finite answer or a
W2VError with a message, never a crash. The crash cases run in a child process, so
that a regression fails one test instead of killing the test run.
"""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from scipy import sparse

from lab import cooc_view, count_view, live
from lab import explore_view as ev
from lab.lesson import Settings, build_lesson
from tests.conftest import ROOT
from w2v_core.cooccur import svd_embeddings
from w2v_core.errors import W2VError
from w2v_core.projection import pca, procrustes_align, tsne

RNG = np.random.default_rng(0)
N = 30  # rows of the degenerate inputs


def degenerate() -> dict[str, np.ndarray]:
    """Inputs with no or little variance, odd shapes and extreme values; (N, d) each."""
    two = np.zeros((N, 5))
    two[0] = 1.0
    mostly = np.ones((N, 8))
    mostly[:3] = RNG.normal(size=(3, 8))
    return {
        "zeros": np.zeros((N, 5)),
        "constant": np.full((N, 5), 0.25),
        "one_row": RNG.normal(size=(1, 5)),
        "two_rows": RNG.normal(size=(2, 5)),
        "one_column": RNG.normal(size=(N, 1)),
        "one_column_constant": np.ones((N, 1)),
        "two_distinct_rows": two,
        "mostly_identical": mostly,
        "tiny_spread": np.ones((N, 5)) + RNG.normal(size=(N, 5)) * 1e-300,
        "float32_extremes": np.where(RNG.random((N, 5)) < 0.5, 3.4e38, -3.4e38),
        "subnormal": np.vstack([np.zeros((N - 1, 4)), np.full((1, 4), 5e-324)]),
    }


NOT_FINITE = {
    "nan": np.full((N, 5), np.nan),
    "inf_in_one_row": np.vstack([np.zeros((N - 1, 5)), [[np.inf, 0, 0, 0, 0]]]),
}


def finite_or_message(call):
    """The call's result (checked finite where it is an array), or its W2VError message."""
    try:
        out = call()
    except W2VError as e:
        assert str(e) and len(str(e)) < 300
        return str(e)
    for a in out if isinstance(out, tuple) else (out,):
        if isinstance(a, np.ndarray):
            assert np.isfinite(a).all()
    return out


# ---- the engine --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(degenerate()))
@pytest.mark.parametrize("k", [1, 2, 3])
def test_pca_is_finite_on_any_finite_input(name, k):
    X = degenerate()[name]
    p = pca(X, k)
    assert p.points.shape == (len(X), k) and p.explained.shape == (k,)
    assert np.isfinite(p.points).all() and np.isfinite(p.explained).all()
    assert 0 <= p.explained.sum() <= 1 + 1e-9
    if name in ("zeros", "constant", "one_row", "tiny_spread", "one_column_constant"):
        assert not p.points.any() and not p.explained.any()  # no variance, no axes


@pytest.mark.parametrize("name", list(NOT_FINITE))
def test_pca_refuses_nan_and_inf_with_a_message(name):
    with pytest.raises(W2VError, match="NaN or infinite"):
        pca(NOT_FINITE[name])
    with pytest.raises(W2VError, match="NaN or infinite"):
        tsne(NOT_FINITE[name])


@pytest.mark.parametrize("bad", [np.zeros((4, 0)), np.zeros(5), np.zeros((2, 2, 2)), "text"])
def test_projections_refuse_shapes_that_are_not_rows(bad):
    for f in (pca, tsne):
        with pytest.raises(W2VError):
            f(bad)


@pytest.mark.parametrize("name", ["zeros", "constant", "tiny_spread", "one_column_constant"])
def test_tsne_refuses_identical_rows_with_a_message(name):
    with pytest.raises(W2VError, match="identical"):
        tsne(degenerate()[name])


@pytest.mark.parametrize("name", ["one_row", "two_rows"])
def test_tsne_needs_three_rows(name):
    with pytest.raises(W2VError, match="at least 3"):
        tsne(degenerate()[name])


@pytest.mark.parametrize(
    "name", ["one_column", "two_distinct_rows", "mostly_identical", "float32_extremes", "subnormal"]
)
@pytest.mark.parametrize("dims", [2, 3])
def test_tsne_lays_out_low_variance_rows(name, dims):
    X = degenerate()[name]
    Y = tsne(X, dims, perplexity=50, max_iter=250)  # perplexity above n: lowered
    assert Y.shape == (len(X), dims) and np.isfinite(Y).all()


def test_tsne_warm_start_from_any_previous_layout():
    X = RNG.normal(size=(12, 4))
    for init in (np.zeros((12, 2)), np.full((12, 2), np.nan), np.ones((3, 2)), None):
        Y = tsne(X, 2, 5, 250, init=init)
        assert Y.shape == (12, 2) and np.isfinite(Y).all()


def test_procrustes_leaves_unmatched_layouts_alone():
    X = RNG.normal(size=(5, 2))
    assert procrustes_align(X, np.full((5, 2), np.nan)) is not None
    np.testing.assert_array_equal(procrustes_align(X, np.zeros((4, 2))), X)
    assert np.isfinite(procrustes_align(np.zeros((5, 2)), X)).all()


@pytest.mark.parametrize(
    "M",
    [
        np.zeros((5, 5)),
        np.ones((1, 1)),
        np.zeros((1, 1)),
        sparse.csr_array((2500, 2500)),  # ARPACK cannot start on a zero matrix
        sparse.csr_array(np.ones((2100, 2100))),
        np.diag([1.0, 0, 0]),
    ],
    ids=["zeros", "one", "one_zero", "sparse_zeros_arpack", "constant_arpack", "rank_one"],
)
def test_svd_embeddings_on_degenerate_counts(M):
    E = svd_embeddings(M, dim=10)
    assert E.shape[0] == M.shape[0] and np.isfinite(E).all()


@pytest.mark.parametrize(
    "M", [np.full((3, 3), np.nan), np.zeros((0, 0)), np.zeros((2, 3))], ids=["nan", "empty", "2x3"]
)
def test_svd_embeddings_refuses_what_it_cannot_factorise(M):
    with pytest.raises(W2VError):
        svd_embeddings(M, dim=2)


# ---- every caller in the app ---------------------------------------------------------------


@pytest.mark.parametrize("name", [*degenerate(), *NOT_FINITE])
def test_live_frames(name):
    X = {**degenerate(), **NOT_FINITE}[name]
    finite_or_message(lambda: live.pca_frame(X, None).points)
    prev = live.Frame(RNG.normal(size=(len(X), 2)), np.zeros(2), 0, 0, ([-1, 1], [-1, 1]))
    finite_or_message(lambda: live.tsne_frame(X, prev, 5, 0, 250).points)
    finite_or_message(lambda: live.tsne_frame(X, None, 5, 0, 250).points)


@pytest.mark.parametrize("name", list(degenerate()))
def test_explore_projections(name):
    X = degenerate()[name]
    words = [f"w{i}" for i in range(len(X))]
    for dims in (2, 3):
        finite_or_message(lambda dims=dims: ev.pca_projection(X, words, dims).points)
        finite_or_message(lambda dims=dims: ev.tsne_projection(X, words, dims, 30, 250).points)


@pytest.mark.parametrize("text", ["a b\nb a", "a b c d\n" * 3, "x y"], ids=["two", "four", "pair"])
def test_count_vectors_of_tiny_corpora(text):
    les = build_lesson(Settings(source="paste", text=text))
    C, _ = cooc_view.counts_and_ppmi(les.corpus, len(les.vocab), 2)
    E = cooc_view.count_vectors(C, dim=10)
    assert np.isfinite(E).all() and np.isfinite(pca(E, 2).points).all()
    data = count_view.count_data(les.corpus, les.vocab, 2, 5, 0.75, dim=10)
    assert np.isfinite(data.E).all()


# ---- no crash, in a child process ---------------------------------------------------------

CHILD = """
import numpy as np
from lab import explore_view as ev, live
from w2v_core.errors import W2VError
from tests.test_numeric_guards import degenerate
for name, X in degenerate().items():
    for call in (
        lambda: live.tsne_frame(X, None, 30, 0, 250),
        lambda: ev.tsne_projection(X, [str(i) for i in range(len(X))], 2, 30, 250),
        lambda: ev.tsne_projection(X, [str(i) for i in range(len(X))], 3, 30, 250),
    ):
        try:
            call()
        except W2VError:
            pass
print("survived")
"""


def run_child(code: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run Python code from the repository root in a new process (a crash stays there)."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def test_no_tsne_entry_point_crashes_the_process():
    """Before the guard: exit code -11 (SIGSEGV) on the first input without variance."""
    out = run_child(CHILD)
    assert out.returncode == 0, (out.returncode, out.stderr[-2000:])
    assert "survived" in out.stdout


EXPLORE_CHILD = """
from streamlit.testing.v1 import AppTest

def tsne_on_explore(at):
    at.radio(key="explore_method").set_value("tsne").run()
    at.button(key="explore_tsne").click().run()
    assert not at.exception, [e.message for e in at.exception]
    charts = [c for c in at.get("plotly_chart") if "t-SNE 1" in c.proto.spec]
    print("WARN", [w.value for w in at.warning], "CHARTS", len(charts))

# 1. imported vectors that are all equal
at = AppTest.from_file("app.py", default_timeout=120).run()
at.switch_page("app_pages/explore.py").run()
rows = b"".join(f"w{i} 0.5 0.5 0.5\\n".encode() for i in range(8))
at.file_uploader(key="explore_upload").set_value(("same.txt", b"8 3\\n" + rows, "text/plain")).run()
assert at.session_state["xp_imported"].V == 8
tsne_on_explore(at)

# 2. full softmax, Step twice on Live training, then the rows of W_out
at = AppTest.from_file("app.py", default_timeout=120)
at.query_params["loss"] = "softmax"
at.run()
at.switch_page("app_pages/train.py").run()
at.button(key="train_step").click().run()
at.button(key="train_step").click().run()
assert at.session_state["lesson_trainer"].trainer.examples_seen_ == 1
at.switch_page("app_pages/explore.py").run()
at.radio(key="explore_matrix").set_value("W_out").run()
tsne_on_explore(at)
print("survived")
"""


def test_explore_tsne_of_identical_rows_gives_a_message_not_a_crash():
    """The two routes of the report: an import of equal vectors, and W_out after one
    softmax step. Before the guard the first ended the server process (exit -11)."""
    out = run_child(EXPLORE_CHILD)
    assert out.returncode == 0, (out.returncode, out.stderr[-3000:])
    first, second = [line for line in out.stdout.splitlines() if line.startswith("WARN")]
    assert "identical" in first and "CHARTS 0" in first  # refused with a message
    assert "CHARTS 1" in second or "identical" in second  # laid out, or refused
    assert "survived" in out.stdout
