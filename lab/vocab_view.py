"""Small pure helpers for page 1 (text and vocabulary). No Streamlit here.

Everything takes the lesson's read-only data and returns new objects.
"""

from collections.abc import Sequence

import numpy as np

from w2v_core.analysis import unit_rows
from w2v_core.vocab import Vocab

DROPPED = "·"  # shown in place of an id when min_count removed the token


def full_counts(vocab: Vocab) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """(words, counts, kept) of every distinct token, kept or dropped, by descending count.

    ``kept[r]`` says whether the word of rank r is in the vocabulary (has an id).
    Ties keep the vocabulary's order, so kept words come before dropped ones.
    """
    words = vocab.words + tuple(w for w, _ in vocab.dropped)
    counts = np.concatenate(
        [np.asarray(vocab.counts, dtype=np.int64), np.array([c for _, c in vocab.dropped], int)]
    )  # (V_all,)
    kept = np.r_[np.ones(len(vocab), bool), np.zeros(len(vocab.dropped), bool)]  # (V_all,)
    order = np.argsort(-counts, kind="stable")  # (V_all,)
    return tuple(words[i] for i in order), counts[order], kept[order]


def min_count_effect(counts: np.ndarray, min_count: int) -> dict:
    """What a min_count would keep and drop, from the counts of every distinct token."""
    counts = np.asarray(counts, dtype=np.int64)
    keep = counts >= min_count
    total = int(counts.sum())
    dropped_tokens = int(counts[~keep].sum())
    return {
        "words_kept": int(keep.sum()),
        "words_dropped": int((~keep).sum()),
        "tokens_dropped": dropped_tokens,
        "tokens_dropped_share": dropped_tokens / total if total else 0.0,
    }


def vocab_size_curve(counts: np.ndarray, max_min_count: int) -> tuple[np.ndarray, np.ndarray]:
    """(min_count values 1..m, vocabulary size V kept at each)."""
    counts = np.asarray(counts, dtype=np.int64)
    m = np.arange(1, max(int(max_min_count), 1) + 1)  # (m,)
    ordered = np.sort(counts)  # (V_all,) ascending
    V = len(ordered) - np.searchsorted(ordered, m, side="left")  # (m,) counts >= m
    return m, V


def token_ids(sentence: Sequence[str], vocab: Vocab) -> list[int | None]:
    """The id of every token of a sentence; None where min_count dropped the word."""
    index = vocab.index
    return [index.get(w) for w in sentence]


def sentence_rows(sentences: Sequence[Sequence[str]], vocab: Vocab, n: int) -> list[dict]:
    """Table rows for the first n sentences: tokens, their ids, token count."""
    rows = []
    for k, s in enumerate(sentences[: max(int(n), 0)]):
        ids = token_ids(s, vocab)
        rows.append(
            {
                "sentence": k,
                "tokens": " · ".join(s),
                "ids": " ".join(DROPPED if i is None else str(i) for i in ids),
                "length": len(s),
            }
        )
    return rows


def rank_sample(n: int, max_points: int) -> np.ndarray:
    """At most ``max_points`` indices 0..n-1, evenly spaced on a log scale of rank.

    All indices when n is small; otherwise the head is kept densely (where the
    labels matter) and the long tail thinned, always including the last index.
    """
    if n <= max_points:
        return np.arange(n)
    idx = np.unique(np.geomspace(1, n, max_points).astype(np.int64) - 1)  # (<= max_points,)
    return np.unique(np.r_[np.arange(min(50, n)), idx, n - 1])


def default_words(sentences: Sequence[Sequence[str]], vocab: Vocab, k: int = 4) -> list[str]:
    """The first k distinct in-vocabulary words of the corpus, in reading order."""
    out: list[str] = []
    for s in sentences:
        for w in s:
            if w in vocab and w not in out:
                out.append(w)
                if len(out) == k:
                    return out
    return out


def one_hot_rows(vocab: Vocab, words: Sequence[str]) -> np.ndarray:
    """The one-hot vectors x_w of ``words`` stacked as rows; shape (n, V)."""
    if not words:
        return np.zeros((0, len(vocab)))
    return np.stack([vocab.one_hot(w) for w in words])  # (n, V)


def cosine_rows(X) -> np.ndarray:
    """Cosine similarity of every pair of rows of X (n, m); zero rows give 0."""
    U = unit_rows(np.asarray(X, dtype=np.float64))  # (n, m)
    return np.clip(U @ U.T, -1.0, 1.0)  # (n, n)


def one_hot_columns(ids: Sequence[int], V: int, max_columns: int = 40) -> np.ndarray:
    """Which ids (columns of the one-hot vectors) to draw when V is too wide to show.

    All V when they fit; otherwise the chosen ids and the first ids of the
    vocabulary, up to ``max_columns`` (the chosen ids are always included).
    """
    if V <= max_columns:
        return np.arange(V)
    chosen = np.unique(np.asarray(ids, dtype=np.int64))
    filler = np.setdiff1d(np.arange(max_columns), chosen)[: max(max_columns - len(chosen), 0)]
    return np.union1d(chosen, filler)


