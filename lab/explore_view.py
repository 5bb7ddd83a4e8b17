"""Pure helpers of the Explore-and-share page: vectors, questions, projections, files.

No Streamlit here. A set of vectors is a frozen ``Vectors`` (words, a read-only
float32 array W of shape (V, d), a name and where it came from), built either from
the user's live model (rows of W_in = E, of W_out, or their sum) or from an
uploaded file (``w2v_core.io``: word2vec text, Projector TSV, our npz).

The questions are those of ``w2v_core.analysis``: nearest neighbours by cosine,
analogies by 3CosAdd (Mikolov et al. 2013a) and 3CosMul (Levy & Goldberg 2014),
cosine similarity matrices. Projections are PCA (``w2v_core.projection``) or
t-SNE (van der Maaten & Hinton 2008, via scikit-learn), both guarded in the engine
against rows they cannot handle (a message, never a crash).
"""

import hashlib
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from lab.budget import import_error, import_limits
from lab.compare_view import advance_examples
from lab.escape import visible
from lab.live import MATRICES, pick_matrix
from w2v_core import io as w2v_io
from w2v_core.analysis import analogy, analogy_vector, nearest, similarity_matrix, unit_rows
from w2v_core.errors import VectorsFormatError, W2VError
from w2v_core.projection import pca, tsne

MAX_UPLOAD_MB = 25  # each uploaded vectors file (and the server's cap, .streamlit/config.toml)
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 2**20
MAX_POINTS = 1_000  # words projected at most (t-SNE time grows fast with the number of points)
MAX_CHOICES = 2_000  # words offered in the heatmap's list (the first rows)
MAX_TYPED = 1_000  # characters of a typed word or search (the boxes stop there)
MAX_SEARCH_TERMS = 50  # terms of one search that are looked up (each ``ki*`` scans the words)
VECTOR_SUFFIXES = (".txt", ".vec")
MODEL_SUFFIX = ".npz"
FORMATS = {
    "word2vec": "word2vec text",
    "projector": "Projector TSV",
    "npz": "model .npz",
}


# ---- the vectors ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Vectors:
    """Word vectors that cannot change: row i of W belongs to words[i]."""

    words: tuple[str, ...]
    W: np.ndarray  # (V, d) float32, read-only
    name: str  # what to call them (file name or "live model")
    origin: str  # where they came from, one line for the page

    def __post_init__(self) -> None:
        words = tuple(str(w) for w in self.words)
        W = np.array(self.W, dtype=np.float32)  # (V, d) private copy
        if W.ndim != 2 or W.shape[0] != len(words):
            raise W2VError(f"{len(words)} words but vectors of shape {W.shape}")
        if len(words) < 2:
            raise W2VError(f"only {len(words)} word: exploring needs at least 2 words")
        if W.shape[1] < 1:
            raise W2VError("the vectors have no dimensions")
        if not np.isfinite(W).all():
            row = int(np.argmin(np.isfinite(W).all(axis=1)))
            raise W2VError(f"the vector of {words[row]!r} has NaN or infinite values")
        if len(set(words)) != len(words):
            raise W2VError("the same word appears on two rows")
        W.flags.writeable = False
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "W", W)

    @property
    def V(self) -> int:
        return self.W.shape[0]

    @property
    def d(self) -> int:
        return self.W.shape[1]


HS_ROWS = (
    "Only W_in (= E) holds word vectors here. Under hierarchical softmax W_out has no row "
    "per word: its rows 0 to V − 2 are the V − 1 inner nodes of the Huffman tree (the last "
    "row is unused), so its row i is not the vector of word i."
)
USUAL_D = (
    "Published word2vec vectors use d = 100 to 300 (Google's News vectors: 300); a corpus "
    "of a few hundred words needs far fewer."
)


def word_matrices(loss: str) -> list[str]:
    """The matrices (keys of ``MATRICES``) whose row i is the vector of word i."""
    return ["W_in"] if loss == "hs" else list(MATRICES)


