"""The Huffman tree of hierarchical softmax (Morin & Bengio 2005; Mikolov et al. 2013a, b).

Hierarchical softmax replaces the V output scores of the full softmax by a walk
down a binary tree whose V leaves are the words: each of the V - 1 inner nodes n
has an output vector u_n (a row of W_out), and at each node on the way to word w
the model takes branch 0 with probability σ(u_n·h) and branch 1 with probability
σ(-u_n·h). word2vec builds the tree with Huffman's algorithm on the word counts,
so frequent words sit near the root and cost few dot products.

Construction follows ``CreateBinaryTree`` of word2vec.c, so with the same word
order the codes and inner-node ids match word2vec.c's:

* words are sorted by descending count (our ids already are);
* nodes 0..V-1 are the leaves (node w = word w), nodes V..2V-2 the inner nodes
  in the order they are created, so the root is node 2V-2;
* two queues: the leaves from the rarest upward (pos1 = V-1, V-2, ...) and the
  inner nodes in creation order (pos2 = V, V+1, ...), whose counts never
  decrease. Each merge takes the two smallest fronts; on a tie between a leaf
  and an inner node the **inner node** is taken (word2vec.c tests
  ``count[pos1] < count[pos2]``, strictly);
* the first node taken becomes the parent's child with bit 0, the second the
  child with bit 1.

gensim 4 builds its tree differently (``_build_heap``: a binary heap of
(count, index) items), so where counts are tied it can merge other nodes than
word2vec.c and give words other codes (on the royalty preset most codes differ).
Both are Huffman trees of the same counts, so the mean code length weighted by
the counts (the average cost of an example) is the same; only which of two
equally frequent words gets the longer code changes.

Inner node V + n is stored as **inner-node id n** (0..V-2, root = V-2): row n of
W_out holds its vector u_n (word2vec.c's syn1), and row V-1 is unused. A word's
``path`` lists the inner-node ids from the root down and its ``code`` the bit of
the branch taken at each of them (both of length L_w, the code length).
"""

from dataclasses import dataclass, field

import numpy as np

from .errors import CorpusError


@dataclass(frozen=True)
class HuffmanTree:
    """A Huffman tree over V words: paths, codes and the tree structure.

    Node numbering (the tree structure): 0..V-1 are the leaves (word ids),
    V..2V-2 the inner nodes (inner-node id n is node V + n).
    """

    points: np.ndarray  # (V, L) int32 inner-node ids from the root down; -1 pads
    codes: np.ndarray  # (V, L) int8 branch bit at each of those nodes; -1 pads
    lengths: np.ndarray  # (V,) int64 code length L_w (number of inner nodes on w's path)
    children: np.ndarray  # (V-1, 2) int64 node ids of inner node n's bit-0 and bit-1 child
    parent: np.ndarray  # (2V-1,) int64 node id of each node's parent; -1 for the root
    node_counts: np.ndarray  # (2V-1,) int64 corpus count under each node (leaf: the word's)
    depths: np.ndarray  # (2V-1,) int64 depth of each node (root 0; a leaf's is its code length)
    word_counts: np.ndarray = field(repr=False)  # (V,) the counts the tree was built from

    @property
    def V(self) -> int:
        return len(self.lengths)

    @property
    def root(self) -> int:
        """Inner-node id of the root (node 2V-2)."""
        return self.V - 2

    @property
    def max_length(self) -> int:
        return int(self.lengths.max())

    @property
    def mean_length(self) -> float:
        """Code length averaged over corpus tokens: Σ_w count_w L_w / Σ_w count_w."""
        c = self.word_counts.astype(np.float64)  # (V,)
        return float((c * self.lengths).sum() / c.sum())

    def path(self, w: int) -> np.ndarray:
        """Inner-node ids n_1 (the root), ..., n_L on the way to word w."""
        return self.points[w, : self.lengths[w]].astype(np.int64)  # (L_w,)

    def code(self, w: int) -> np.ndarray:
        """Bits c_1, ..., c_L of the branches taken on the way to word w."""
        return self.codes[w, : self.lengths[w]].astype(np.int64)  # (L_w,)

    def code_string(self, w: int) -> str:
        return "".join(str(int(b)) for b in self.code(w))

    def leaves_under(self, node: int) -> np.ndarray:
        """Word ids in the subtree of ``node`` (a node id, not an inner-node id)."""
        if node < self.V:
            return np.array([node], dtype=np.int64)
        n = node - self.V
        return np.flatnonzero(np.any(self.points == n, axis=1))  # (k,)

    def top_nodes(self, n: int) -> np.ndarray:
        """The ``n`` inner-node ids with the largest counts, root first.

        Inner nodes are created in order of non-decreasing count, so these are the
        ids V-2, V-3, ...: the nodes nearest the root, updated most often in training.
        """
        n = int(max(0, min(n, self.V - 1)))
        return np.arange(self.V - 2, self.V - 2 - n, -1, dtype=np.int64)  # (n,)


