"""Small pure helpers for page 5 (the model and one SGD step). No Streamlit here.

They turn a ``w2v_core.step.Step`` and the trainer's arrays into the tables and
numbers the page shows, and check the gradient of one real example against
central differences. Under hierarchical softmax they also choose the part of
the Huffman tree to draw (``huffman_view``). Arrays passed in are never modified.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit, log_expit, logsumexp

from w2v_core.gradcheck import numeric_grad
from w2v_core.huffman import HuffmanTree
from w2v_core.models import loss_and_grad
from w2v_core.pairs import Corpus
from w2v_core.step import Step

MAX_HEATMAP_ROWS = 60  # heatmaps never draw more rows than this
MAX_CHECK_OUT_ROWS = 8  # softmax: W_out rows checked numerically (all V rows move)
MAX_TREE_LEAVES = 64  # the Huffman tree figure draws at most this many leaves / groups


# ---- sizes and costs ---------------------------------------------------------------


def cost_per_example(
    V: int, d: int, k: int, tree: HuffmanTree | None = None, target: int | None = None
) -> dict:
    """Dot products (and multiply-adds) of one example's output layer, for each loss.

    With a Huffman ``tree`` the hierarchical-softmax figures are added: the code
    length of ``target`` (when given), the mean code length over the corpus tokens
    (what an average example costs) and the longest code.
    """
    cost = {
        "softmax_dots": V,
        "softmax_madds": V * d,
        "negative_dots": k + 1,
        "negative_madds": (k + 1) * d,
    }
    if tree is not None:
        cost["hs_mean_dots"] = tree.mean_length
        cost["hs_mean_madds"] = tree.mean_length * d
        cost["hs_max_dots"] = tree.max_length
        if target is not None:
            cost["hs_dots"] = int(tree.lengths[target])
            cost["hs_madds"] = int(tree.lengths[target]) * d
    return cost


def train_budget(remaining: int, cap: int) -> int:
    """Examples the 'train first' button trains: the rest of the epoch, at most ``cap``."""
    return int(max(0, min(remaining, cap)))


# ---- which rows to draw --------------------------------------------------------------


def display_rows(V: int, n: int, must=()) -> np.ndarray:
    """Sorted ids of the rows a table/heatmap shows: the first ``n`` plus ``must``.

    ``must`` (e.g. the rows an update changes) is always included; the total is
    capped at ``MAX_HEATMAP_ROWS`` by dropping first rows that are not in ``must``.
    """
    must = np.unique(np.asarray(must, dtype=np.int64))
    must = must[(must >= 0) & (must < V)][:MAX_HEATMAP_ROWS]
    n = int(max(0, min(n, V, MAX_HEATMAP_ROWS)))
    room = max(0, MAX_HEATMAP_ROWS - len(np.setdiff1d(must, np.arange(n))))
    top = np.arange(min(n, room))
    return np.union1d(top, must).astype(np.int64)


def row_labels(ids, words) -> list[str]:
    """'id: word' labels (unique, and they show where the 1 of a one-hot vector sits)."""
    return [f"{int(i)}: {words[int(i)]}" for i in ids]


def node_names(V: int) -> list[str]:
    """Names of W_out's rows under hierarchical softmax: inner nodes 0..V-2, then the
    unused row V-1 (so ``names[i]`` works wherever ``words[i]`` would)."""
    return [f"node {n}" for n in range(V - 1)] + ["(unused row)"]


def out_row_names(loss: str, words) -> list[str]:
    """What the rows of W_out stand for: words, or inner nodes under hierarchical softmax."""
    return node_names(len(words)) if loss == "hs" else list(words)


def superscript(n: int) -> str:
    """An integer in Unicode superscript digits, for 'ℝ¹⁰' in labels."""
    return str(int(n)).translate(str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))


def unique_labels(labels) -> list[str]:
    """Labels made unique for chart categories: a repeated noise draw reads 'king (draw 2)'."""
    seen: dict[str, int] = {}
    out = []
    for lab in labels:
        n = seen[lab] = seen.get(lab, 0) + 1
        out.append(lab if n == 1 else f"{lab} (draw {n})")
    return out


def option_words(words, cap: int) -> list[str]:
    """The words a selectbox offers: the ``cap`` most frequent (ids are by frequency)."""
    return list(words[:cap])


# ---- the example in its sentence -------------------------------------------------------


def sentence_around(corpus: Corpus, token: int, radius: int = 12) -> tuple[np.ndarray, int, int]:
    """(word ids, first global token index, sentence index) of the tokens near ``token``.

    Only tokens of the same sentence, at most ``radius`` on each side, are returned.
    """
    s = int(corpus.sentence[token])
    lo = int(np.searchsorted(corpus.sentence, s, side="left"))
    hi = int(np.searchsorted(corpus.sentence, s, side="right"))
    a, b = max(lo, token - radius), min(hi, token + radius + 1)
    return np.asarray(corpus.ids[a:b]), a, s


# ---- tables of one step -------------------------------------------------------------------


def after_step(step: Step) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(h, scores, probabilities) of the same example recomputed with the updated weights."""
    W_in = np.asarray(step.W_in, dtype=np.float64)
    W_out = np.asarray(step.W_out, dtype=np.float64)
    h = W_in[step.inputs].mean(axis=0)  # (d,)
    if step.loss_kind == "softmax":
        scores = W_out @ h  # (V,)
        probs = np.exp(scores - logsumexp(scores))  # (V,)
    else:
        scores = W_out[step.scored_ids] @ h  # (k'+1,)
        probs = expit(scores)
    return h, scores, probs