def live_vectors(tr, which: str) -> Vectors:
    """The live model's W_in (= E), W_out or W_in + W_out as ``Vectors``.

    Raises W2VError for W_out or the sum under hierarchical softmax (``HS_ROWS``): row i
    is then an inner node of the tree, and labelling it with word i would be wrong.
    """
    if which not in word_matrices(tr.config.loss):
        raise W2VError(HS_ROWS)
    W = pick_matrix(tr.W_in_, tr.W_out_, which)  # (V, d) a new array
    seen = tr.examples_seen_
    return Vectors(
        tuple(tr.words_),
        W,
        "live model",
        f"your model, {MATRICES[which]}, after {seen:,} examples "
        f"({min(tr.epoch_, tr.config.epochs)} of {tr.config.epochs} epochs)",
    )


def needs_training(tr) -> bool:
    """True while the model has not seen a single example (its vectors are random)."""
    return tr.examples_seen_ == 0


def train_steps(tr, seconds: float = 0.1) -> Iterator[tuple[float, str]]:
    """Train the remaining epochs in chunks of about ``seconds`` each (a ``lab.jobs`` job).

    Yields (fraction trained, what is happening) after every chunk and returns the
    trainer. The chunk size comes from the cost model (``compare_view.advance_examples``),
    not from timing, so the same settings always train the same model. Raises
    TrainingDiverged like ``Trainer.advance``: the chunks already done are kept and the
    failed chunk is rolled back.
    """
    n, epochs = advance_examples(tr.config, len(tr.words_), seconds), tr.config.epochs
    while not tr.done:
        tr.advance(n)
        yield tr.progress, f"Training: epoch {min(tr.epoch_ + 1, epochs)} of {epochs}"
    return tr


def train_to_end(tr, on_progress: Callable[[float], None] = lambda f: None):
    """Train the remaining epochs at once, reporting progress in [0, 1] (no time limit:
    for scripts and tests; the page runs ``train_steps`` as a bounded job)."""
    for fraction, _ in train_steps(tr):
        on_progress(fraction)
    return tr


# ---- importing -----------------------------------------------------------------------


def import_vectors(data: bytes, name: str, max_bytes: int = MAX_UPLOAD_BYTES, held: int = 0):
    """Vectors from an uploaded file: word2vec text (.txt/.vec, GloVe without a header
    too) or our model (.npz).

    Raises W2VError (VectorsFormatError names the line) for a malformed or oversized
    file. ``held``: bytes the session holds already (its live model); the import must
    fit in what is left of the session's cap (``lab.budget``), checked from the file's
    headers before anything big is allocated. The model file's W_in (= E) is taken, as
    word2vec does.
    """
    vec = _import_vectors(data, name, max_bytes, import_limits(held))
    too_big = import_error(vec.V, vec.d, held)
    if too_big:
        raise VectorsFormatError(f"{visible(name, 80)}: {too_big}")
    return vec


def _import_vectors(data: bytes, name: str, max_bytes: int, limits: w2v_io.Limits) -> Vectors:
    shown = visible(name, 80)  # a file name in a message (escaped where it is shown)
    if len(data) > max_bytes:
        raise VectorsFormatError(
            f"{shown} is {len(data) / 2**20:.1f} MB, over the {max_bytes / 2**20:.0f} MB limit"
        )
    if name.lower().endswith(MODEL_SUFFIX) or data[:2] == b"PK":
        headers = w2v_io.npz_headers(data)
        missing = [k for k in ("words", "W_in") if k not in headers]
        if missing:
            held = ", ".join(sorted(visible(k, 30) for k in headers)[:10])
            raise VectorsFormatError(
                f"{shown} has no {' or '.join(repr(k) for k in missing)} array (it holds "
                f"{held or 'nothing'}): it was not saved by this app"
            )
        shape, dtype = headers["W_in"]
        if len(shape) != 2 or dtype.kind not in "fiu":
            raise VectorsFormatError(
                f"{shown}: 'W_in' has shape {shape} of {dtype}; expected (V, d) numbers"
            )
        limits.check(shape[0], shape[1], f"{shown}: 'W_in' has")
        arrays, meta = w2v_io.load_model_npz(
            data, max_bytes=max_bytes, limits=limits, names=("words", "W_in")
        )
        words, W = arrays["words"], arrays["W_in"]  # (V,), (V, d)
        if words.ndim != 1 or words.dtype.kind != "U":
            raise VectorsFormatError(f"{shown}: 'words' should be a list of text")
        if W.shape[0] != len(words):
            raise VectorsFormatError(
                f"{shown}: 'W_in' has shape {W.shape} for {len(words)} words; expected "
                f"({len(words)}, d) numbers"
            )
        seen = meta.get("examples_seen")
        after = f", after {seen:,} examples" if type(seen) is int and seen >= 0 else ""
        return Vectors(tuple(words.tolist()), W, name, f"W_in of the model file {shown}{after}")
    notes: list[str] = []
    words, W = w2v_io.load_word2vec_text(data, max_bytes=max_bytes, limits=limits, notes=notes)
    origin = f"word2vec text file {shown}" + "".join(f"; {n}" for n in notes)
    return Vectors(tuple(words), W, name, origin)