def build_huffman(counts) -> HuffmanTree:
    """word2vec.c's Huffman tree for ``counts`` (V,), sorted in descending order."""
    counts = np.asarray(counts, dtype=np.int64)  # (V,)
    V = len(counts)
    if V < 2:
        raise CorpusError("Hierarchical softmax needs at least two words in the vocabulary.")
    if np.any(np.diff(counts) > 0):
        raise CorpusError("Huffman coding needs the counts sorted from most to least frequent.")
    n_nodes = 2 * V - 1
    count = counts.tolist() + [0] * (V - 1)  # node counts (Python ints: the loop is scalar)
    parent = [-1] * n_nodes
    bit = [0] * n_nodes
    children = [[0, 0] for _ in range(V - 1)]
    pos1, pos2 = V - 1, V  # front of the leaf queue (rarest first), of the inner-node queue
    for a in range(V - 1):
        pair = []
        for _ in range(2):
            if pos1 >= 0 and (pos2 >= V + a or count[pos1] < count[pos2]):
                pair.append(pos1)
                pos1 -= 1
            else:
                pair.append(pos2)
                pos2 += 1
        node = V + a
        count[node] = count[pair[0]] + count[pair[1]]
        for b, child in enumerate(pair):
            parent[child] = node
            bit[child] = b
            children[a][b] = child
    # depth of every node, from the root down (parents are created after their children)
    depth = [0] * n_nodes
    for node in range(n_nodes - 2, -1, -1):
        depth[node] = depth[parent[node]] + 1
    lengths = np.array(depth[:V], dtype=np.int64)  # (V,)
    L = int(lengths.max())
    points = np.full((V, L), -1, dtype=np.int32)  # (V, L)
    codes = np.full((V, L), -1, dtype=np.int8)  # (V, L)
    # walk all leaves up together, one level per iteration, writing from the end of the path
    parent_arr = np.array(parent, dtype=np.int64)  # (2V-1,)
    bit_arr = np.array(bit, dtype=np.int8)  # (2V-1,)
    node = np.arange(V, dtype=np.int64)  # (V,) current node of each word's walk
    col = lengths - 1  # (V,) column of the path being written
    live = col >= 0  # (V,)
    while live.any():
        w = np.flatnonzero(live)  # (k,)
        codes[w, col[w]] = bit_arr[node[w]]
        node[w] = parent_arr[node[w]]
        points[w, col[w]] = node[w] - V
        col[w] -= 1
        live = col >= 0
    return HuffmanTree(
        points=points,
        codes=codes,
        lengths=lengths,
        children=np.array(children, dtype=np.int64).reshape(V - 1, 2),
        parent=parent_arr,
        node_counts=np.array(count, dtype=np.int64),
        depths=np.array(depth, dtype=np.int64),
        word_counts=counts,
    )
