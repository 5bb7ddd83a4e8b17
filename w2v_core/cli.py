"""Command line: ``python -m w2v_core train|eval|gradcheck``.

    python -m w2v_core train corpus.txt --out vectors.txt --model skipgram --dim 100
    python -m w2v_core eval vectors.txt --pairs wordsim353.tsv --analogies questions-words.txt
    python -m w2v_core gradcheck

Training streams: the file is read in blocks (``textfile.read_encoded``: one
tokenizing pass, 4 bytes a token kept) and the epochs are trained one chunk of
examples at a time, so memory holds the weights, the encoded corpus and one chunk
(the weights once: trained in place; the reading's garbage is returned, ``heap.py``).
The backend defaults to "auto" (numba when it imports, else NumPy), with as many
threads as this process may use; the first line printed names what was chosen.

Errors in the user's input print one line and exit with status 2.
"""

import argparse
import os
import sys
import time

import numpy as np

from .config import BACKENDS, LIMITS, LOSSES, MODELS, W2VConfig, resolve_backend
from .errors import W2VError
from .gradcheck import check_all
from .heap import returning_freed_memory
from .textfile import read_encoded
from .trainer import Trainer

GRADCHECK_TOLERANCE = 1e-6


def _bar(frac: float, width: int = 30) -> str:
    done = int(round(frac * width))
    return "[" + "#" * done + "." * (width - done) + f"] {100 * frac:5.1f}%"


def train(args) -> int:
    cfg = W2VConfig.from_dict(
        vars(args)
        | dict(
            dynamic_window=not args.static_window,
            threads=args.threads if args.threads is not None else default_threads(),
            history_bytes=0 if args.quiet else W2VConfig().history_bytes,
        )
    )
    t0 = time.perf_counter()
    backend = resolve_backend(cfg.validate().backend)  # "auto" imports numba here, if it can
    cfg = cfg.replace(backend=backend)
    print(describe_backend(args.backend, cfg))
    with returning_freed_memory():  # the reading's token strings go back to the system
        vocab, corpus, n_raw = read_encoded(args.corpus, args.split, cfg.min_count, cfg.max_vocab)
    tr = Trainer(cfg).prepare_encoded(vocab, corpus)
    n_tokens = len(tr.corpus_)
    print(
        f"{n_raw:,} tokens, {len(tr.vocab_):,} words "
        f"(min_count={cfg.min_count}), {n_tokens:,} tokens kept",
        file=sys.stderr,
    )
    t_train = time.perf_counter()
    shown = [0.0]  # when the progress line was last drawn

    def progress(trainer, chunk_loss):
        now = time.perf_counter()
        if args.quiet or now - shown[0] < 0.2:
            return
        shown[0] = now
        wps = trainer.progress * n_tokens * cfg.epochs / max(now - t_train, 1e-9)
        epoch = min(trainer.epoch_ + 1, cfg.epochs)
        line = f"\r{_bar(trainer.progress)} epoch {epoch}/{cfg.epochs}"
        print(f"{line}  loss {chunk_loss:.3f}  {wps:,.0f} words/s", end="", file=sys.stderr)

    # streamed, one chunk at a time; in place: nothing else holds the weights here
    tr.advance(epochs=cfg.epochs, callback=progress, copy=False)
    train_s = time.perf_counter() - t_train
    words_per_sec = n_tokens * cfg.epochs / train_s
    if not args.quiet:
        print(file=sys.stderr)
    print(
        f"trained in {train_s:.2f} s: {words_per_sec:,.0f} words/s "
        f"(total {time.perf_counter() - t0:.2f} s)"
    )
    if args.out:
        save_trainer(tr, args.out)
        print(f"wrote {args.out}")
    return 0