def import_projector(
    vectors_data: bytes,
    vectors_name: str,
    metadata_data: bytes,
    metadata_name: str,
    max_bytes: int = MAX_UPLOAD_BYTES,
    held: int = 0,
) -> Vectors:
    """Vectors from a Projector pair (vectors.tsv and metadata.tsv); raises W2VError.

    ``held`` as for ``import_vectors``."""
    vsrc, msrc = io.BytesIO(vectors_data), io.BytesIO(metadata_data)
    vsrc.name, msrc.name = visible(vectors_name, 80), visible(metadata_name, 80)
    limits = import_limits(held)
    words, W = w2v_io.load_projector_tsv(vsrc, msrc, max_bytes=max_bytes, limits=limits)
    too_big = import_error(len(words), W.shape[1], held)
    if too_big:
        raise VectorsFormatError(f"{vsrc.name}: {too_big}")
    return Vectors(
        tuple(words),
        W,
        vectors_name,
        f"Projector files {vsrc.name} + {msrc.name}",
    )


# ---- exporting -----------------------------------------------------------------------


def export_problem(words: Sequence[str], fmt: str) -> str | None:
    """Why ``words`` cannot be written in format ``fmt`` (None if they can)."""
    if fmt == "word2vec":
        bad = next((w for w in words if any(ch.isspace() for ch in w)), None)
        if bad is not None:
            return f"the word {bad!r} contains white space, which word2vec text cannot store"
    if fmt == "projector":
        bad = next((w for w in words if any(ch in "\t\n\r" for ch in w)), None)
        if bad is not None:
            return f"the word {bad!r} contains a tab or line break, which TSV cannot store"
    return None


def word2vec_bytes(vec: Vectors) -> bytes:
    """The vectors in word2vec text format (UTF-8): header ``V d``, then ``word v1 ... vd``."""
    return w2v_io.to_word2vec_text(vec.words, vec.W).encode("utf-8")


def projector_bytes(vec: Vectors) -> tuple[bytes, bytes]:
    """(vectors.tsv, metadata.tsv) for projector.tensorflow.org, UTF-8."""
    vectors, metadata = w2v_io.to_projector_tsv(vec.words, vec.W)
    return vectors.encode("utf-8"), metadata.encode("utf-8")


def model_npz_bytes(tr) -> bytes:
    """The whole live model as npz: W_in, W_out, words, counts, and the config as metadata."""
    buffer = io.BytesIO()
    w2v_io.save_model_npz(
        buffer,
        {
            "W_in": tr.W_in_,  # (V, d)
            "W_out": tr.W_out_,  # (V, d)
            "words": np.array(tr.words_),  # (V,)
            "counts": tr.vocab_.counts,  # (V,)
        },
        {
            "config": tr.config.to_dict(),
            "epoch": int(tr.epoch_),
            "examples_seen": int(tr.examples_seen_),
        },
    )
    return buffer.getvalue()


# ---- looking words up ----------------------------------------------------------------


def resolve(words: Sequence[str] | set[str], text: str) -> str | None:
    """The vocabulary word a user typed: exact match (as typed, then without surrounding
    white space), else its lower-case form, else None. Imported vectors may hold words
    that are white space, like " "; those match only as typed."""
    index = words if isinstance(words, set | frozenset) else set(words)
    if text in index:
        return text
    text = text.strip()
    if text in index:
        return text
    return text.lower() if text.lower() in index else None


