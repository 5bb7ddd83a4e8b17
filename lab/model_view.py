"""Small pure helpers for page 5 (the model and one SGD step). No Streamlit here.

They turn a ``w2v_core.step.Step`` and the trainer's arrays into the tables and
numbers the page shows. ``warm_start`` trains a copy of the model briefly (so the
step shown first has a non-zero W_in gradient) and ``step_view`` builds the step
the page draws, from the weights and example the student chose, with the
engine's ``sgd_step``; the gradient check lives in ``w2v_core.gradcheck``. Under
hierarchical softmax they also choose the part of the Huffman tree to draw
(``huffman_view``). Arrays passed in are never modified.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit, logsumexp

from lab.escape import md
from lab.exercises import Exercise, instance_rng
from w2v_core.analysis import nearest
from w2v_core.config import W2VConfig
from w2v_core.errors import W2VError
from w2v_core.huffman import HuffmanTree
from w2v_core.pairs import Corpus
from w2v_core.step import Step, sgd_step
from w2v_core.trainer import Trainer

MAX_HEATMAP_ROWS = 60  # heatmaps never draw more rows than this
WARM_EXAMPLES = 300  # the step shown first comes from a copy trained on this many examples
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


# ---- the example a step is shown for ---------------------------------------------------


@dataclass(frozen=True)
class Example:
    """One training example as the page shows it: ids, noise draw, learning rate, place."""

    inputs: np.ndarray  # (m,) ids feeding h: the centre word (skip-gram) or the contexts
    output: int  # id of the word to predict (Ng's t)
    negatives: np.ndarray  # (k,) the noise draw (a draw equal to ``output`` is dropped later)
    alpha: float  # the learning rate at this example
    token: int = -1  # corpus position of the centre word (-1: a pair the student typed)
    context_tokens: tuple = ()  # corpus positions of the context word(s)


def next_example(tr: Trainer) -> Example:
    """The trainer's next example (its noise draw included), without training on it."""
    s = tr.explain_next()
    ex, i = tr.examples, tr.cursor_
    skipgram = tr.config.model == "skipgram"
    ctx = ex.context_token[i] if skipgram else ex.context_tokens[i]
    raw = np.asarray(s.negatives, dtype=np.int64)  # (k',) the draw minus copies of the output
    return Example(
        inputs=np.asarray(s.inputs, dtype=np.int64),
        output=int(s.output),
        negatives=np.concatenate([raw, np.full(s.dropped_negatives, s.output, np.int64)]),
        alpha=float(s.alpha),
        token=int(ex.token[i]),
        context_tokens=tuple(int(t) for t in np.atleast_1d(ctx) if t >= 0),
    )


@dataclass(frozen=True)
class Warm:
    """A copy of the model at initialisation and after a few hundred examples."""

    n_trained: int  # examples the copy trained on (minibatches of config.batch_size)
    W_in0: np.ndarray  # (V, d) W_in at initialisation (uniform in [-1/d, 1/d))
    W_out0: np.ndarray  # (V, d) W_out at initialisation (zeros)
    W_in: np.ndarray  # (V, d) W_in after n_trained examples
    W_out: np.ndarray  # (V, d) W_out after n_trained examples
    example: Example  # the copy's next example: the one whose step is shown


def warm_start(config: W2VConfig, sentences, n: int = WARM_EXAMPLES) -> Warm:
    """Train a fresh copy of the model (same config and seed) on its first ``n`` examples.

    The copy stops before its last example, so there is always a next one to show. Raises
    W2VError when the settings cannot build or train the model.
    """
    tr = Trainer(config).prepare(sentences)
    W_in0, W_out0 = tr.W_in_.copy(), tr.W_out_.copy()  # (V, d), (V, d)
    done = 0
    while done < n:
        room = len(tr.examples) - tr.cursor_
        if tr.epoch_ == config.epochs - 1:
            room -= 1  # keep the last example of the last epoch
        m = min(n - done, room)
        if m <= 0:
            break
        done += tr.advance(n=m).examples
    return Warm(done, W_in0, W_out0, tr.W_in_.copy(), tr.W_out_.copy(), next_example(tr))