def lookup_demo(
    V: int, d: int, word_id: int, seed: int = 0, max_rows: int = 7, max_cols: int = 5
) -> dict:
    """A slice of a random W_in (rows around ``word_id``) and x_w^T W_in over that slice.

    The rows outside the slice are multiplied by 0 in x_w^T W_in, so the product
    over the slice equals the product over all V rows: row ``word_id``.
    Entries are uniform in [-1/d, 1/d), the range W_in starts from before training.
    """
    max_rows = max(int(max_rows), 1)
    lo = int(np.clip(word_id - max_rows // 2, 0, max(V - max_rows, 0)))
    rows = np.arange(lo, min(V, lo + max_rows))  # (r,)
    cols = min(int(d), int(max_cols))
    W = (2 * np.random.default_rng(seed).random((len(rows), cols)) - 1) / d  # (r, c)
    x = (rows == word_id).astype(np.float64)  # (r,) the slice of x_w
    return {"rows": rows, "x": x, "W": W, "product": x @ W}  # product: (c,)


_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sentence_chips(sentence: Sequence[str], vocab: Vocab, max_tokens: int = 80) -> str:
    """Markdown for one sentence: each token highlighted with its id as a subscript.

    Tokens from our tokenizer hold only letters, digits and apostrophes, so the
    Streamlit colour directives are safe. Dropped tokens are struck through.
    """
    parts = []
    for w, i in zip(sentence[:max_tokens], token_ids(sentence[:max_tokens], vocab), strict=True):
        if i is None:
            parts.append(f":gray-background[~~{w}~~]")
        else:
            parts.append(f":blue-background[{w}]:gray[{str(i).translate(_SUB)}]")
    if len(sentence) > max_tokens:
        parts.append(f":gray[… {len(sentence) - max_tokens} more tokens]")
    return " ".join(parts)


def find_word(vocab: Vocab, typed: str, min_count: int) -> tuple[str, str]:
    """What the page says about a word the user typed: (kind, message).

    ``typed`` is tokenized first (the first token counts); kind is "" (nothing
    typed), "found" (it has an id), "dropped" (min_count or the size cap removed
    it) or "absent". Messages are Markdown with the word escaped.
    """
    from lab.escape import md  # user text: data, not Markdown
    from w2v_core.tokenize import tokenize_line

    tokens = tokenize_line(typed)
    if not tokens:
        return "", ""
    w = tokens[0]
    if w in vocab:
        i = vocab.id(w)
        return "found", f"'{md(w)}' has id {i} (count {int(vocab.counts[i]):,}): row {i} of W_in."
    gone = dict(vocab.dropped)
    if w in gone:
        why = (
            f"fewer than min_count = {min_count}"
            if gone[w] < min_count
            else f"but only the {len(vocab):,} most frequent words are kept"
        )
        return "dropped", f"'{md(w)}' occurs {gone[w]} time(s), {why}: it has no id."
    return "absent", f"'{md(w)}' never occurs in this corpus."


def off_diagonal(S: np.ndarray) -> np.ndarray:
    """The cells S[a, b] with a != b of a square matrix, flattened."""
    S = np.asarray(S)
    return S[~np.eye(len(S), dtype=bool)]  # (n*n - n,)


def preview_default(counts_all: np.ndarray, min_count: int, top: int) -> int:
    """Where the min_count preview starts: one above the sidebar's (or above the rarest
    word's count), within 1..min(top, 100)."""
    hi = min(int(top), 100)
    return min(max(int(min_count) + 1, int(counts_all[-1]) + 1), hi)


# ---- exercises (#19): predict, then reveal -------------------------------------------------

PAGE_NAME = "1. Text and vocabulary"


def exercises(lesson, settings) -> list:
    """Page 1's exercises, answers computed from the lesson's vocabulary and the settings.

    * ``text.id``: which id does word w get? (its frequency rank after min_count)
    * ``text.one_hot``: how long is w's one-hot vector, and it is 1 where? (V)
    * ``text.min_count``: how many words would a min_count of m keep?
    """
    from lab.escape import md
    from lab.exercises import Exercise, instance_rng

    vocab = lesson.vocab
    V = len(vocab)
    out = []
    rng = instance_rng(settings.seed, "text.id")
    i = int(rng.integers(min(V, 30)))  # one of the frequent words: findable in the table
    w = vocab.words[i]
    out.append(Exercise(
        key="text.id", page=PAGE_NAME, kind="number", answer=i,
        prompt=f"Which id does the word **{md(w)}** get in this vocabulary?",
        explanation=f"Ids follow the counts: '{md(w)}' occurs {int(vocab.counts[i]):,} times "
        f"and {i} word{'s' if i != 1 else ''} of the vocabulary sort before it.",
    ))  # fmt: skip
    rng = instance_rng(settings.seed, "text.one_hot")
    j = int(rng.integers(V))
    u = vocab.words[j]
    out.append(Exercise(
        key="text.one_hot", page=PAGE_NAME, kind="number", answer=V,
        prompt=f"How many numbers does the one-hot vector of **{md(u)}** hold?",
        explanation=f"One per word of the vocabulary: V = {V:,}. All are 0 except the 1 at "
        f"position {j}, the id of '{md(u)}'.",
    ))  # fmt: skip
    words_all, counts_all, _ = full_counts(vocab)
    top = int(counts_all[0])
    if top > 1:
        rng = instance_rng(settings.seed, "text.min_count")
        m = int(rng.integers(2, min(top, 100) + 1))
        eff = min_count_effect(counts_all, m)
        out.append(Exercise(
            key="text.min_count", page=PAGE_NAME, kind="number", answer=eff["words_kept"],
            prompt=f"If min_count were **{m}**, how many words would the vocabulary keep?",
            explanation=f"Only words seen at least {m} times keep an id: "
            f"{eff['words_kept']:,} of the {len(words_all):,} distinct words, and "
            f"{eff['tokens_dropped_share']:.1%} of the tokens would go.",
        ))  # fmt: skip
    return out