def unknown_message(unknown: Sequence[str], words: Sequence[str], n_hint: int = 8) -> str:
    """A message naming the unknown words and a few words that do exist."""
    listed = ", ".join(f"'{w}'" for w in unknown)
    verb = "is" if len(unknown) == 1 else "are"
    hint = ", ".join(words[:n_hint])
    return f"{listed} {verb} not in the vocabulary ({len(words):,} words, e.g. {hint})."


def default_query(words: Sequence[str], categories: Mapping[str, str]) -> str:
    """A word worth asking about: the most frequent word with a category, else row 1."""
    for w in words[:MAX_CHOICES]:
        if w in categories:
            return w
    return words[min(1, len(words) - 1)]


@dataclass(frozen=True)
class Suggestion:
    """The analogy the boxes start at, and where it comes from (one sentence)."""

    a: str
    b: str
    c: str
    why: str  # shown under the boxes
    answer: str | None = None  # the expected answer, when the corpus names one
    category: str | None = None  # else the category a good answer belongs to, if known


def suggested_analogy(
    words: Sequence[str],
    analogies: Sequence[Sequence[str]] = (),
    categories: Mapping[str, str] | None = None,
) -> Suggestion:
    """a : b :: c : ?, chosen from what the vocabulary offers.

    In order: the corpus's own suggested analogy; man : king :: woman; with word categories,
    the most frequent word of the most frequent category (a), that category's second word
    (c) and the most frequent word of another category (b), so that a good answer is another
    word of b's category; else the three most frequent words.
    """
    have = set(words)
    for q in [*analogies, ("man", "king", "woman", "queen")]:
        if all(w in have for w in q[:3]):
            why = (
                "The corpus's own suggested analogy."
                if q in analogies
                else ("The classic analogy of Mikolov et al. (2013).")
            )
            return Suggestion(q[0], q[1], q[2], why, answer=q[3] if len(q) > 3 else None)
    by_cat: dict[str, list[str]] = {}
    for w in words[:MAX_CHOICES]:
        if categories and w in categories:
            by_cat.setdefault(categories[w], []).append(w)
    big = [(cat, ws) for cat, ws in by_cat.items() if len(ws) >= 2]
    if len(big) >= 2:
        (ca, wa), (cb, wb) = big[0], big[1]
        why = (
            f"This corpus suggests no analogy: the question starts from its word categories "
            f"('{wa[0]}' and '{wa[1]}' are {ca}, '{wb[0]}' is {cb}), so a good answer is "
            f"another {cb} word."
        )
        return Suggestion(wa[0], wb[0], wa[1], why, category=cb)
    a, b, c = words[0], words[1], words[min(2, len(words) - 1)]
    why = (
        "This corpus suggests no analogy: the boxes start at its three most frequent words. "
        "Type a question of your own."
    )
    return Suggestion(a, b, c, why)


def default_analogy(
    words: Sequence[str],
    analogies: Sequence[Sequence[str]] = (),
    categories: Mapping[str, str] | None = None,
) -> tuple[str, str, str]:
    """(a, b, c) of ``suggested_analogy``."""
    s = suggested_analogy(words, analogies, categories)
    return s.a, s.b, s.c


def analogy_check(view: "AnalogyView", sug: Suggestion, categories: Mapping[str, str]) -> str:
    """Whether the 3CosAdd answer to the suggested question is what it expects ('' when the
    question on screen is not the suggestion or nothing is expected)."""
    if (view.a, view.b, view.c) != (sug.a, sug.b, sug.c):
        return ""
    answer = view.add[0][0]
    if sug.answer is not None:
        ok = answer == sug.answer
        want = f"'{sug.answer}'"
    elif sug.category is not None:
        ok = categories.get(answer) == sug.category
        want = f"a {sug.category} word"
    else:
        return ""
    if ok:
        return f"The model answers '{answer}', as expected."
    return f"The model answers '{answer}', not {want}: train it longer, or on more text."


def default_heatmap_words(
    words: Sequence[str], categories: Mapping[str, str], n: int = 8
) -> list[str]:
    """A few words to compare: by category in turn (most frequent first), else the first n."""
    by_cat: dict[str, list[str]] = {}
    for w in words[:MAX_CHOICES]:
        if w in categories:
            by_cat.setdefault(categories[w], []).append(w)
    picked: list[str] = []
    lists = list(by_cat.values())
    for depth in range(n):
        for lst in lists:
            if depth < len(lst) and len(picked) < n:
                picked.append(lst[depth])
    if len(picked) >= 2:
        return picked
    return list(words[: min(n, len(words))])


