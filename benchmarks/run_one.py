"""Train ONE system on one corpus file and print one JSON line of figures.

Meant to run in a fresh process (the driver ``bench_engine.py`` starts one per
run) so that peak RSS and timings belong to this run alone. The clock covers
reading the file, tokenizing / building the vocabulary and training; it starts
after the imports.

Systems:
  gensim-1, gensim-2             gensim.models.Word2Vec fed LineSentence(path), workers 1 / 2
  ours-numpy, ours-numba,        our engine (w2v_core.trainer.Trainer),
  ours-numba-2                   numba with 1 / 2 threads

The printed JSON has: system, corpus, seconds, train_seconds (the epochs alone,
without reading or the vocabulary), words_per_sec (corpus tokens x epochs /
seconds), peak_rss_mb (VmHWM), vocab_size, n_tokens, and jit_compiles (numba
functions compiled during the run rather than loaded from cache).
With ``--vectors-out PATH.npz`` the learned vectors are saved as
``np.savez(PATH, words=..., vectors=...)`` (after the clock stops).
A system that cannot run prints {"system", "error"} and exits with status 2.

Example: ``python -m benchmarks.run_one --system gensim-1 --corpus benchmarks/data/lee.txt``
"""

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

SYSTEMS = ("gensim-1", "gensim-2", "ours-numpy", "ours-numba", "ours-numba-2")


def train_gensim(path: Path, args, workers: int):
    """Train gensim's Word2Vec the way a user would; return (words, W, n_tokens, train_s)."""
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence

    sentences = LineSentence(str(path))  # streams the file on every pass
    model = Word2Vec(
        sg=int(args.model == "skipgram"),
        hs=int(args.loss == "softmax"),
        negative=args.negative if args.loss == "negative" else 0,
        vector_size=args.dim,
        window=args.window,
        min_count=args.min_count,
        sample=args.sample,
        epochs=args.epochs,
        alpha=args.alpha,
        min_alpha=args.min_alpha,
        seed=args.seed,
        workers=workers,
    )
    # the same two steps Word2Vec(sentences, ...) runs, split to time training alone
    model.build_vocab(sentences)
    t_train = time.perf_counter()
    model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs)
    train_s = time.perf_counter() - t_train
    return model.wv.index_to_key, model.wv.vectors, model.corpus_total_words, train_s


def train_ours(path: Path, args, backend: str, threads: int):
    """Train our engine; return (words, W, n_tokens, train_s)."""
    from w2v_core.config import W2VConfig
    from w2v_core.textfile import read_encoded
    from w2v_core.trainer import Trainer

    fields = vars(args) | dict(backend=backend, threads=threads)
    if args.batch_size is None:  # no --batch-size: the engine's default
        fields.pop("batch_size")
    cfg = W2VConfig.from_dict(fields)  # the fields the engine knows; the others are ignored
    # as the command line does: one tokenizing pass over the file's blocks, then the
    # epochs streamed (prepare_encoded stands for prepare, advance for the rest of fit)
    vocab, corpus, n_raw = read_encoded(path, "line", cfg.min_count, cfg.max_vocab)
    tr = Trainer(cfg).prepare_encoded(vocab, corpus)
    t_train = time.perf_counter()
    tr.advance(epochs=cfg.epochs)
    train_s = time.perf_counter() - t_train
    return tr.words_, tr.W_in_, n_raw, train_s


def _import_system(system: str) -> None:
    """Import what ``system`` needs, so that the clock measures only the work."""
    if system.startswith("gensim-"):
        import gensim.models.word2vec  # noqa: F401
    else:
        import w2v_core.config  # noqa: F401
        import w2v_core.textfile  # noqa: F401
        import w2v_core.trainer  # noqa: F401


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB.

    VmHWM from /proc, not ``getrusage(RUSAGE_SELF).ru_maxrss``: on Linux a process
    started by fork + exec inherits its parent's ru_maxrss, so a child of the driver
    would report at least the driver's own size.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def jit_compiles() -> int:
    """How many numba functions of w2v_core were compiled (not loaded from cache) so far."""
    n = 0
    for name, module in list(sys.modules.items()):
        if name.startswith("w2v_core"):
            for obj in vars(module).values():
                stats = getattr(obj, "stats", None)
                n += sum(getattr(stats, "cache_misses", {}).values())
    return n


def run(args) -> dict:
    """Train the chosen system; return the figures (and save vectors if asked)."""
    path = Path(args.corpus)
    _import_system(args.system)  # imports (and numba's cache load) stay off the clock
    t0 = time.perf_counter()
    if args.system.startswith("gensim-"):
        words, W, n_tokens, train_s = train_gensim(path, args, int(args.system[-1]))
    else:
        backend = "numpy" if args.system == "ours-numpy" else "numba"
        threads = 2 if args.system.endswith("-2") else 1
        words, W, n_tokens, train_s = train_ours(path, args, backend, threads)
    seconds = time.perf_counter() - t0
    rss_mb = peak_rss_mb()

    if args.vectors_out:
        np.savez(args.vectors_out, words=np.array(list(words)), vectors=np.asarray(W, np.float32))
    return {
        "system": args.system,
        "corpus": args.corpus_name or path.stem,
        "seconds": round(seconds, 4),
        "train_seconds": round(train_s, 4),
        "words_per_sec": round(n_tokens * args.epochs / seconds),
        "peak_rss_mb": round(rss_mb, 1),
        "vocab_size": len(words),
        "n_tokens": int(n_tokens),
        "jit_compiles": jit_compiles(),  # > 0: numba compiled inside the timed run
    }


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--system", required=True, choices=SYSTEMS)
    p.add_argument("--corpus", required=True, help="prepared corpus file, one sentence a line")
    p.add_argument("--corpus-name", help="name to report (default: file stem)")
    p.add_argument("--vectors-out", help="save words + vectors here (.npz)")
    p.add_argument("--model", default="skipgram", choices=("skipgram", "cbow"))
    p.add_argument("--loss", default="negative", choices=("negative", "softmax"))
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--negative", type=int, default=5)
    p.add_argument("--sample", type=float, default=1e-3)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--alpha", type=float, default=0.025)
    p.add_argument("--min-alpha", type=float, default=0.0001)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch-size", type=int, default=None, help="ours only; default: engine's")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        result = run(args)
    except ImportError as e:  # our engine (or numba) is not there (yet)
        result = {"system": args.system, "error": f"not available: {e}"}
    except Exception as e:  # report any failure as one line, keep the driver going
        result = {"system": args.system, "error": f"{type(e).__name__}: {e}"}
    print(json.dumps(result), flush=True)
    return 2 if "error" in result else 0


if __name__ == "__main__":
    sys.exit(main())
