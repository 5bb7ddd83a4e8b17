"""Asking trained vectors questions: neighbours, analogies and two standard benchmarks.

A set of vectors is a plain pair: ``words`` (row ``i`` of ``W`` belongs to
``words[i]``) and ``W`` of shape (V, d). Rows are assumed frequency-ordered, the
way word2vec and gensim store them. Every function returns new arrays and leaves
its inputs alone.

All similarities are cosines, computed as dot products of unit-length rows.

Analogies "a is to b as c is to ?" are answered two ways:

* 3CosAdd, the vector offset method of Mikolov et al. (2013a), "Efficient
  Estimation of Word Representations in Vector Space": the answer is the word x
  that maximises cos(x, b - a + c), with a, b and c themselves ruled out.
* 3CosMul, from Levy & Goldberg (2014), "Linguistic Regularities in Sparse and
  Explicit Word Representations": cosines are shifted into [0, 1] with
  (cos + 1) / 2 and the answer maximises cos(x, b) * cos(x, c) / (cos(x, a) + eps).
  Multiplying instead of adding stops one large similarity from dominating.

The two benchmarks (WordSim-353-style similarity pairs, Spearman's rho; and the
Google questions-words analogies, accuracy) follow gensim's
``KeyedVectors.evaluate_word_pairs`` / ``evaluate_word_analogies`` rules, so the
numbers can be compared with published gensim results:

* lookups are case-insensitive by upper-casing both the vocabulary and the test
  words; when a vocabulary has several case variants ("Paris", "paris"), the
  first (most frequent) row wins;
* questions or pairs with a word outside the vocabulary are skipped and counted;
* analogies only consider the first ``restrict`` rows, both for the question
  words and for the candidate answers.
"""

import os
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from .errors import ConfigError, VectorsFormatError, W2VError

MUL_EPS = 1e-3  # Levy & Goldberg's epsilon, keeps 3CosMul finite when cos(x, a) is near -1
METHODS = ("add", "mul")
_BLOCK_ELEMENTS = 4_000_000  # score matrices are built this many entries at a time (~16-32 MB)

Source = str | os.PathLike | Iterable[str] | Iterable[bytes]


# ---- basics --------------------------------------------------------------------------


