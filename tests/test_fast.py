"""The compiled helpers give exactly what their NumPy twins give (numba is optional)."""

import numpy as np
import pytest

from w2v_core import fast
from w2v_core.pairs import Corpus, context_radii, expand_pairs, skipgram_pairs, subsample
from w2v_core.sampler import NoiseSampler

pytestmark = pytest.mark.skipif(not fast.available(), reason="numba not installed")


def random_corpus(seed: int, n_sentences: int = 300, V: int = 40) -> Corpus:
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 30, size=n_sentences)  # one-word sentences included
    zipf = 1 / np.arange(1, V + 1)
    return Corpus.from_encoded([rng.choice(V, n, p=zipf / zipf.sum()) for n in lengths])


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("dynamic", [False, True])
@pytest.mark.parametrize("window", [1, 3, 10])
def test_expand_pairs_equals_numpy(seed, dynamic, window):
    corpus = random_corpus(seed)
    keep = np.random.default_rng(seed).uniform(0.3, 1.0, size=40)  # subsampling on
    kept = subsample(corpus, keep, np.random.default_rng(seed)).astype(np.int32)
    left, right = context_radii(corpus, kept, window, dynamic, np.random.default_rng(seed))
    want = expand_pairs(kept, left, right, corpus.ids)
    got = fast.expand_pairs(kept, left, right, corpus.ids)
    assert len(want[0]) > 0
    for a, b in zip(want, got, strict=True):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


def test_skipgram_pairs_with_compiled_expansion_are_the_same_pairs():
    corpus = random_corpus(7)
    args = dict(dynamic=True, keep_probs=np.full(40, 0.8))
    a = skipgram_pairs(corpus, 5, rng=np.random.default_rng(3), **args)
    b = skipgram_pairs(corpus, 5, rng=np.random.default_rng(3), expand=fast.expand_pairs, **args)
    for field in ("target", "context", "token", "context_token"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))


@pytest.mark.parametrize("V", [1, 2, 7, 1000])
def test_noise_outputs_equal_numpy(V):
    rng = np.random.default_rng(V)
    sampler = NoiseSampler(rng.random(V) ** 3 + 1e-3)  # skewed: many alias columns
    truth = rng.integers(0, V, size=5000).astype(np.int32)
    u = rng.random((5000, 5))
    u[:4, 0] = [0.0, np.nextafter(1.0, 0), 0.5, (V - 1) / V]  # the edges of the columns
    want = sampler.outputs(truth, u)
    got = fast.noise_outputs(sampler, truth, u)
    assert got.dtype == want.dtype == np.int32
    np.testing.assert_array_equal(got, want)
    if V <= 7:
        assert (want[:, 1:] == -1).any()  # the skip of the true word is exercised


def test_noise_outputs_follow_the_noise_distribution():
    probs = np.array([0.5, 0.25, 0.125, 0.125])
    sampler = NoiseSampler(probs)
    u = np.random.default_rng(0).random((100_000, 1))
    got = fast.noise_outputs(sampler, np.full(100_000, -5, np.int32), u)[:, 1]  # no true word
    np.testing.assert_allclose(np.bincount(got, minlength=4) / len(got), probs, atol=0.01)


def test_thread_pace_keeps_the_faster_count_and_looks_again():
    pace = fast.ThreadPace(2, explore=4, max_explore=16)
    assert pace.choose() == 2
    pace.record(2, seconds=3.0, examples=1000)  # two threads slow (a split-die VM)
    assert pace.choose() == 1
    pace.record(1, seconds=1.0, examples=1000)

    def run(chunks, slow):
        picks = []
        for _ in range(chunks):
            t = pace.choose()
            picks.append(t)
            pace.record(t, seconds=3.0 if t == slow else 1.0, examples=1000)
        return picks

    picks = run(60, slow=2)
    retries = [i for i, t in enumerate(picks) if t == 2]
    # the slow option is retried, not kept, and less often while it stays slower (cap 16)
    assert retries[0] <= 4 and np.diff(retries).tolist() == [8, 16, 16, 16]
    picks = run(40, slow=1)  # the VM changed: two threads are now the faster
    switch = picks.index(2)
    assert switch < 16 and picks[switch:].count(2) >= len(picks[switch:]) - 3  # found, kept
    assert picks[switch + 1 : switch + 6].count(1) == 1  # retries are frequent again (every 4)
    assert fast.ThreadPace(1).options == [1]


def test_the_prefetch_hint_compiles_on_this_build():
    """The kernel asks the CPU to load the rows it will need (fast.prefetch_row); where LLVM
    refuses the hint it falls back to doing nothing, which is correct but slower: this test
    says so rather than let the fallback pass unnoticed. The hint changes no value."""
    fast._check_prefetch()  # what train_range does before the kernel first compiles
    assert fast.prefetch_row.py_func is fast._prefetch_row
    a = np.arange(40, dtype=np.float32).reshape(2, 20)
    fast.prefetch_row(a, 1)
    np.testing.assert_array_equal(a, np.arange(40, dtype=np.float32).reshape(2, 20))
