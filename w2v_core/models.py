"""Skip-gram and CBOW × three output layers: pure loss-and-gradient functions of one example.

Symbols (CS224n's, with Andrew Ng's in brackets):

* ``W_in``  (V, d): the embedding matrix E. Row i is v_i (= e_i), the *input*
  vector of word i. Multiplying a one-hot x_i by W_in picks that row.
* ``W_out`` (V, d): the output matrix. Row j is u_j (= theta_j), the *output*
  vector of word j; theta_t ∈ R^d is the row of the word being predicted.
* ``h`` (d,): the hidden layer. Skip-gram: h = v_c, the input vector of the
  centre (target) word. CBOW: h = mean of the context words' input vectors.
* ``o``: the id of the word to predict (a context word for skip-gram, the target
  for CBOW); ``neg`` (k,): ids of k noise words.

Losses (per example, to be minimised):

* full softmax: J = -log softmax(W_out h)[o] = -u_o·h + log Σ_w exp(u_w·h).
  Cost: V dot products.
* negative sampling (Mikolov et al. 2013b): J = -log σ(u_o·h) - Σ_k log σ(-u_k·h).
  Cost: k + 1 dot products.
* hierarchical softmax (Morin & Bengio 2005; Mikolov et al. 2013a, b): o is a leaf
  of a binary (Huffman) tree, ``huffman.py``; with n_1..n_L the inner nodes on its
  path and c_1..c_L the bits of the branches taken,
  J = -log p(o | h) = -Σ_j log σ(s_j u_{n_j}·h), s_j = 1 - 2 c_j.
  Under HS the rows 0..V-2 of W_out are the inner-node vectors u_n. Cost: L dot
  products, about log2(V) (fewer for frequent words).

Gradients are returned as dense (V, d) arrays so they can be checked against
central differences (``gradcheck.py``); the fast path is ``batch.py``.
"""

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, log_expit, logsumexp


@dataclass(frozen=True)
class LossGrad:
    """One example's loss and the gradients of that loss."""

    loss: float
    grad_h: np.ndarray  # (d,) dJ/dh
    grad_W_in: np.ndarray  # (V, d) dJ/dW_in: only the input rows are non-zero
    grad_W_out: np.ndarray  # (V, d) dJ/dW_out


# ---- output layers: loss of predicting o from a hidden vector h -------------------


def softmax_output(h: np.ndarray, o: int, W_out: np.ndarray):
    """Full softmax. Returns (loss, dJ/dh, dJ/dW_out, y_hat)."""
    scores = W_out @ h  # (V,) u_w·h for every word w
    y_hat = np.exp(scores - logsumexp(scores))  # (V,) softmax probabilities
    loss = float(logsumexp(scores) - scores[o])  # -log y_hat[o]
    delta = y_hat.copy()  # (V,) dJ/dscores = y_hat - y
    delta[o] -= 1.0
    grad_h = W_out.T @ delta  # (d,) Σ_w (y_hat_w - y_w) u_w
    grad_W_out = np.outer(delta, h)  # (V, d) row w: (y_hat_w - y_w) h
    return loss, grad_h, grad_W_out, y_hat


def negative_sampling_output(h: np.ndarray, o: int, neg: np.ndarray, W_out: np.ndarray):
    """Negative sampling. Returns (loss, dJ/dh, dJ/dW_out, sigmoids of the k+1 scores).

    A noise id drawn more than once counts once per draw, as in the sum over k.
    """
    ids = np.concatenate([[o], np.asarray(neg, dtype=np.int64)])  # (k+1,) true word first
    labels = np.zeros(len(ids))  # (k+1,) 1 for the true word, 0 for noise
    labels[0] = 1.0
    U = W_out[ids]  # (k+1, d) u_o, u_1..u_k
    scores = U @ h  # (k+1,)
    sig = expit(scores)  # (k+1,) σ(u·h)
    loss = float(-log_expit(scores[0]) - log_expit(-scores[1:]).sum())
    delta = sig - labels  # (k+1,) dJ/dscores: σ(s_o) - 1 and σ(s_k)
    grad_h = U.T @ delta  # (d,)
    grad_W_out = np.zeros_like(W_out)  # (V, d)
    np.add.at(grad_W_out, ids, np.outer(delta, h))  # repeated noise ids accumulate
    return loss, grad_h, grad_W_out, sig


