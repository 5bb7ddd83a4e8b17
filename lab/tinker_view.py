"""Tinkering helpers of "Compare runs": your own training pairs, and the next minibatch.

No Streamlit here.

* Your own pairs (as wevi lets learners do, Rong 2014, "word2vec Parameter Learning
  Explained"): lines of "input output" are parsed (``parse_pairs``, a clear message for
  every bad line) and a skip-gram model with a full softmax output layer is trained on
  exactly those pairs, one example at a time (``train_pairs``; ``softmax_step`` is the
  per-example maths of ``w2v_core.step.sgd_step``, tested equal): for a pair (c, o),
  h = v_c, p = softmax(W_out h), W_in[c] -= alpha * W_out^T (p - e_o) and
  W_out -= alpha * (p - e_o) h^T.
* The next minibatch of the live trainer as the tensors a framework would see
  (``next_batch``), as in the TensorFlow word2vec tutorial: centre ids (B,), the context
  column [true word, k negatives] (B, 1+k) and labels [1, 0, ..., 0] (B, 1+k). The
  negatives are drawn from a copy of the trainer's generator, so they are the ones its
  next advance will draw; the trainer itself is not touched.
"""

import copy
import re
from dataclasses import dataclass

import numpy as np

from w2v_core.pairs import SkipGramPairs
from w2v_core.trainer import Trainer

MAX_PAIRS = 300  # pairs a user may type
MAX_WORDS = 40  # distinct words in them (the matrices stay readable)
MAX_WORD_CHARS = 30  # a longer "word" is refused
MAX_STEPS = 60_000  # pair updates at most (about 20 µs each)
SEPARATOR = re.compile(r"\s*(?:->|→|,|\t|\s)\s*")  # "a b", "a,b", "a -> b", "a\tb"
EXAMPLE_PAIRS = """king queen
queen king
man woman
woman man
king man
queen woman
apple orange
orange apple
apple juice
orange juice"""


def parse_pairs(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(pairs, problems). One pair per line: input and output separated by a space, a
    comma, a tab or "->"; blank lines and lines starting with # are skipped."""
    pairs, problems = [], []
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p for p in SEPARATOR.split(line) if p]
        if len(parts) != 2:
            problems.append(f"Line {no}: expected two words (input output), found {len(parts)}.")
            continue
        long = [p for p in parts if len(p) > MAX_WORD_CHARS]
        if long:
            problems.append(f"Line {no}: a word is longer than {MAX_WORD_CHARS} characters.")
            continue
        pairs.append((parts[0].lower(), parts[1].lower()))
    if len(pairs) > MAX_PAIRS:
        problems.append(f"{len(pairs)} pairs: at most {MAX_PAIRS}; only the first are used.")
        pairs = pairs[:MAX_PAIRS]
    words = dict.fromkeys(w for p in pairs for w in p)
    if len(words) > MAX_WORDS:
        problems.append(f"{len(words)} distinct words: at most {MAX_WORDS}. Use fewer words.")
        return [], problems
    if pairs and len(words) < 2:
        problems.append("All pairs use one word: word vectors need at least two words.")
        return [], problems
    return pairs, problems


@dataclass(frozen=True, eq=False)
class PairsRun:
    """A model trained on exactly the typed pairs (arrays are new, float64)."""

    words: tuple[str, ...]  # vocabulary in order of first appearance
    pairs: np.ndarray  # (n, 2) input and output ids
    W_in: np.ndarray  # (V, d) input vectors v_w
    W_out: np.ndarray  # (V, d) output vectors u_w
    epoch_loss: tuple[float, ...]  # mean loss per pair of each epoch
    probs: np.ndarray  # (V, V) p(o | c) of the trained model, row c