def shown_score_rows(step: Step, max_rows: int = 15) -> np.ndarray:
    """Positions in ``step.scored_ids`` to list: all k'+1, or for softmax the true word
    followed by the most probable other words (at most ``max_rows`` in all)."""
    if step.loss_kind != "softmax":
        return np.arange(len(step.scored_ids))
    order = np.argsort(-step.probs, kind="stable")
    order = order[order != step.output][: max(0, max_rows - 1)]
    return np.concatenate([[step.output], order]).astype(np.int64)


def score_table(step: Step, words, max_rows: int = 15) -> pd.DataFrame:
    """One row per scored word: its role, u·h, probability, label y, δ = p − y, and p after.

    Hierarchical softmax: one row per inner node on the path (root first), with the
    bit c taken there, σ(u_n·h) = P(branch 0), the label y = 1 − c, δ = σ − y, and
    the probability of the branch actually taken, σ(s·u_n·h) with s = 1 − 2c.
    """
    pos = shown_score_rows(step, max_rows)
    ids = step.scored_ids[pos]
    _, _, probs_after = after_step(step)
    if step.loss_kind == "hs":
        code = step.code  # (L,)
        y = 1 - code  # (L,)
        p = step.probs  # (L,)
        taken = np.where(code == 0, p, 1 - p)  # (L,) σ(s u·h)
        return pd.DataFrame(
            {
                "node": [f"node {int(n)}" for n in ids],
                "id": ids.astype(int),
                "depth": np.arange(len(ids)),
                "role": [f"take branch {int(c)}" for c in code],
                "score u·h": step.scores,
                "σ(u·h)": p,
                "label y": y.astype(int),
                "δ = p − y": p - y,
                "P(branch taken)": taken,
                "σ(u·h) after": probs_after,
            }
        )
    y = (ids == step.output).astype(int)  # 1 for the word to predict, 0 for the others
    p = step.probs[pos]
    name = "σ(u·h)" if step.loss_kind == "negative" else "softmax p"
    other = "noise" if step.loss_kind == "negative" else "other word"
    return pd.DataFrame(
        {
            "word": [words[int(i)] for i in ids],
            "id": ids.astype(int),
            "role": ["true word" if yy else other for yy in y],
            "score u·h": step.scores[pos],
            name: p,
            "label y": y,
            "δ = p − y": p - y,
            f"{name} after": probs_after[pos],
        }
    )


def vector_table(ids, rows: np.ndarray, words, prefix: str = "") -> pd.DataFrame:
    """A (n, d) block of numbers with one row per word and columns 1..d."""
    rows = np.atleast_2d(np.asarray(rows, dtype=np.float64)) + 0.0  # + 0.0 turns -0.0 into 0.0
    cols = [str(j + 1) for j in range(rows.shape[1])]
    index = [f"{prefix}{words[int(i)]}" for i in ids]
    return pd.DataFrame(rows, columns=cols, index=index)


def hidden_table(step: Step, W_in: np.ndarray, words) -> pd.DataFrame:
    """The input rows that build h, then h itself (their mean; one row for skip-gram)."""
    rows = np.asarray(W_in, dtype=np.float64)[step.inputs]  # (m, d)
    table = vector_table(step.inputs, rows, words, prefix="v_")
    h = pd.DataFrame([step.h], columns=table.columns, index=["h = mean" if len(rows) > 1 else "h"])
    return pd.concat([table, h])


