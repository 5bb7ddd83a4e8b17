"""Command line: ``python -m w2v_core train|eval|gradcheck``.

    python -m w2v_core train corpus.txt --out vectors.txt --model skipgram --dim 100
    python -m w2v_core eval vectors.txt --pairs wordsim353.tsv --analogies questions-words.txt
    python -m w2v_core gradcheck

Errors in the user's input print one line and exit with status 2.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from .config import BACKENDS, LIMITS, LOSSES, MODELS, W2VConfig
from .errors import W2VError
from .gradcheck import check_all
from .tokenize import decode_text, tokenize
from .trainer import Trainer

GRADCHECK_TOLERANCE = 1e-6


def _bar(frac: float, width: int = 30) -> str:
    done = int(round(frac * width))
    return "[" + "#" * done + "." * (width - done) + f"] {100 * frac:5.1f}%"


def read_corpus(path: str, split: str = "auto") -> list[list[str]]:
    return tokenize(decode_text(Path(path).read_bytes()), split=split)


def train(args) -> int:
    cfg = W2VConfig.from_dict(
        vars(args)
        | dict(
            dynamic_window=not args.static_window,
            history_bytes=0 if args.quiet else W2VConfig().history_bytes,
        )
    )
    if cfg.backend == "numba" and cfg.loss != "negative":
        print(
            f"note: the numba kernel does negative sampling only; loss {cfg.loss!r} uses NumPy",
            file=sys.stderr,
        )
    t0 = time.perf_counter()
    sentences = read_corpus(args.corpus, args.split)
    tr = Trainer(cfg).prepare(sentences)
    n_tokens = len(tr.corpus_)
    print(
        f"{sum(map(len, sentences)):,} tokens, {len(tr.vocab_):,} words "
        f"(min_count={cfg.min_count}), {n_tokens:,} tokens kept",
        file=sys.stderr,
    )
    chunk = max(200_000, 20 * cfg.batch_size)  # each advance copies the weights once
    t_train = time.perf_counter()
    while not tr.done:
        tr.advance(chunk)
        if not args.quiet:
            elapsed = time.perf_counter() - t_train
            wps = tr.progress * n_tokens * cfg.epochs / max(elapsed, 1e-9)
            line = f"\r{_bar(tr.progress)} epoch {min(tr.epoch_ + 1, cfg.epochs)}/{cfg.epochs}"
            print(
                f"{line}  loss {tr.history_.loss[-1][1]:.3f}  {wps:,.0f} words/s",
                end="",
                file=sys.stderr,
            )
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
    t.add_argument("--backend", default=d.backend, choices=BACKENDS)
    t.add_argument("--threads", type=LIMITS["threads"].kind, default=d.threads)
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