# ---- the questions -------------------------------------------------------------------


def neighbour_rows(vec: Vectors, query: str, k: int) -> list[dict]:
    """Table rows (rank, word, cosine) of the k nearest neighbours of ``query``."""
    return [
        {"rank": r, "word": w, "cosine": s}
        for r, (w, s) in enumerate(nearest(vec.W, vec.words, query, k=k), start=1)
    ]


@dataclass(frozen=True, eq=False)
class AnalogyView:
    """Both answers to "a is to b as c is to ?" and the vector arithmetic behind 3CosAdd."""

    a: str
    b: str
    c: str
    add: list  # [(word, cos(x, b - a + c))], best first, a b c excluded
    mul: list  # [(word, 3CosMul score)], best first
    labels: tuple[str, ...]  # row names of ``rows``
    rows: np.ndarray  # (5, d): unit v_a, v_b, v_c, the target b - a + c, unit v_answer
    cos_answer: float  # cos(v_answer, b - a + c): the 3CosAdd score of the answer


def explain_analogy(vec: Vectors, a: str, b: str, c: str, k: int = 5) -> AnalogyView:
    """3CosAdd and 3CosMul answers plus the components of b - a + c (unit rows, as scored).

    Raises W2VError for an unknown word or a vocabulary too small to leave an answer.
    """
    add = analogy(vec.W, vec.words, a, b, c, k=k, method="add")
    mul = analogy(vec.W, vec.words, a, b, c, k=k, method="mul")
    if not add:
        raise W2VError("no answer is left once a, b and c are ruled out: too few words")
    answer = add[0][0]
    index = {w: i for i, w in enumerate(vec.words)}
    U = unit_rows(vec.W[[index[a], index[b], index[c], index[answer]]].astype(np.float64))  # (4, d)
    target = analogy_vector(vec.W.astype(np.float64), vec.words, a, b, c)  # (d,) b - a + c
    norm = float(np.linalg.norm(target))
    cos = float(U[3] @ target / norm) if norm > 0 else 0.0
    rows = np.vstack([U[0], U[1], U[2], target, U[3]])  # (5, d)
    labels = (f"a: {a}", f"b: {b}", f"c: {c}", "b − a + c", f"answer: {answer}")
    return AnalogyView(a, b, c, add, mul, labels, rows, cos)


def analogy_rows(view: AnalogyView) -> list[dict]:
    """Table rows: the answers of both methods side by side, best first."""
    rows = []
    for i, (word, score) in enumerate(view.add):
        mul = view.mul[i] if i < len(view.mul) else ("", None)
        rows.append(
            {
                "rank": i + 1,
                "3CosAdd": word,
                "cos(x, b − a + c)": score,
                "3CosMul": mul[0],
                "3CosMul score": mul[1],
            }
        )
    return rows


def k_max(vec: Vectors) -> int:
    """The most neighbours the page offers (every other word, at most 50)."""
    return min(50, vec.V - 1)


def similarity(vec: Vectors, chosen: Sequence[str]) -> np.ndarray:
    """Cosine between every pair of chosen words; shape (n, n)."""
    return similarity_matrix(vec.W, vec.words, chosen)


# ---- projections ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Projection:
    """A 2-D or 3-D layout of the first n words, and the inputs it was computed from."""

    key: tuple  # (fingerprint of the vectors, method, dims, perplexity, iterations, seed)
    method: str  # "pca" or "tsne"
    points: np.ndarray  # (n, dims)
    words: tuple[str, ...]
    axis_titles: tuple[str, ...]
    explained: np.ndarray | None = None  # (dims,) PCA variance shares; None for t-SNE
    note: str | None = None  # e.g. the perplexity was lowered


def fingerprint(X: np.ndarray) -> str:
    """A short digest of an array's shape and bytes (to tell when inputs changed)."""
    X = np.ascontiguousarray(X)
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((X.shape, X.dtype.str)).encode())
    h.update(X.tobytes())
    return h.hexdigest()