def changed_rows(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Ids of the rows that differ between two (V, d) arrays."""
    return np.flatnonzero(np.any(np.asarray(before) != np.asarray(after), axis=1))


# ---- gradient check on the real example -----------------------------------------------------


def example_loss(
    model: str, loss: str, inputs, output: int, negatives, W_in, W_out, path=(), code=()
) -> float:
    """J of one example, written straight from the definitions (loss only, float64).

    Negatives equal to the word to predict must already be removed (as ``Step.negatives``);
    ``path`` and ``code`` are the output word's Huffman path and bits (loss "hs").
    """
    ids = np.atleast_1d(np.asarray(inputs, dtype=np.int64))
    ids = ids[ids >= 0]
    h = W_in[ids[:1]].mean(axis=0) if model == "skipgram" else W_in[ids].mean(axis=0)  # (d,)
    if loss == "softmax":
        s = W_out @ h  # (V,)
        return float(logsumexp(s) - s[output])
    if loss == "hs":
        bits = np.asarray(code, dtype=np.float64)  # (L,)
        u_h = W_out[np.asarray(path, dtype=np.int64)] @ h  # (L,)
        return float(-log_expit((1 - 2 * bits) * u_h).sum())  # -Σ log σ(s_j u_j·h)
    neg = np.asarray(negatives, dtype=np.int64)
    return float(-log_expit(W_out[output] @ h) - log_expit(-(W_out[neg] @ h)).sum())


def norm_rel_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """‖a − n‖ / max(1, ‖a‖ + ‖n‖): relative for large gradients, absolute for small ones.

    The floor of 1 is CS224n's convention (``gradcheck_naive``): central differences
    carry ~1e-10 of rounding noise, which must not look like a bug when the true
    gradient is itself tiny (early in training W_out is almost zero).
    """
    a, n = np.ravel(analytic), np.ravel(numeric)
    return float(np.linalg.norm(a - n) / max(np.linalg.norm(a) + np.linalg.norm(n), 1.0))


@dataclass(frozen=True)
class ExampleCheck:
    """Analytic vs central-difference gradient of one real example, per matrix."""

    rows_in: np.ndarray  # W_in rows checked (the input rows, then one row the example skips)
    rows_out: np.ndarray  # W_out rows checked
    err_in: float  # relative error over the checked W_in entries
    err_out: float  # relative error over the checked W_out entries
    n_entries: int  # entries perturbed (each costs two loss evaluations)
    untouched_in: int  # a W_in row outside the example (-1 if none)
    untouched_in_max: float  # max |numeric gradient| on that row (0: the row gets nothing)
    out_rows_all: bool  # True when every row of W_out that receives a gradient was checked
    sample_in: np.ndarray  # (2, d) analytic and numeric dJ/dW_in of the first input row
    sample_out: np.ndarray  # (2, d) analytic and numeric dJ/dW_out of row sample_out_row
    sample_out_row: int  # the word to predict, or under hs the deepest node on its path


def _numeric_rows(J, W: np.ndarray, rows: np.ndarray, eps: float) -> np.ndarray:
    """Central differences of J with respect to W[rows] (W is a private float64 copy)."""
    x = W[rows].copy()  # (r, d)

    def f() -> float:
        W[rows] = x
        return J()

    g = numeric_grad(f, x, eps)
    W[rows] = x
    return g


def check_example(step: Step, W_in, W_out, eps: float = 1e-5) -> ExampleCheck:
    """Check the engine's gradient of ``step``'s example at the weights *before* the step.

    The analytic gradient is ``models.loss_and_grad`` (the exact gradient; for CBOW
    that is dJ/dh / m per context row). The numeric one perturbs each checked entry
    by ±eps and re-evaluates J with ``example_loss``. Checked rows: the input rows
    plus one row outside the example for W_in; the scored rows for W_out (for softmax
    the true word and the most probable others, at most ``MAX_CHECK_OUT_ROWS``; for
    hierarchical softmax the inner nodes on the path).
    """
    Win = np.array(W_in, dtype=np.float64)  # private copies: the check perturbs them
    Wout = np.array(W_out, dtype=np.float64)
    V = len(Win)
    centre = step.inputs[0] if step.model == "skipgram" else step.inputs
    lg = loss_and_grad(
        step.model, step.loss_kind, centre, step.output, Win, Wout, step.negatives,
        step.path, step.code,
    )  # fmt: skip

    def J() -> float:
        return example_loss(
            step.model, step.loss_kind, step.inputs, step.output, step.negatives, Win, Wout,
            step.path, step.code,
        )  # fmt: skip

    outside = np.setdiff1d(np.arange(min(V, len(step.rows_in) + 1)), step.rows_in)
    untouched = int(outside[0]) if len(outside) else -1
    rows_in = step.rows_in if untouched < 0 else np.append(step.rows_in, untouched)
    if step.loss_kind == "softmax":
        rows_out = step.scored_ids[shown_score_rows(step, MAX_CHECK_OUT_ROWS)]
    else:
        rows_out = step.rows_out
    num_in = _numeric_rows(J, Win, rows_in, eps)
    num_out = _numeric_rows(J, Wout, rows_out, eps)
    sample_row = int(step.path[-1]) if step.loss_kind == "hs" else step.output
    return ExampleCheck(
        rows_in=rows_in,
        rows_out=rows_out,
        err_in=norm_rel_error(lg.grad_W_in[rows_in], num_in),
        err_out=norm_rel_error(lg.grad_W_out[rows_out], num_out),
        n_entries=int(num_in.size + num_out.size),
        untouched_in=untouched,
        untouched_in_max=float(np.abs(num_in[-1]).max()) if untouched >= 0 else 0.0,
        out_rows_all=len(rows_out) == len(step.rows_out),
        sample_in=np.stack([lg.grad_W_in[rows_in[0]], num_in[0]]),
        sample_out=np.stack(
            [lg.grad_W_out[sample_row], num_out[int(np.flatnonzero(rows_out == sample_row)[0])]]
        ),
        sample_out_row=sample_row,
    )


# ---- the Huffman tree of hierarchical softmax -------------------------------------------


@dataclass(frozen=True)
class TreeView:
    """The part of a Huffman tree to draw, laid out root left, leaves right.

    Nodes use the tree's numbering (0..V-1 leaves = words, V + n inner node n). A
    drawn node that is not expanded is a *slot*: a word, or a collapsed subtree.
    """

    nodes: np.ndarray  # (m,) node ids drawn, in depth-first order (bit-0 child first)
    x: np.ndarray  # (m,) depth of each drawn node (root 0)
    y: np.ndarray  # (m,) vertical position (slots 0, 1, ...; inner nodes between children)
    kind: tuple[str, ...]  # (m,) "inner", "leaf" or "collapsed"
    n_words: np.ndarray  # (m,) words under each node
    edges: np.ndarray  # (m-1, 3) parent node, child node, bit of the branch
    path_nodes: frozenset  # node ids on the root-to-target path, the target's leaf included
    target: int  # word id whose path is highlighted
    full: bool  # True when the whole tree is drawn
    top_depth: int  # every inner node above this depth is expanded (plus the path)
    V: int

    @property
    def n_slots(self) -> int:
        return sum(k != "inner" for k in self.kind)


def huffman_view(tree: HuffmanTree, target: int, max_leaves: int = MAX_TREE_LEAVES) -> TreeView:
    """The whole tree if it has at most ``max_leaves`` words; else the top levels and the
    path to ``target``, every other subtree collapsed to one slot ("⋯ k words").

    With E expanded inner nodes a binary tree shows E + 1 slots, so the top depth is
    the largest one that keeps (path ∪ top levels) + 1 ≤ max_leaves.
    """
    V = tree.V
    path_inner = {V + int(n) for n in tree.path(target)}
    inner_depth = tree.depths[V:]  # (V-1,)
    full = V <= max_leaves
    if full:
        expand = set(range(V, 2 * V - 1))
        top = int(inner_depth.max()) + 1
    else:
        top = 0
        while True:
            nxt = path_inner | {V + int(n) for n in np.flatnonzero(inner_depth < top + 1)}
            if len(nxt) + 1 > max_leaves:
                break
            top += 1
        expand = path_inner | {V + int(n) for n in np.flatnonzero(inner_depth < top)}
    n_words = np.zeros(2 * V - 1, dtype=np.int64)  # (2V-1,) leaves under each node
    n_words[:V] = 1
    for n in range(V - 1):  # children are created before their parents
        n_words[V + n] = n_words[tree.children[n]].sum()
    nodes, ys, kinds, edges = [], {}, [], []
    slot = 0
    stack = [(2 * V - 2, -1, -1)]  # (node, parent, bit)
    while stack:
        node, par, bit = stack.pop()
        nodes.append(node)
        if par >= 0:
            edges.append((par, node, bit))
        if node in expand:
            kinds.append("inner")
            c0, c1 = tree.children[node - V]
            stack += [(int(c1), node, 1), (int(c0), node, 0)]  # bit 0 is drawn first (above)
        else:
            kinds.append("leaf" if node < V else "collapsed")
            ys[node] = float(slot)
            slot += 1
    for node in reversed(nodes):  # children before parents: each inner node between its two
        if node not in ys:
            c0, c1 = tree.children[node - V]
            ys[node] = (ys[int(c0)] + ys[int(c1)]) / 2
    ids = np.array(nodes, dtype=np.int64)  # (m,)
    return TreeView(
        nodes=ids,
        x=tree.depths[ids].astype(np.float64),
        y=np.array([ys[n] for n in nodes]),
        kind=tuple(kinds),
        n_words=n_words[ids],
        edges=np.array(edges, dtype=np.int64).reshape(-1, 3),
        path_nodes=frozenset(path_inner | {int(target)}),
        target=int(target),
        full=full,
        top_depth=top,
        V=V,
    )
