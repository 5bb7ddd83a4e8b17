"""Pure helpers for page 3 (training pairs): one sentence's pairs, counts per window, and
the page's exercises.

No Streamlit here. The pairs themselves always come from ``w2v_core.pairs`` (skip-gram
and CBOW windows of Mikolov et al. 2013a, the dynamic window and subsampling of
word2vec.c and Mikolov et al. 2013b); these functions only cut the corpus to one
sentence, label what the dynamic window and subsampling change compared with the plain
static window, count pairs for several window sizes at once, and turn a sentence into
the Markdown and tables the page draws.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lab.escape import md
from lab.exercises import Exercise, instance_rng
from w2v_core.pairs import (
    Corpus,
    cbow_examples,
    draw_radii,
    pair_count,
    skipgram_pairs,
    subsample,
)
from w2v_core.vocab import Vocab

PAGE = "3. Training pairs"  # the exercises' page name
STATUS_TEXT = {"kept": "kept", "dropped": "✗ dropped", "new": "+ new"}  # table's status column

KEPT, DROPPED, NEW = "kept", "dropped", "new"  # status of a pair against the static window


def sentence_lengths(corpus: Corpus, n_sentences: int) -> np.ndarray:
    """(S,) tokens of each sentence that are in the vocabulary (0 if min_count removed all)."""
    return np.bincount(corpus.sentence, minlength=n_sentences)


def sentence_span(corpus: Corpus, s: int) -> tuple[int, int]:
    """[start, stop) global token indices of sentence ``s`` (the stream is in sentence order)."""
    lo = int(np.searchsorted(corpus.sentence, s, side="left"))
    hi = int(np.searchsorted(corpus.sentence, s, side="right"))
    return lo, hi


def sentence_corpus(corpus: Corpus, s: int) -> tuple[Corpus, int]:
    """Sentence ``s`` as a one-sentence ``Corpus`` and the global index of its first token.

    Listing the pairs of one sentence this way costs O(sentence), whatever the corpus size.
    """
    lo, hi = sentence_span(corpus, s)
    part = Corpus(
        ids=corpus.ids[lo:hi],
        sentence=np.zeros(hi - lo, dtype=np.int32),
        position=corpus.position[lo:hi],
    )
    return part, lo


@dataclass(frozen=True)
class SentencePairs:
    """The skip-gram pairs of one sentence, plain and with the chosen options, side by side."""

    words: tuple[str, ...]  # tokens of the sentence (vocabulary words), by position
    kept: np.ndarray  # (L,) bool: token survives subsampling (all True when it is off)
    radius: np.ndarray  # (L,) int radius b drawn for each centre word (0 where subsampled)
    table: pd.DataFrame  # one row per pair, reading order, columns below
    cbow: pd.DataFrame  # one row per CBOW example of the sentence (with the options)

    # table columns: target_pos, context_pos, offset, target, context, status
    # cbow columns: target_pos, context, target, n_context

    def counts(self) -> dict[str, int]:
        """How many pairs are kept, dropped and new compared with the static window."""
        vc = self.table["status"].value_counts()
        return {k: int(vc.get(k, 0)) for k in (KEPT, DROPPED, NEW)}

    @property
    def static_count(self) -> int:
        """Pairs of the plain static window (kept + dropped)."""
        return int((self.table["status"] != NEW).sum())


def _pair_keys(tok: np.ndarray, ctx: np.ndarray, n: int) -> np.ndarray:
    return tok.astype(np.int64) * n + ctx.astype(np.int64)


def sentence_pairs(
    corpus: Corpus,
    vocab: Vocab,
    s: int,
    window: int,
    *,
    dynamic: bool = False,
    keep_probs: np.ndarray | None = None,
    seed: int | list[int] = 0,
) -> SentencePairs:
    """Pairs of sentence ``s``: the static window's, plus those the options drop or add.

    Status ``kept``: the pair exists with the static window and with the options;
    ``dropped``: static only (the dynamic radius was shorter, or a word was subsampled);
    ``new``: options only (subsampling removed a word in between, so the window reaches
    further). Positions and offsets count in the original sentence.
    """
    part, _ = sentence_corpus(corpus, s)
    L = len(part)
    plain = skipgram_pairs(part, window)
    opt = skipgram_pairs(
        part, window, dynamic=dynamic, keep_probs=keep_probs, rng=np.random.default_rng(seed)
    )
    # skipgram_pairs draws the subsampling first, then the radii: the same seed and order
    # give the same tokens and the same radii as the pairs above
    rng = np.random.default_rng(seed)
    kept_idx = subsample(part, keep_probs, rng)
    kept = np.zeros(L, dtype=bool)
    kept[kept_idx] = True
    radius = np.zeros(L, dtype=np.int64)  # (L,)
    radius[kept_idx] = draw_radii(len(kept_idx), window, dynamic, rng)

    k_plain = _pair_keys(plain.token, plain.context_token, max(L, 1))
    k_opt = _pair_keys(opt.token, opt.context_token, max(L, 1))
    keys = np.union1d(k_plain, k_opt)  # sorted = reading order (target, then context)
    in_plain = np.isin(keys, k_plain)
    in_opt = np.isin(keys, k_opt)
    tpos = (keys // max(L, 1)).astype(np.int64)
    cpos = (keys % max(L, 1)).astype(np.int64)
    words = tuple(vocab.words[i] for i in part.ids)
    status = np.where(in_plain & in_opt, KEPT, np.where(in_plain, DROPPED, NEW))
    table = pd.DataFrame(
        {
            "target_pos": tpos,
            "context_pos": cpos,
            "offset": cpos - tpos,
            "target": [words[i] for i in tpos],
            "context": [words[i] for i in cpos],
            "status": status,
        }
    )

    cb = cbow_examples(
        part, window, dynamic=dynamic, keep_probs=keep_probs, rng=np.random.default_rng(seed)
    )
    ctx_words = [
        ", ".join(words[j] for j in row if j >= 0) for row in np.asarray(cb.context_tokens)
    ]
    cbow = pd.DataFrame(
        {
            "target_pos": np.asarray(cb.token, dtype=np.int64),
            "context": ctx_words,
            "target": [words[i] for i in cb.token],
            "n_context": (np.asarray(cb.context_tokens) >= 0).sum(axis=1),
        }
    )
    return SentencePairs(words=words, kept=kept, radius=radius, table=table, cbow=cbow)


def kept_tokens(corpus: Corpus, keep_probs: np.ndarray | None, seed) -> np.ndarray:
    """Global indices of the tokens one subsampling draw keeps (all when keep_probs is None)."""
    return subsample(corpus, keep_probs, np.random.default_rng(seed))


def window_pair_counts(
    corpus: Corpus, windows, kept: np.ndarray | None = None, dynamic: bool = False
) -> np.ndarray:
    """Skip-gram pairs in one pass for each window size (float array, one per window).

    With ``kept`` (indices surviving subsampling) the sentences are the thinned ones.
    Static window: exact. Dynamic window (radius b uniform in 1..W): the expectation,
    since offset o is used with probability (W - o + 1) / W. A sentence of length L has
    max(L - o, 0) token pairs at distance o, each giving two skip-gram pairs.
    """
    windows = np.asarray(list(windows), dtype=np.int64)
    sent = corpus.sentence if kept is None else corpus.sentence[kept]
    lengths = np.bincount(sent).astype(np.int64)  # (S,)
    top = int(windows.max()) if len(windows) else 0
    at_dist = np.array(
        [np.maximum(lengths - o, 0).sum() for o in range(1, top + 1)], dtype=np.float64
    )  # (top,) token pairs at distance o
    out = np.zeros(len(windows), dtype=np.float64)
    for i, w in enumerate(windows):
        o = np.arange(1, w + 1)
        weight = (w - o + 1) / w if dynamic else np.ones(w)
        out[i] = 2.0 * (weight * at_dist[:w]).sum()
    return out


def cbow_example_count(corpus: Corpus, kept: np.ndarray | None = None) -> int:
    """CBOW examples in one pass: tokens whose (thinned) sentence has another token.

    It does not depend on the window: CBOW makes one example per target word.
    """
    sent = corpus.sentence if kept is None else corpus.sentence[kept]
    lengths = np.bincount(sent)
    return int(lengths[lengths >= 2].sum())


# ---- what the page draws, as plain data ------------------------------------------------


def sentence_choices(corpus: Corpus, n_sentences: int, most: int) -> tuple[list[int], int]:
    """The first ``most`` sentences that keep a word, and how many sentences keep one."""
    lengths = sentence_lengths(corpus, n_sentences)
    nonempty = np.flatnonzero(lengths > 0)
    return [int(i) for i in nonempty[:most]], len(nonempty)


def sentence_label(corpus: Corpus, vocab: Vocab, i: int, n_words: int = 10) -> str:
    """'3. the king said …': a sentence's number and first words (raw: a selectbox option)."""
    lo, hi = sentence_span(corpus, i)
    ids = corpus.ids[lo : min(hi, lo + n_words)]
    more = " …" if hi - lo > n_words else ""
    return f"{i + 1}. " + " ".join(vocab.words[j] for j in ids) + more