WEIGHTS = {
    "warm": "briefly trained",
    "init": "at initialisation",
    "yours": "your model",
}  # where the weights of the shown step come from


@dataclass(frozen=True)
class StepChoice:
    """What the student chose for the shown step (the page's widgets, as ids)."""

    weights: str = "warm"  # a key of WEIGHTS
    custom: bool = False  # True: a pair the student typed, not the next example
    inputs: tuple = ()  # custom: the centre word, or the context words (CBOW)
    output: int = -1  # custom: the word to predict
    draw: int = 0  # custom: which noise draw
    noise: tuple | None = None  # noise ids the student picked (None: the drawn ones)


@dataclass(frozen=True)
class StepView:
    """One SGD step ready to draw: the weights before it, the example, the engine's Step."""

    weights: str  # a key of WEIGHTS
    trained: int  # examples the weights before the step have seen
    W_in: np.ndarray  # (V, d) W_in before the step
    W_out: np.ndarray  # (V, d) W_out before the step
    example: Example
    step: Step
    applicable: bool  # the session model's own next example with its own noise: Apply trains it
    noise_chosen: bool  # the student picked the noise words


def step_view(tr: Trainer, warm: Warm | None, choice: StepChoice) -> StepView:
    """The step to show: ``choice`` picks the weights (the warm copy, its initial weights,
    or the session trainer ``tr``) and the example; the engine's ``sgd_step`` does the maths.
    Raises W2VError when there is no example to show (training finished, no input word)."""
    cfg = tr.config
    if choice.weights == "yours" or warm is None:
        example = next_example(tr)
        W_in, W_out, trained, weights = tr.W_in_, tr.W_out_, tr.examples_seen_, "yours"
    else:
        example = warm.example
        init = choice.weights == "init"
        W_in, W_out = (warm.W_in0, warm.W_out0) if init else (warm.W_in, warm.W_out)
        trained, weights = (0 if init else warm.n_trained), choice.weights
    if choice.custom:
        if not choice.inputs:
            raise W2VError("Choose at least one context word.")
        rng = np.random.default_rng([cfg.seed, int(choice.draw), int(choice.output)])
        negs = tr.sampler_.draw(rng, cfg.negative) if cfg.loss == "negative" else ()
        example = Example(np.asarray(choice.inputs, dtype=np.int64), int(choice.output),
                          np.asarray(negs, dtype=np.int64), example.alpha)  # fmt: skip
    if choice.noise is not None and cfg.loss == "negative":
        example = Example(example.inputs, example.output, np.asarray(choice.noise, np.int64),
                          example.alpha, example.token, example.context_tokens)  # fmt: skip
    step = sgd_step(
        cfg.model, cfg.loss, example.inputs, example.output, example.negatives, W_in, W_out,
        example.alpha, cfg.cbow_update, tr.tree_ if cfg.loss == "hs" else None,
    )  # fmt: skip
    mine = weights == "yours" and not choice.custom and choice.noise is None
    return StepView(weights, trained, W_in, W_out, example, step, mine, choice.noise is not None)


def sentence_marks(corpus: Corpus, words, example: Example) -> tuple[int, list[tuple[str, str]]]:
    """(sentence index, [(word, role)]) around the example: role "centre", "context" or ""."""
    ids, first, sent = sentence_around(corpus, example.token)
    ctx = set(example.context_tokens)
    marks = []
    for j, w in enumerate(ids):
        pos = first + j
        role = "centre" if pos == example.token else "context" if pos in ctx else ""
        marks.append((words[int(w)], role))
    return sent, marks


# ---- after training: which matrix holds the word vectors --------------------------------

SPACES = {
    "W_in": "W_in (word2vec's output)",
    "sum": "W_in + W_out",
    "W_out": "W_out alone",
}


def space(W_in: np.ndarray, W_out: np.ndarray, which: str) -> np.ndarray:
    """(V, d) word vectors from one choice of SPACES (a new array)."""
    if which == "W_in":
        return np.array(W_in, dtype=np.float64)
    if which == "W_out":
        return np.array(W_out, dtype=np.float64)
    return np.asarray(W_in, dtype=np.float64) + np.asarray(W_out, dtype=np.float64)