def projection_key(
    X: np.ndarray, method: str, dims: int, perplexity: float = 0, iterations: int = 0, seed=0
) -> tuple:
    """What a projection depends on; t-SNE settings do not matter to PCA."""
    if method == "pca":
        perplexity, iterations, seed = 0, 0, 0
    return (fingerprint(X), method, int(dims), float(perplexity), int(iterations), int(seed))


def pca_projection(X: np.ndarray, words: Sequence[str], dims: int) -> Projection:
    """PCA of the rows of X (n, d); axis titles give each component's share of variance."""
    p = pca(X, dims)
    titles = tuple(f"PC {i + 1} ({p.explained[i]:.1%} of variance)" for i in range(dims))
    note = None
    if X.shape[1] < dims:
        note = f"The vectors have only {X.shape[1]} dimensions: the other axes stay at 0."
    key = projection_key(X, "pca", dims)
    return Projection(key, "pca", p.points, tuple(words), titles, p.explained, note)


def clamp_perplexity(perplexity: float, n_points: int) -> tuple[float, str | None]:
    """scikit-learn's t-SNE needs perplexity < number of points: lower it if needed."""
    if n_points < 4:
        raise W2VError(f"t-SNE needs at least 4 words; {n_points} are projected.")
    if perplexity < n_points:
        return float(perplexity), None
    used = float(n_points - 1)
    return used, (
        f"Perplexity {perplexity:g} must be below the number of points ({n_points}): "
        f"{used:g} was used instead."
    )


def tsne_projection(
    X: np.ndarray,
    words: Sequence[str],
    dims: int,
    perplexity: float,
    iterations: int,
    seed: int = 0,
) -> Projection:
    """t-SNE layout of the rows of X (n, d) in ``dims`` (2 or 3) dimensions."""
    used, note = clamp_perplexity(perplexity, len(X))
    points = tsne(X, dims, used, iterations, seed)  # (n, dims); W2VError on degenerate rows
    titles = tuple(f"t-SNE {i + 1}" for i in range(dims))
    key = projection_key(X, "tsne", dims, perplexity, iterations, seed)
    return Projection(key, "tsne", points, tuple(words), titles, None, note)


def projection_caption(proj: Projection, V: int, d: int) -> str:
    """What the projection shows and what it keeps, from its own numbers."""
    n = len(proj.words)
    where = f"The first {n:,} of {V:,} words (at most {MAX_POINTS:,} are projected)."
    if proj.explained is not None:
        dims = len(proj.explained)
        return (
            f"{where} PCA keeps {proj.explained.sum():.1%} of the variance of the "
            f"{d}-dimensional vectors in these {dims} axes."
        )
    return (
        f"{where} t-SNE keeps neighbourhoods, not distances: the gaps between clusters and "
        "their sizes mean little."
    )


def groups_for(words: Sequence[str], categories: Mapping[str, str]) -> list[str] | None:
    """Each word's category ('other' if it has none), or None without categories."""
    if not categories:
        return None
    return [categories.get(w, "other") for w in words]


@dataclass(frozen=True)
class Search:
    """Words matched by a search box, split by whether they are drawn."""

    shown: list[str]  # matched and among the projected words
    not_shown: list[str]  # in the vocabulary but beyond the projected ones
    unknown: list[str]  # terms that match no word


def search_words(text: str, shown: Sequence[str], vocabulary: Sequence[str]) -> Search:
    """Terms separated by commas or spaces; 'ki*' matches every word starting with 'ki'.

    Matching is exact (then lower-case) per term, in vocabulary order. Only the first
    MAX_SEARCH_TERMS terms are looked up (a prefix term scans every word).
    """
    terms = [t for t in re.split(r"[,\s]+", text[: 10 * MAX_TYPED].strip()) if t]
    terms = terms[:MAX_SEARCH_TERMS]
    drawn, known = set(shown), set(vocabulary)
    found: dict[str, None] = {}
    unknown = []
    for t in terms:
        if t.endswith("*") and len(t) > 1:
            hits = [w for w in vocabulary if w.startswith(t[:-1]) or w.startswith(t[:-1].lower())]
        else:
            w = resolve(known, t)
            hits = [w] if w is not None else []
        if not hits:
            unknown.append(t)
        found.update(dict.fromkeys(hits))
    return Search([w for w in found if w in drawn], [w for w in found if w not in drawn], unknown)
