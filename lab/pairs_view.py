"""Pure helpers for page 3 (training pairs): one sentence's pairs, and counts per window.

No Streamlit here. The pairs themselves always come from ``w2v_core.pairs``; these
functions only cut the corpus to one sentence, label what the dynamic window and
subsampling change compared with the plain static window, and count pairs for
several window sizes at once.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from w2v_core.pairs import Corpus, cbow_examples, skipgram_pairs, subsample
from w2v_core.vocab import Vocab

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
    table: pd.DataFrame  # one row per pair, reading order, columns below
    cbow: pd.DataFrame  # one row per CBOW example of the sentence (with the options)

    # table columns: target_pos, context_pos, offset, target, context, status
    # cbow columns: target_pos, context, target, n_context

    def counts(self) -> dict[str, int]:
        """How many pairs are kept, dropped and new compared with the static window."""
        vc = self.table["status"].value_counts()
        return {k: int(vc.get(k, 0)) for k in (KEPT, DROPPED, NEW)}


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
    # subsampling is the first thing skipgram_pairs draws: the same seed gives the same tokens
    kept_idx = subsample(part, keep_probs, np.random.default_rng(seed))
    kept = np.zeros(L, dtype=bool)
    kept[kept_idx] = True

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
    return SentencePairs(words=words, kept=kept, table=table, cbow=cbow)


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