def nearest_in(W_in, W_out, words, query: str, which: str, k: int = 8) -> list:
    """The ``k`` nearest words of ``query`` (cosine) in the vectors ``which`` of SPACES."""
    return nearest(space(W_in, W_out, which), words, query, k=max(1, min(k, len(words) - 1)))


def neighbours_frame(hits) -> pd.DataFrame:
    """A table of (word, cosine) hits, ranked from 1."""
    return pd.DataFrame({"rank": range(1, len(hits) + 1), "word": [w for w, _ in hits],
                         "cosine": [round(float(c), 3) for _, c in hits]})  # fmt: skip


# ---- exercises ------------------------------------------------------------------------------

PAGE = "5. The model and one SGD step"


def exercises(seed: int, words, d: int, view: StepView | None) -> list[Exercise]:
    """Three 'predict, then reveal' questions whose answers come from this vocabulary, this
    d and the step on show: a one-hot look-up, the shape of θ_t, the rows a step changes."""
    V = len(words)
    rng = instance_rng(seed, "model.onehot")
    i = int(rng.integers(0, min(V, 12)))
    n = min(V, max(i + 3, 6))
    x = ", ".join("1" if j == i else "0" for j in range(n)) + (", …" if V > n else "")
    out = [Exercise(
        "model.onehot", PAGE,
        f"x = [{x}] has V = {V:,} entries. Which word's row of W_in does xᵀ W_in pick? "
        "(Ids count from 0, most frequent word first; the look-up figure labels rows 'id: word'.)",
        "word", words[i],
        f"The 1 sits at position {i}, so xᵀ W_in is row {i} of W_in: the vector of "
        f"'{md(words[i])}'.",
    )]  # fmt: skip
    shapes = (f"{d} × 1", f"{V:,} × {d}", f"1 × {V:,}", f"{d} × {d}")
    order = instance_rng(seed, "model.theta").permutation(len(shapes))
    out.append(Exercise(
        "model.theta", PAGE, f"With d = {d} and V = {V:,}, what shape is θ_t (Ng's notation)?",
        "choice", shapes[0],
        f"θ_t is the output vector of one word: d × 1 = {d} × 1, one row of W_out stood up as a "
        "column. Its score θ_tᵀ e_c is a dot product with e_c, which has d entries too.",
        options=tuple(shapes[j] for j in order),
    ))  # fmt: skip
    if view is not None:
        out.append(rows_exercise(view, words))
    return out


def rows_exercise(view: StepView, words) -> Exercise:
    """Which rows of W_out will the shown step change?"""
    step = view.step
    where = "in section 'One SGD step' "
    if step.loss_kind == "negative":
        ans = tuple(dict.fromkeys(words[int(j)] for j in step.rows_out))
        return Exercise(
            "model.rows", PAGE,
            f"Predict before you scroll: the step {where}predicts "
            f"'{md(words[step.output])}' with noise words "
            f"{md(', '.join(words[int(j)] for j in step.negatives)) or 'none'}. Which words' "
            "rows of W_out will it change?", "words", ans,
            "Negative sampling scores only the word to predict and the noise words: those "
            f"{len(ans)} rows of W_out move; the other {len(words) - len(ans):,} stay put.",
        )  # fmt: skip
    n = len(step.rows_out)
    why = (
        "The softmax scores every word, so every row of W_out gets a gradient."
        if step.loss_kind == "softmax"
        else "Hierarchical softmax scores only the inner nodes on the path of the word to "
        f"predict: its code has {n} bits, one row of W_out per node."
    )
    return Exercise(
        "model.rows", PAGE,
        f"Predict before you scroll: the step {where}predicts '{md(words[step.output])}' with "
        f"{'the full softmax' if step.loss_kind == 'softmax' else 'hierarchical softmax'}. "
        "How many rows of W_out will it change?", "number", n, why,
    )  # fmt: skip
