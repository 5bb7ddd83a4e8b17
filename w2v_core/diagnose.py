"""Why training diverged: a diagnosis that says what to change.

The vectorized engine (``batch``) computes the gradients of B examples (the
minibatch, ``batch_size``) at the same weights and adds them up. A row of W_out
that m examples of one batch update receives

    u_j <- u_j - alpha * sum_{b=1..m} g_b,

one step of m times the size a single example makes, all computed before any of
them has moved u_j. Per-example SGD (word2vec.c, gensim) applies the m updates one
after another; each sees the previous ones, the sigmoid saturates, and the row
settles. On an ordinary vocabulary m is small, but on a tiny one every example
hits the same few rows: with V = 3 words and k = 20 negatives, the 64 examples of
a batch make 64 * (1 + 20) = 1,344 row updates spread over 3 rows, about 450 on
the same row at once, and a learning rate that is harmless per example
(0.05 * 450 = 22 per step) blows up.

``pileup`` counts, on this corpus and config, how many updates the most-hit row of
W_in and of W_out receives in one batch: exactly for the examples (the first
``SAMPLE_BATCHES`` batches of a static window), in expectation for the negatives
(k B P_n(j)). On the built-in corpora the worst row gets 35 to 65 updates per
batch of 64 (about one per example: the frequent words, and the root of the
Huffman tree); the 3-word corpus above gets 450. ``diverged_message`` turns it
into the message the trainer raises: it blames the pile-up when a row gets more
than ``PILEUP_ROWS`` updates per example of the batch and ``alpha`` times the
pile-up reaches ``PILEUP_STEP`` (per-example SGD takes steps ``m`` times smaller),
and the learning rate otherwise.
"""

from dataclasses import dataclass

import numpy as np

from .pairs import Corpus, cbow_examples, skipgram_pairs

SAMPLE_BATCHES = 200  # batches of the corpus's start that are counted
PILEUP_STEP = 10.0  # alpha * updates on one row above which the pile-up is to blame
PILEUP_ROWS = 2  # ... and updates on one row per example of the batch (ordinary corpora: < 1.1)


@dataclass(frozen=True)
class Pileup:
    """The most updates one row receives within one minibatch."""

    batch: int  # B, examples per minibatch
    rows_in: float  # on one row of W_in (= E)
    rows_out: float  # on one row of W_out (expected, negatives included)

    @property
    def worst(self) -> float:
        return max(self.rows_in, self.rows_out)

    @property
    def matrix(self) -> str:
        return "W_out" if self.rows_out >= self.rows_in else "W_in"


def pileup(tr) -> Pileup:
    """Updates on the most-hit row of W_in and W_out per minibatch of trainer ``tr``.

    Reads the trainer's corpus, vocabulary and config; changes nothing (no random
    draws: a static window over the start of the corpus, no subsampling).
    """
    cfg = tr.config
    B = int(cfg.batch_size)
    V = len(tr.vocab_)
    corpus = tr.corpus_
    # enough tokens for SAMPLE_BATCHES batches (a token makes up to 2W skip-gram pairs)
    m = min(len(corpus), SAMPLE_BATCHES * B)
    head = Corpus(corpus.ids[:m], corpus.sentence[:m], corpus.position[:m])
    if cfg.model == "cbow":
        ex = cbow_examples(head, cfg.window)
        inputs = ex.contexts  # (n, 2W), -1 where empty
        outputs = ex.target  # (n,)
    else:
        ex = skipgram_pairs(head, cfg.window)
        inputs = ex.target[:, None]  # (n, 1)
        outputs = ex.context  # (n,)
    n = min(len(outputs), SAMPLE_BATCHES * B)
    worst_in, worst_out = 0.0, 0.0
    if cfg.loss == "negative":
        noise = cfg.negative * B * tr.vocab_.noise_probs(cfg.noise_alpha)  # (V,) expected
    for lo in range(0, n, B):
        hi = min(n, lo + B)
        rows_in = inputs[lo:hi].ravel()
        rows_in = rows_in[rows_in >= 0]
        if len(rows_in):
            worst_in = max(worst_in, float(np.bincount(rows_in, minlength=V).max()))
        truth = np.bincount(outputs[lo:hi], minlength=V).astype(np.float64)  # (V,)
        if cfg.loss == "negative":
            worst_out = max(worst_out, float((truth + noise * (hi - lo) / B).max()))
        else:  # softmax scores every row; hierarchical softmax passes the root every time
            worst_out = max(worst_out, float(hi - lo))
    return Pileup(B, worst_in, worst_out)


def diverged_message(tr, lr: float, per_example: bool = False) -> str:
    """What the trainer says when a loss or weight became NaN/inf at learning rate ``lr``
    (``per_example``: in a single-example step, where no minibatch adds updates up)."""
    head = (
        f"Training diverged: a loss or weight became infinite or NaN at learning rate "
        f"{lr:g}. The model was rolled back to its last good state; "
    )
    if per_example:
        return head + "lower the learning rate."
    try:
        p = pileup(tr)
    except Exception:  # noqa: BLE001 - the diagnosis must never hide the divergence
        return head + "lower the learning rate."
    if not np.isfinite(lr) or lr * p.worst < PILEUP_STEP or p.worst < PILEUP_ROWS * p.batch:
        return head + "lower the learning rate."
    safe = PILEUP_STEP / 2 / p.worst
    return head + (
        f"the minibatch of {p.batch} examples adds up to {p.worst:,.0f} updates on the same "
        f"row of {p.matrix} in one step (a step of {lr * p.worst:,.3g} where one example "
        f"makes {lr:g}), because the vocabulary has only {len(tr.vocab_):,} words. Lower the "
        f"learning rate (to about {safe:.2g}), use fewer negatives k or a larger corpus; on "
        "the command line, a smaller --batch-size does it too."
    )