def highlight(sp: SentencePairs, pos: int, show: int = 31) -> str:
    """The sentence as Markdown around position ``pos``: the target, its used context,
    words removed by subsampling and static-window words this draw did not use."""
    rows = sp.table[sp.table["target_pos"] == pos]
    used = set(rows.loc[rows["status"] != DROPPED, "context_pos"])
    unused = set(rows.loc[rows["status"] == DROPPED, "context_pos"])
    words = sp.words
    hi = min(len(words), max(0, pos - show // 2) + show)
    lo = max(0, hi - show)
    out = ["…"] if lo > 0 else []
    for i in range(lo, hi):
        w = md(words[i])
        if i == pos:
            out.append(f":orange-background[**{w}**]")
        elif not sp.kept[i]:
            out.append(f":gray[~~{w}~~]")
        elif i in used:
            out.append(f":blue-background[{w}]")
        elif i in unused:
            out.append(f":blue[~~{w}~~]")
        else:
            out.append(w)
    if hi < len(words):
        out.append("…")
    return "#### " + " ".join(out)


def step_text(sp: SentencePairs, pos: int, dynamic: bool = False) -> str:
    """What position ``pos`` gives: its skip-gram pairs and its CBOW example (Markdown)."""
    t = sp.table
    now = t[(t["target_pos"] == pos) & (t["status"] != DROPPED)]
    target = md(sp.words[pos])
    b = f" Its drawn radius is b = {int(sp.radius[pos])}." if dynamic and sp.kept[pos] else ""
    if len(now):
        pairs = ", ".join(f"({target}, {md(c)})" for c in now["context"])
        ctx = ", ".join(md(c) for c in now["context"])
        s = "s" if len(now) != 1 else ""
        return (
            f"At t = {pos} the target is **{target}**.{b} Skip-gram makes {len(now)} "
            f"pair{s}: {pairs}. CBOW makes one example: ([{ctx}], {target})."
        )
    if not sp.kept[pos]:
        return f"At t = {pos}, **{target}** was removed by subsampling: no example."
    return f"At t = {pos}, **{target}** has no context word left: no example.{b}"


def skipgram_frame(sp: SentencePairs, pos: int, with_status: bool) -> pd.DataFrame:
    """The skip-gram pairs of positions 0..pos, one row per pair (dropped ones included)."""
    so_far = sp.table[sp.table["target_pos"] <= pos]
    df = pd.DataFrame(
        {
            "t": so_far["target_pos"].to_numpy(),
            "input (target)": so_far["target"].to_numpy(),
            "predict (context)": so_far["context"].to_numpy(),
            "offset": so_far["offset"].to_numpy(),
        }
    )
    if with_status:
        df["status"] = [STATUS_TEXT[s] for s in so_far["status"]]
    return df


def produced_so_far(sp: SentencePairs, pos: int) -> int:
    """Skip-gram pairs the positions 0..pos really give (with the options)."""
    t = sp.table
    return int(((t["target_pos"] <= pos) & (t["status"] != DROPPED)).sum())


def cbow_frame(sp: SentencePairs, pos: int) -> pd.DataFrame:
    """The CBOW examples of positions 0..pos, one row per position."""
    cb = sp.cbow[sp.cbow["target_pos"] <= pos]
    return pd.DataFrame(
        {
            "t": cb["target_pos"].to_numpy(),
            "input ([context], averaged)": ["[" + c + "]" for c in cb["context"]],
            "predict (target)": cb["target"].to_numpy(),
        }
    )


def default_sample(sample: float, n_tokens: int, choices: list[float]) -> float:
    """The page's subsampling threshold to start from: the sidebar's when it is one of the
    page's choices, else one that removes a visible share of a corpus this size."""
    return sample if sample in choices else (1e-2 if n_tokens < 10_000 else 1e-3)


def keep_text(corpus: Corpus, vocab: Vocab, s: int, keep: np.ndarray) -> str:
    """'the 0.31, king 1.00, …': each distinct word of sentence ``s`` and its keep
    probability (Markdown, words escaped)."""
    lo, hi = sentence_span(corpus, s)
    ids = dict.fromkeys(int(i) for i in corpus.ids[lo:hi])  # distinct, in reading order
    return ", ".join(f"{md(vocab.words[i])} {keep[i]:.2f}" for i in ids)


@dataclass(frozen=True)
class PassCounts:
    """Examples in one pass over the corpus, for each window size of the chart."""

    windows: list[int]  # the window sizes of the chart
    series: dict  # name -> (len(windows),) skip-gram pairs: the static window, then the options
    static: int  # skip-gram pairs at the window in use, static window (exact)
    ours: float  # the same with the page's options (= static when none is on)
    cbow: int  # CBOW examples in one pass (the window does not change it)

    @property
    def ratio(self) -> float:
        """Skip-gram examples per CBOW example."""
        return self.static / max(self.cbow, 1)


def pass_counts(
    corpus: Corpus, windows: list[int], window: int, dynamic: bool, kept: np.ndarray | None
) -> PassCounts:
    """Pairs per pass for each window: exact for the static window; with a dynamic window
    the expectation; with subsampling one draw (``kept``, the surviving token indices)."""
    static = [pair_count(corpus, w) for w in windows]
    series = {"static window (exact)": static}
    if dynamic and kept is not None:
        name = "dynamic + subsampled (one draw, expected radii)"
        series[name] = window_pair_counts(corpus, windows, kept, dynamic=True)
    elif dynamic:
        series["dynamic window (expected)"] = window_pair_counts(corpus, windows, dynamic=True)
    elif kept is not None:
        series["subsampled (one draw)"] = window_pair_counts(corpus, windows, kept)
    at = windows.index(window)
    ours = float(list(series.values())[-1][at])
    return PassCounts(windows, series, static[at], ours, cbow_example_count(corpus, kept))


def dynamic_use(window: int) -> np.ndarray:
    """(window,) probability that a context word at distance o = 1..window is used when
    the radius b is uniform in 1..window: P(b >= o) = (window - o + 1) / window."""
    o = np.arange(1, window + 1)  # (W,)
    return (window - o + 1) / window  # (W,)


# ---- exercises ---------------------------------------------------------------------------


def _pick_sentence(corpus: Corpus, rng: np.random.Generator, lo: int, hi: int) -> int:
    """A sentence with lo..hi words (else the shortest with at least 2), chosen by ``rng``."""
    lengths = np.bincount(corpus.sentence)  # (S,)
    fit = np.flatnonzero((lengths >= lo) & (lengths <= hi))
    if len(fit):
        return int(rng.choice(fit))
    two = np.flatnonzero(lengths >= 2)
    if len(two) == 0:
        return int(np.argmax(lengths))
    return int(two[np.argmin(lengths[two])])


def _quote(corpus: Corpus, vocab: Vocab, s: int) -> str:
    lo, hi = sentence_span(corpus, s)
    return "“" + md(" ".join(vocab.words[i] for i in corpus.ids[lo:hi])) + "”"


def exercises(corpus: Corpus, vocab: Vocab, window: int, seed: int) -> list[Exercise]:
    """The page's exercises, answered by ``w2v_core.pairs`` on this corpus and window."""
    s1 = _pick_sentence(corpus, instance_rng(seed, "pairs.window1"), 3, 5)
    part, _ = sentence_corpus(corpus, s1)
    sg = skipgram_pairs(part, 1)
    w = vocab.words
    listed = tuple((w[a], w[b]) for a, b in zip(sg.target, sg.context, strict=True))
    out = [
        Exercise(
            key="pairs.window1",
            page=PAGE,
            kind="pairs",
            answer=listed,
            prompt=f"List the skip-gram (target, context) pairs of the sentence "
            f"{_quote(corpus, vocab, s1)} at W = 1 (static window, no subsampling).",
            explanation="With W = 1 each word is paired with its left and its right "
            f"neighbour: {len(listed)} pairs, the first and last word giving one each.",
        )  # fmt: skip
    ]
    s2 = _pick_sentence(corpus, instance_rng(seed, "pairs.count"), window + 2, 12)
    part, _ = sentence_corpus(corpus, s2)
    n, L = pair_count(part, window), len(part)
    out.append(
        Exercise(
            key="pairs.count",
            page=PAGE,
            kind="number",
            answer=n,
            prompt=f"How many skip-gram pairs does the sentence {_quote(corpus, vocab, s2)} "
            f"({L} words) give at W = {window} (static window, no subsampling)?",
            explanation=f"Each distance o = 1..{min(window, L - 1)} gives L − o word pairs "
            f"(L = {L}), each counted in both directions: {n}.",
        )  # fmt: skip
    )
    if window >= 2:
        o = int(instance_rng(seed, "pairs.dynamic").integers(2, window + 1))
        p = float(dynamic_use(window)[o - 1])
        out.append(
            Exercise(
                key="pairs.dynamic",
                page=PAGE,
                kind="number",
                answer=round(p, 4),
                tolerance=0.005,
                prompt=f"With a dynamic window and W = {window}, the radius b of each centre "
                f"word is drawn uniformly from 1..{window}. What is the probability that a "
                f"word at distance {o} is used as a context? (a number between 0 and 1)",
                explanation=f"It is used when b ≥ {o}: {window - o + 1} of the {window} equally "
                f"likely radii, so {window - o + 1}/{window} = {p:.3f}.",
            )  # fmt: skip
        )
    return out