def default_threads() -> int:
    """Threads the command line trains with by default: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def describe_backend(asked: str, cfg: W2VConfig) -> str:
    """The first line the command prints: which backend trains, and why."""
    how = "auto: numba imports" if asked == "auto" and cfg.backend == "numba" else ""
    how = "auto: numba is not installed" if asked == "auto" and cfg.backend == "numpy" else how
    threads = f", {cfg.threads} thread{'s' if cfg.threads != 1 else ''}"
    line = f"backend: {cfg.backend}" + (f" ({how})" if how else "")
    if cfg.backend == "numba" and cfg.loss != "negative":
        return line + f"; numba does negative sampling only: loss {cfg.loss!r} uses NumPy"
    return line + (threads if cfg.backend == "numba" else "")


def save_trainer(tr: Trainer, path: str) -> None:
    """word2vec text for .txt/.vec, the whole model as npz for .npz."""
    from . import io

    if path.endswith(".npz"):
        io.save_model_npz(
            path,
            {
                "W_in": tr.W_in_,
                "W_out": tr.W_out_,
                "words": np.array(tr.words_),
                "counts": tr.vocab_.counts,
            },
            {"config": tr.config.to_dict(), "epoch": tr.epoch_, "examples_seen": tr.examples_seen_},
        )
    else:
        io.save_word2vec_text(path, tr.words_, tr.W_in_)


def load_vectors(path: str) -> tuple[list[str], np.ndarray]:
    from . import io

    if path.endswith(".npz"):
        arrays, _ = io.load_model_npz(path)
        return [str(w) for w in arrays["words"]], arrays["W_in"]
    return io.load_word2vec_text(path)


def evaluate(args) -> int:
    from . import analysis

    if not args.pairs and not args.analogies:
        raise W2VError("give --pairs FILE and/or --analogies FILE")
    words, W = load_vectors(args.vectors)
    print(f"{len(words):,} vectors of dimension {W.shape[1]}")
    if args.pairs:
        r = analysis.evaluate_pairs(W, words, args.pairs)
        print(
            f"word pairs: Spearman {r.spearman:.4f}, Pearson {r.pearson:.4f} "
            f"({r.n_used} pairs used, {r.n_oov} out of vocabulary)"
        )
    if args.analogies:
        r = analysis.evaluate_analogies(W, words, args.analogies, restrict=args.restrict)
        print(
            f"analogies: {100 * r.accuracy:.2f}% ({r.n_correct}/{r.n_total}, {r.n_skipped} skipped)"
        )
    return 0


def gradcheck(args) -> int:
    worst = 0.0
    for r in check_all(seed=args.seed):
        print(f"{r.model:9s} {r.loss:9s} max relative error {r.max_rel_error:.2e}")
        worst = max(worst, r.max_rel_error)
    ok = worst < GRADCHECK_TOLERANCE
    print(f"{'PASS' if ok else 'FAIL'}: worst {worst:.2e} (tolerance {GRADCHECK_TOLERANCE:g})")
    return 0 if ok else 1


def parser() -> argparse.ArgumentParser:
    d = W2VConfig()
    p = argparse.ArgumentParser(prog="python -m w2v_core", description="Word2Vec Lab engine")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train vectors on a text file")
    t.add_argument("corpus", help="UTF-8 text, one sentence per line (or prose)")
    t.add_argument("--out", help="output: .txt (word2vec text) or .npz (whole model)")
    t.add_argument("--split", default="auto", choices=["auto", "line", "sentence"])
    t.add_argument("--model", default=d.model, choices=MODELS)
    t.add_argument(
        "--loss",
        default=d.loss,
        choices=LOSSES,
        help="output layer: negative sampling, full softmax or hierarchical softmax",
    )
    for field in ("dim", "window"):
        t.add_argument(f"--{field}", type=LIMITS[field].kind, default=getattr(d, field))
    t.add_argument("--static-window", action="store_true", help="always use the full window")
    for field in ("negative", "noise_alpha", "alpha", "min_alpha", "epochs", "min_count",
                  "max_vocab", "sample", "batch_size", "seed"):  # fmt: skip
        flag = "--" + field.replace("_", "-")
        t.add_argument(flag, type=LIMITS[field].kind, default=getattr(d, field))
    t.add_argument("--backend", default="auto", choices=BACKENDS,
                   help="auto (default): numba when it imports, else numpy")  # fmt: skip
    t.add_argument("--threads", type=LIMITS["threads"].kind, default=None,
                   help="numba threads (default: the CPUs available)")  # fmt: skip
    t.add_argument("--quiet", action="store_true", help="no progress bar, no history")
    t.set_defaults(func=train)

    e = sub.add_parser("eval", help="score vectors on word pairs and/or analogies")
    e.add_argument("vectors", help="word2vec text file or .npz model")
    e.add_argument("--pairs", help="wordsim353-style file: word1 TAB word2 TAB score")
    e.add_argument("--analogies", help="questions-words.txt-style file")
    e.add_argument("--restrict", type=int, default=30_000, help="search the top N words only")
    e.set_defaults(func=evaluate)

    g = sub.add_parser("gradcheck", help="check all gradients against central differences")
    g.add_argument("--seed", type=int, default=0)
    g.set_defaults(func=gradcheck)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (W2VError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