def unit_rows(W: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1; all-zero rows stay zero (no NaN)."""
    W = _as_float(W)
    norms = np.linalg.norm(W, axis=-1, keepdims=True)  # (V, 1)
    return np.divide(W, norms, out=np.zeros_like(W), where=norms > 0)  # (V, d)


def nearest(
    W: np.ndarray,
    words: Sequence[str],
    query: str | np.ndarray,
    k: int = 10,
    exclude: Iterable[str] = (),
) -> list[tuple[str, float]]:
    """The k words whose vectors have the highest cosine with ``query``.

    ``query`` is a word (which is then left out of its own neighbours) or a
    vector of length d. Words in ``exclude`` are left out too; unknown words in
    ``exclude`` are ignored. Ties go to the earlier (more frequent) row.
    """
    W = _checked(W, words)
    _check_k(k)
    index = _index(words)
    U = unit_rows(W)  # (V, d)
    banned = [index[w] for w in exclude if w in index]
    if isinstance(query, str):
        i = _lookup(index, query)
        q = U[i]  # (d,)
        banned.append(i)
    else:
        q = np.asarray(query, dtype=U.dtype)  # (d,)
        if q.shape != (W.shape[1],):
            raise W2VError(f"query vector has shape {q.shape}, expected ({W.shape[1]},)")
        q = unit_rows(q)  # (d,)
    sims = U @ q  # (V,)
    return _top(sims, words, k, banned)


def analogy(
    W: np.ndarray,
    words: Sequence[str],
    a: str,
    b: str,
    c: str,
    k: int = 1,
    method: str = "add",
) -> list[tuple[str, float]]:
    """Best answers to "a is to b as c is to ?" with their scores; a, b, c excluded.

    ``method="add"`` scores are cosines with b - a + c (3CosAdd);
    ``method="mul"`` scores are Levy & Goldberg's 3CosMul ratios.
    """
    W = _checked(W, words)
    _check_k(k)
    _check_method(method)
    index = _index(words)
    ia, ib, ic = (_lookup(index, w) for w in (a, b, c))
    U = unit_rows(W)  # (V, d)
    scores = _analogy_scores(U, U[[ia]], U[[ib]], U[[ic]], method)[0]  # (V,)
    return _top(scores, words, k, [ia, ib, ic])


def analogy_vector(W: np.ndarray, words: Sequence[str], a: str, b: str, c: str) -> np.ndarray:
    """The 3CosAdd target b - a + c, built from unit-length rows; shape (d,).

    ``nearest(W, words, analogy_vector(W, words, a, b, c))`` gives the same
    cosines as ``analogy(..., method="add")``, but without ruling out a, b, c.
    """
    W = _checked(W, words)
    index = _index(words)
    ia, ib, ic = (_lookup(index, w) for w in (a, b, c))
    U = unit_rows(W[[ia, ib, ic]])  # (3, d)
    return U[1] - U[0] + U[2]  # (d,)


def similarity_matrix(W: np.ndarray, words: Sequence[str], subset: Sequence[str]) -> np.ndarray:
    """Cosine similarity between every pair of words in ``subset``; shape (n, n), float64."""
    W = _checked(W, words)
    index = _index(words)
    missing = [w for w in subset if w not in index]
    if missing:
        listed = ", ".join(repr(w) for w in missing[:10]) + (" ..." if len(missing) > 10 else "")
        verb = "is" if len(missing) == 1 else "are"
        raise W2VError(f"{listed} {verb} not in the vocabulary")
    rows = [index[w] for w in subset]
    U = unit_rows(W[rows].astype(np.float64))  # (n, d)
    return np.clip(U @ U.T, -1.0, 1.0)  # (n, n)


# ---- word-pair benchmark -------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PairsResult:
    """How well cosine similarity agrees with human similarity judgements."""

    spearman: float  # rank correlation, the number usually reported for WordSim-353
    pearson: float
    n_used: int  # pairs whose two words are both in the vocabulary
    n_oov: int  # pairs skipped because a word is missing
    pairs: list[tuple[str, str]] = field(repr=False)  # the used pairs, as written in the file
    gold: np.ndarray = field(repr=False)  # (n_used,) human scores
    model: np.ndarray = field(repr=False)  # (n_used,) cosine similarities

    @property
    def oov_ratio(self) -> float:
        """Fraction of pairs skipped (gensim reports this times 100)."""
        total = self.n_used + self.n_oov
        return self.n_oov / total if total else 0.0


Judgement = tuple[str, str, float]  # (word1, word2, human similarity score)


def read_pairs(source: Source, max_pairs: int | None = None) -> list[Judgement]:
    """The (word1, word2, score) rows of a ``wordsim353.tsv``-style source.

    ``source`` is a path, or an iterable of lines (str or bytes): ``#`` comment lines,
    then ``word1<TAB>word2<TAB>score`` (or the three fields separated by spaces).
    A malformed line raises VectorsFormatError naming it; so does going past
    ``max_pairs`` rows (None: no limit).
    """
    out: list[Judgement] = []
    for no, line in _numbered_lines(source):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        parts = [p.strip() for p in text.split("\t")] if "\t" in text else text.split()
        if len(parts) != 3:
            raise VectorsFormatError(
                f"line {no}: expected 'word1<TAB>word2<TAB>score', found {len(parts)} fields"
            )
        if max_pairs is not None and len(out) >= max_pairs:
            raise VectorsFormatError(f"line {no}: more than {max_pairs:,} word pairs")
        w1, w2, score = parts
        out.append((w1, w2, _parse_score(score, no)))
    return out


def evaluate_pairs(
    W: np.ndarray, words: Sequence[str], source: Source, restrict: int | None = None
) -> PairsResult:
    """Spearman and Pearson correlation between cosine and human scores.

    ``source`` is a path, or an iterable of lines (str or bytes), in the
    ``wordsim353.tsv`` format (see ``read_pairs``). Lookup is case-insensitive (see
    the module docstring); ``restrict`` keeps only the first rows of the vocabulary
    (None: all of them).
    """
    return score_pairs(W, words, read_pairs(source), restrict)


def score_pairs(
    W: np.ndarray, words: Sequence[str], judgements: Sequence[Judgement],
    restrict: int | None = None,
) -> PairsResult:  # fmt: skip
    """``evaluate_pairs`` on rows already read: rank correlation of cos(v_w1, v_w2) with
    the human scores over the pairs whose two words are in the vocabulary."""
    W = _checked(W, words)
    _check_restrict(restrict)
    folded = _folded_index(words, restrict)
    pairs, gold, rows = [], [], []
    n_oov = 0
    for w1, w2, value in judgements:
        i, j = folded.get(w1.upper()), folded.get(w2.upper())
        if i is None or j is None:
            n_oov += 1
            continue
        pairs.append((w1, w2))
        gold.append(value)
        rows.append((i, j))
    if len(rows) < 2:
        raise W2VError(
            f"only {len(rows)} of the {len(rows) + n_oov} word pairs have both words in the "
            "vocabulary; at least 2 are needed for a correlation"
        )
    ij = np.array(rows)  # (n, 2)
    U = unit_rows(W.astype(np.float64))  # (V, d)
    model = np.sum(U[ij[:, 0]] * U[ij[:, 1]], axis=1)  # (n,) cos(v_w1, v_w2)
    gold_arr = np.array(gold, dtype=np.float64)  # (n,)
    with warnings.catch_warnings():  # constant input -> nan, not a warning
        warnings.simplefilter("ignore")
        rho = float(stats.spearmanr(gold_arr, model).statistic)
        r = float(stats.pearsonr(gold_arr, model).statistic)
    return PairsResult(rho, r, len(rows), n_oov, pairs, gold_arr, model)


# ---- analogy benchmark ---------------------------------------------------------------


@dataclass(frozen=True)
class SectionScore:
    """Analogy results of one ``: section`` of the questions file."""

    name: str
    n_correct: int
    n_total: int  # questions evaluated (all four words known)
    n_skipped: int  # questions with an out-of-vocabulary word

    @property
    def accuracy(self) -> float:
        """n_correct / n_total, or 0.0 for a section with nothing evaluated (as gensim does)."""
        return self.n_correct / self.n_total if self.n_total else 0.0


@dataclass(frozen=True)
class AnalogyResult:
    """3CosAdd accuracy on an analogy test set, overall and by section."""

    accuracy: float  # n_correct / n_total (0.0 if nothing could be evaluated)
    n_correct: int
    n_total: int
    n_skipped: int
    sections: list[SectionScore]

    @property
    def section_accuracy(self) -> dict[str, float]:
        """Section name -> accuracy."""
        return {s.name: s.accuracy for s in self.sections}


def evaluate_analogies(
    W: np.ndarray, words: Sequence[str], source: Source, restrict: int | None = 30_000
) -> AnalogyResult:
    """Accuracy of 3CosAdd on a ``questions-words.txt``-style file.

    The file has ``: section`` header lines and questions ``a b c expected``.
    Only the first ``restrict`` rows take part (None: all). Questions with a word
    outside them are skipped; the others are answered in batches of matrix
    products. A question before any header goes to a section named "questions"
    (gensim refuses such files).
    """
    W = _checked(W, words)
    _check_restrict(restrict)
    R = len(words) if restrict is None else min(restrict, len(words))
    folded = _folded_index(words, R)

    names: list[str] = []
    skipped: list[int] = []
    questions: list[tuple[int, int, int, int]] = []
    section_of: list[int] = []  # section number of each kept question
    seen_any = False
    for no, line in _numbered_lines(source):
        text = line.strip()
        if not text:
            continue
        if text.startswith(":"):
            names.append(text.lstrip(": ").strip())
            skipped.append(0)
            continue
        parts = text.split()
        if len(parts) != 4:
            raise VectorsFormatError(
                f"line {no}: expected 4 words 'a b c expected', found {len(parts)}"
            )
        seen_any = True
        if not names:
            names.append("questions")
            skipped.append(0)
        ids = [folded.get(p.upper()) for p in parts]
        if any(i is None for i in ids):
            skipped[-1] += 1
            continue
        questions.append(tuple(ids))
        section_of.append(len(names) - 1)
    if not seen_any:
        raise VectorsFormatError("no analogy questions found (expected lines 'a b c expected')")

    correct = np.zeros(len(questions), dtype=bool)  # (n,)
    if questions:
        Q = np.array(questions)  # (n, 4)
        U = unit_rows(W[:R])  # (R, d)
        # row -> first row with the same upper-cased word (itself, unless a case variant)
        group = np.array([folded[w.upper()] for w in words[:R]])  # (R,)
        predicted = _solve(U, Q[:, :3], "add", group)  # (n,)
        correct = group[predicted] == Q[:, 3]  # (n,)

    sec = np.array(section_of, dtype=int)  # (n,)
    sections = [
        SectionScore(
            name,
            int(correct[sec == s].sum()),
            int((sec == s).sum()),
            skipped[s],
        )
        for s, name in enumerate(names)
    ]
    n_total = len(questions)
    n_correct = int(correct.sum())
    return AnalogyResult(
        accuracy=n_correct / n_total if n_total else 0.0,
        n_correct=n_correct,
        n_total=n_total,
        n_skipped=sum(skipped),
        sections=sections,
    )


# ---- generated-corpus scores ---------------------------------------------------------


def category_score(
    W: np.ndarray, words: Sequence[str], categories: Mapping[str, str], k: int = 5
) -> float:
    """Mean fraction of a word's k nearest neighbours that share its category.

    Only words that have a category and are in ``words`` take part, both as
    queries and as neighbours. 1.0 means every category forms a tight cluster;
    a random embedding scores about the share of the largest categories.
    """
    W = _checked(W, words)
    _check_k(k)
    rows = [i for i, w in enumerate(words) if w in categories]
    if len(rows) < 2:
        raise W2VError(
            f"only {len(rows)} categorised word(s) are in the vocabulary; need at least 2"
        )
    _, labels = np.unique([categories[words[i]] for i in rows], return_inverse=True)  # (n,)
    n = len(rows)
    k = min(k, n - 1)
    U = unit_rows(W[rows])  # (n, d)
    frac = np.empty(n)  # (n,)
    step = max(1, _BLOCK_ELEMENTS // n)
    for s in range(0, n, step):
        e = min(s + step, n)
        S = U[s:e] @ U.T  # (b, n)
        S[np.arange(e - s), np.arange(s, e)] = -np.inf  # a word is not its own neighbour
        nbrs = np.argpartition(-S, k - 1, axis=1)[:, :k]  # (b, k)
        frac[s:e] = (labels[nbrs] == labels[s:e, None]).mean(axis=1)  # (b,)
    return float(frac.mean())


def analogy_score(
    W: np.ndarray,
    words: Sequence[str],
    quadruples: Iterable[Sequence[str]],
    method: str = "add",
) -> float:
    """Top-1 accuracy on (a, b, c, expected) quadruples whose four words are all present.

    Lookup is exact (case-sensitive) and the whole vocabulary takes part.
    """
    W = _checked(W, words)
    _check_method(method)
    index = _index(words)
    quads = [tuple(q) for q in quadruples]
    if any(len(q) != 4 for q in quads):
        raise W2VError("each analogy must have four words (a, b, c, expected)")
    kept = [[index[w] for w in q] for q in quads if all(w in index for w in q)]
    if not kept:
        raise W2VError(f"none of the {len(quads)} analogies has all four words in the vocabulary")
    Q = np.array(kept)  # (n, 4)
    predicted = _solve(unit_rows(W), Q[:, :3], method)  # (n,)
    return float(np.mean(predicted == Q[:, 3]))


# ---- helpers -------------------------------------------------------------------------


def _analogy_scores(
    U: np.ndarray, A: np.ndarray, B: np.ndarray, C: np.ndarray, method: str
) -> np.ndarray:
    """Score every row of U as the answer to each of n questions; shape (n, V).

    U, A, B, C hold unit rows: U is (V, d), A, B, C are (n, d).
    """
    if method == "add":
        target = unit_rows(B - A + C)  # (n, d)
        return target @ U.T  # (n, V)
    cos_a = (A @ U.T + 1) / 2  # (n, V) shifted into [0, 1]
    cos_b = (B @ U.T + 1) / 2  # (n, V)
    cos_c = (C @ U.T + 1) / 2  # (n, V)
    return cos_b * cos_c / (cos_a + MUL_EPS)  # (n, V)


def _solve(
    U: np.ndarray, ABC: np.ndarray, method: str, group: np.ndarray | None = None
) -> np.ndarray:
    """Row index of the best answer to each question; shape (n,).

    ``ABC`` is (n, 3) row indices of a, b, c; they are ruled out as answers. With
    ``group`` (row -> first row of the same upper-cased word), the other case
    variants of a, b and c are ruled out too, as gensim does.
    """
    V = U.shape[0]
    if group is None:
        group = np.arange(V)  # (V,) every row its own group
    variants = np.flatnonzero(group != np.arange(V))  # (m,) rows that are not first of their group
    variant_of = group[variants]  # (m,) the first row of each one's group
    step = max(1, _BLOCK_ELEMENTS // max(V, 1))
    out = np.empty(len(ABC), dtype=np.intp)  # (n,)
    for s in range(0, len(ABC), step):
        q = ABC[s : s + step]  # (b, 3)
        scores = _analogy_scores(U, U[q[:, 0]], U[q[:, 1]], U[q[:, 2]], method)  # (b, V)
        rows = np.arange(len(q))  # (b,)
        for j in range(3):
            scores[rows, q[:, j]] = -np.inf
            hit_q, hit_v = np.nonzero(q[:, j, None] == variant_of[None, :])  # (b, m) -> pairs
            scores[hit_q, variants[hit_v]] = -np.inf
        out[s : s + step] = np.argmax(scores, axis=1)  # (b,)
    return out


def _top(
    scores: np.ndarray, words: Sequence[str], k: int, banned: Iterable[int]
) -> list[tuple[str, float]]:
    """The k best (word, score) pairs, skipping banned rows; ties go to lower rows."""
    scores = scores.copy()  # (V,)
    scores[list(banned)] = -np.inf
    order = np.argsort(-scores, kind="stable")[:k]  # (k,)
    return [(str(words[i]), float(scores[i])) for i in order if scores[i] != -np.inf]


def _as_float(W: np.ndarray) -> np.ndarray:
    W = np.asarray(W)
    return W if np.issubdtype(W.dtype, np.floating) else W.astype(np.float64)


def _checked(W: np.ndarray, words: Sequence[str]) -> np.ndarray:
    W = _as_float(W)
    if W.ndim != 2:
        raise W2VError(f"vectors must be a 2-D array (V, d), got shape {W.shape}")
    if W.shape[0] != len(words):
        raise W2VError(f"{len(words)} words but {W.shape[0]} vector rows")
    return W


def _check_k(k: int) -> None:
    if not isinstance(k, int | np.integer) or k < 1:
        raise ConfigError(f"k must be a whole number >= 1, got {k!r}")


def _check_restrict(restrict: int | None) -> None:
    if restrict is not None and (not isinstance(restrict, int | np.integer) or restrict < 1):
        raise ConfigError(f"restrict must be None or a whole number >= 1, got {restrict!r}")


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ConfigError(f"method must be one of {METHODS}, got {method!r}")


def _index(words: Sequence[str]) -> dict[str, int]:
    """word -> row; with duplicates, the first row wins."""
    index: dict[str, int] = {}
    for i, w in enumerate(words):
        index.setdefault(w, i)
    return index


def _folded_index(words: Sequence[str], restrict: int | None) -> dict[str, int]:
    """UPPER-CASED word -> first row among the first ``restrict`` rows (gensim's rule)."""
    index: dict[str, int] = {}
    for i, w in enumerate(words[:restrict]):
        index.setdefault(w.upper(), i)
    return index


def _lookup(index: Mapping[str, int], word: str) -> int:
    try:
        return index[word]
    except KeyError:
        raise W2VError(f"'{word}' is not in the vocabulary") from None


def _parse_score(text: str, no: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise VectorsFormatError(f"line {no}: score {text!r} is not a number") from None
    if not np.isfinite(value):
        raise VectorsFormatError(f"line {no}: score {text!r} is not a finite number")
    return value


def _numbered_lines(source: Source) -> Iterator[tuple[int, str]]:
    """(1-based line number, text) for a path or an iterable of str/bytes lines."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as f:
            yield from _numbered_lines(list(f))
        return
    if isinstance(source, bytes | bytearray):
        raise W2VError("pass a path or an iterable of lines, not one bytes object")
    for no, line in enumerate(source, start=1):
        if isinstance(line, bytes | bytearray):
            try:
                line = bytes(line).decode("utf-8-sig" if no == 1 else "utf-8")
            except UnicodeDecodeError:
                raise VectorsFormatError(f"line {no}: not valid UTF-8 text") from None
        elif no == 1:
            line = line.removeprefix("\ufeff")
        yield no, line.rstrip("\r\n")