def train_pairs(
    pairs: list[tuple[str, str]], dim: int, epochs: int, alpha: float, seed: int
) -> PairsRun:
    """Skip-gram with a full softmax on exactly ``pairs``, in a seeded shuffled order.

    W_in starts uniform in [-0.5/d, 0.5/d] (word2vec.c), W_out at zero; the learning
    rate stays ``alpha`` (no decay: a few pairs, many epochs)."""
    if not pairs:
        raise ValueError("no pairs to train on")
    words = tuple(dict.fromkeys(w for p in pairs for w in p))
    index = {w: i for i, w in enumerate(words)}
    P = np.array([[index[a], index[b]] for a, b in pairs], dtype=np.int64)  # (n, 2)
    epochs = max(1, min(int(epochs), MAX_STEPS // len(P)))
    rng = np.random.default_rng(seed)
    V = len(words)
    W_in = (rng.random((V, dim)) - 0.5) / dim  # (V, d)
    W_out = np.zeros((V, dim))  # (V, d)
    losses = []
    for _ in range(epochs):
        total = 0.0
        for c, o in P[rng.permutation(len(P))]:
            total += softmax_step(W_in, W_out, int(c), int(o), alpha)
        losses.append(total / len(P))
    scores = W_in @ W_out.T  # (V, V) u_o . v_c
    probs = np.exp(scores - scores.max(axis=1, keepdims=True))  # (V, V)
    probs /= probs.sum(axis=1, keepdims=True)
    return PairsRun(words, P, W_in, W_out, tuple(losses), probs)


def softmax_step(W_in: np.ndarray, W_out: np.ndarray, c: int, o: int, alpha: float) -> float:
    """One skip-gram softmax SGD step on the pair (c, o), in place on the caller's private
    arrays (``sgd_step``'s maths, without its bookkeeping); returns J = -log p(o | c).

    h = v_c, s = W_out h, p = softmax(s), e = p - e_o;
    dJ/dW_out = e h^T, dJ/dv_c = W_out^T e (both at the old weights)."""
    h = W_in[c].copy()  # (d,)
    s = W_out @ h  # (V,) u_w . v_c
    p = np.exp(s - s.max())  # (V,)
    p /= p.sum()
    loss = float(-np.log(max(p[o], 1e-300)))
    e = p.copy()  # (V,) dJ/ds
    e[o] -= 1.0
    grad_h = W_out.T @ e  # (d,)
    W_out -= alpha * np.outer(e, h)  # (V, d)
    W_in[c] -= alpha * grad_h  # (d,)
    return loss


@dataclass(frozen=True)
class Batch:
    """The next minibatch as tensors: B examples, each 1 true context and k negatives."""

    centre: np.ndarray  # (B,) input word ids (skip-gram: the centre word)
    context: np.ndarray  # (B, 1+k) output ids: the true context word, then the negatives
    label: np.ndarray  # (B, 1+k) 1 for the true word, 0 for a negative
    words: tuple[str, ...]  # id -> word
    epoch: int  # the epoch the batch belongs to
    start: int  # index of its first example in that epoch

    def rows(self) -> list[dict]:
        """(centre, context, label) rows, one per scored word; a skipped draw is left out."""
        out = []
        for b in range(len(self.centre)):
            for j in range(self.context.shape[1]):
                o = int(self.context[b, j])
                if o < 0:
                    continue
                out.append({"example": b, "centre": self.words[int(self.centre[b])],
                            "context": self.words[o], "label": int(self.label[b, j])})  # fmt: skip
        return out


def next_batch(tr: Trainer, limit: int = 16) -> Batch | None:
    """The next minibatch of a skip-gram, negative-sampling trainer (at most ``limit``
    examples of it); None for other models or when training is finished."""
    cfg = tr.config
    if cfg.model != "skipgram" or cfg.loss != "negative" or tr.done:
        return None
    ex = tr.examples  # this epoch's pairs (built on first use, as the next advance would)
    if not isinstance(ex, SkipGramPairs):
        return None
    lo = tr.cursor_
    n = min(cfg.batch_size, len(ex) - lo)
    rng = copy.deepcopy(tr._rng)  # a copy: the trainer's generator is not advanced
    u = rng.random((n, cfg.negative))[:limit]  # (B, k) the uniforms the next chunk starts with
    truth = np.asarray(ex.context[lo : lo + n][:limit])  # (B,)
    context = tr.sampler_.outputs(truth, u)  # (B, 1+k) true word, then noise (-1 skipped)
    label = np.zeros(context.shape, dtype=np.int8)  # (B, 1+k)
    label[:, 0] = 1
    centre = np.asarray(ex.target[lo : lo + n][:limit])  # (B,)
    return Batch(centre, context, label, tuple(tr.words_), tr.epoch_, lo)