def hs_output(h: np.ndarray, path, code, W_out: np.ndarray):
    """Hierarchical softmax. Returns (loss, dJ/dh, dJ/dW_out, σ(u_n·h) at the path's nodes).

    h (d,): the hidden vector; path (L,): inner-node ids n_1 (the root) .. n_L, rows
    of W_out; code (L,): the bits c_j of the branches taken to reach the word.

    Convention (word2vec.c's): at node n the branch with bit 0 has probability
    σ(u_n·h) and the branch with bit 1 has σ(-u_n·h), so with s_j = 1 - 2 c_j

        p(o | h) = Π_j σ(s_j u_{n_j}·h),   J = -Σ_j log σ(s_j u_{n_j}·h).

    Each node is a logistic regression with label y_j = 1 - c_j ("went to bit 0"):
    dJ/d(u_{n_j}·h) = σ(u_{n_j}·h) - y_j =: δ_j, so dJ/dh = Σ_j δ_j u_{n_j} and
    dJ/du_{n_j} = δ_j h. word2vec.c's update is exactly g = (1 - code - σ(f)) α =
    -α δ_j (it also skips nodes with |u·h| > 6; we do not).
    """
    path = np.asarray(path, dtype=np.int64)  # (L,) inner-node ids, distinct
    code = np.asarray(code, dtype=np.int64)  # (L,) bits c_j in {0, 1}
    U = W_out[path]  # (L, d) u_{n_1} .. u_{n_L}
    scores = U @ h  # (L,) u_n·h
    sign = 1.0 - 2.0 * code  # (L,) s_j = +1 for bit 0, -1 for bit 1
    loss = float(-log_expit(sign * scores).sum())  # J = -Σ log σ(s_j u·h)
    sig = expit(scores)  # (L,) σ(u_n·h): probability of branch 0
    delta = sig - (1.0 - code)  # (L,) dJ/dscores = σ(u·h) - y_j
    grad_h = U.T @ delta  # (d,) Σ_j δ_j u_{n_j}
    grad_W_out = np.zeros_like(W_out)  # (V, d)
    np.add.at(grad_W_out, path, np.outer(delta, h))  # (L, d) rows n_j: δ_j h
    return loss, grad_h, grad_W_out, sig


def _output(h, o, W_out, loss: str, neg, path, code):
    if loss == "softmax":
        return softmax_output(h, o, W_out)
    if loss == "negative":
        return negative_sampling_output(h, o, neg, W_out)
    if loss == "hs":
        if len(path) == 0:
            raise ValueError("hierarchical softmax needs the path and code of the word o")
        return hs_output(h, path, code, W_out)
    raise ValueError(f"unknown loss {loss!r}")


# ---- the two input layers ----------------------------------------------------------


def skipgram_loss_and_grad(
    c: int,
    o: int,
    W_in: np.ndarray,
    W_out: np.ndarray,
    loss: str = "negative",
    neg=(),
    path=(),
    code=(),
) -> LossGrad:
    """Skip-gram: predict context word o from centre word c.  h = v_c = W_in[c]."""
    h = W_in[c]  # (d,) v_c
    J, grad_h, grad_W_out, _ = _output(h, o, W_out, loss, neg, path, code)
    grad_W_in = np.zeros_like(W_in)  # (V, d)
    grad_W_in[c] = grad_h  # only row c of E receives a gradient
    return LossGrad(J, grad_h, grad_W_in, grad_W_out)


def cbow_loss_and_grad(
    contexts,
    o: int,
    W_in: np.ndarray,
    W_out: np.ndarray,
    loss: str = "negative",
    neg=(),
    path=(),
    code=(),
) -> LossGrad:
    """CBOW: predict target o from the mean of its context words' input vectors.

    h = (1/m) Σ_j v_{c_j}, so each context row receives dJ/dh / m (once per occurrence).
    """
    ctx = np.asarray(contexts, dtype=np.int64)  # (m,)
    ctx = ctx[ctx >= 0]  # drop padding
    m = len(ctx)
    h = W_in[ctx].mean(axis=0)  # (d,)
    J, grad_h, grad_W_out, _ = _output(h, o, W_out, loss, neg, path, code)
    grad_W_in = np.zeros_like(W_in)  # (V, d)
    np.add.at(grad_W_in, ctx, grad_h / m)  # a word twice in the window gets it twice
    return LossGrad(J, grad_h, grad_W_in, grad_W_out)


def loss_and_grad(
    model: str, loss: str, inputs, o: int, W_in, W_out, neg=(), path=(), code=()
) -> LossGrad:
    """Dispatch on the model: ``inputs`` is the centre id (skip-gram) or context ids (CBOW).

    ``neg`` (k,) are the noise ids of negative sampling; ``path`` (L,) and ``code`` (L,)
    the inner nodes and bits of o in the Huffman tree (``HuffmanTree.path(o)``,
    ``.code(o)``) for hierarchical softmax ("hs"). Both are given, never drawn here.
    """
    if model == "skipgram":
        return skipgram_loss_and_grad(int(inputs), o, W_in, W_out, loss, neg, path, code)
    if model == "cbow":
        return cbow_loss_and_grad(inputs, o, W_in, W_out, loss, neg, path, code)
    raise ValueError(f"unknown model {model!r}")
