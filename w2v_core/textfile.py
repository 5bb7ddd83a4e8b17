"""A corpus file read in blocks: its vocabulary and encoded corpus in one tokenizing pass.

What the command line trains on. ``tokenize(decode_text(file bytes))`` would hold
the whole text, then every token as a Python string (about 60 bytes a token);
this reads ``BLOCK_BYTES`` at a time, cut after a line break, and keeps only a
4-byte id per token (a ``FlatCorpus``). The result is exactly what
``build_vocab`` and ``Vocab.encode`` give on ``tokenize(decode_text(bytes), split)``
(tested): the tokenizer works line by line, so blocks of whole lines tokenize as
the whole text does, and words get provisional ids in order of first appearance,
the order in which ``build_vocab`` breaks ties between equal counts.

With ``split="auto"`` a first, cheap pass looks for a line holding more than one
sentence (as ``split_sentences`` decides), so that every block is split the same way.
"""

from collections import defaultdict
from itertools import chain, count
from pathlib import Path

import numpy as np

from .pairs import FlatCorpus
from .tokenize import decode_text, split_sentences, tokenize
from .vocab import Vocab, vocab_from_counts

BLOCK_BYTES = 1 << 20  # bytes read at a time (whole lines: a longer line makes a longer block)


def read_blocks(path: str | Path, block_bytes: int = BLOCK_BYTES):
    """The file's text in pieces of whole lines, decoded and checked as ``decode_text`` does
    (same errors, same line numbers)."""
    lines_before, carry, first = 0, b"", True
    with open(path, "rb") as f:
        while True:
            data = f.read(block_bytes)
            buf = carry + data
            cut = len(buf) if not data else buf.rfind(b"\n") + 1  # the whole rest at the end
            if cut == 0 and data:  # no line break yet: read on
                carry = buf
                continue
            block, carry = buf[:cut], buf[cut:]
            if block or first:
                yield _decode(block, first, lines_before)
                lines_before += block.count(b"\n")
                first = False
            if not data:
                return


def _decode(data: bytes, first: bool, lines_before: int) -> str:
    if first:
        return decode_text(data)  # byte-order marks, NUL bytes, UTF-8
    if b"\x00" not in data:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    # let decode_text word the error; the line breaks before this block keep its line number
    return decode_text(b"\n" * lines_before + data)


def split_mode(path: str | Path, split: str = "auto", block_bytes: int = BLOCK_BYTES) -> str:
    """ "line" or "sentence": what ``split`` means for this file (``split_sentences``'s rule)."""
    if split != "auto":
        split_sentences("", split)  # refuses an unknown mode
        return split
    for text in read_blocks(path, block_bytes):
        if len(split_sentences(text, "sentence")) > len(split_sentences(text, "line")):
            return "sentence"
    return "line"


def read_encoded(
    path: str | Path,
    split: str = "auto",
    min_count: int = 1,
    max_vocab: int | None = None,
    block_bytes: int = BLOCK_BYTES,
) -> tuple[Vocab, FlatCorpus, int]:
    """(vocabulary, encoded corpus, raw token count) of a text file, in one tokenizing pass."""
    mode = split_mode(path, split, block_bytes)
    first_seen: defaultdict[str, int] = defaultdict(count().__next__)  # word -> provisional id
    blocks, n_raw = [], 0  # per block: (provisional ids (n,), sentence lengths (s,))
    counts = np.zeros(0, dtype=np.int64)  # (V0,) count of each provisional id
    for text in read_blocks(path, block_bytes):
        sentences = tokenize(text, split=mode)
        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))  # (s,)
        n = int(lengths.sum())
        tokens = chain.from_iterable(sentences)
        ids = np.fromiter(map(first_seen.__getitem__, tokens), dtype=np.int32, count=n)  # (n,)
        del sentences, tokens
        block_counts = np.bincount(ids, minlength=len(first_seen))  # (V0,)
        block_counts[: len(counts)] += counts
        counts = block_counts
        blocks.append((ids, lengths))
        n_raw += n
    words = list(first_seen)  # in order of first appearance
    vocab = vocab_from_counts(dict(zip(words, counts.tolist(), strict=True)), min_count, max_vocab)
    remap = np.full(len(words), -1, dtype=np.int32)  # (V0,) provisional id -> id, -1: dropped
    remap[[first_seen[w] for w in vocab.words]] = np.arange(len(vocab), dtype=np.int32)
    ids_out = np.empty(vocab.n_tokens, dtype=np.int32)  # (N,) filled block by block
    n_sentences = sum(len(lengths) for _, lengths in blocks)
    lengths_out = np.empty(n_sentences, dtype=np.int64)  # (S,)
    at, s_at = 0, 0
    for i, (ids, lengths) in enumerate(blocks):
        ids = remap[ids]  # (n,)
        known = ids >= 0  # (n,)
        kept_before = np.concatenate([[0], np.cumsum(known)])  # (n+1,)
        ends = kept_before[np.cumsum(lengths)]  # (s,) each sentence's end among kept tokens
        lengths_out[s_at : s_at + len(lengths)] = np.diff(ends, prepend=0)  # kept per sentence
        kept = ids[known]  # (n',)
        ids_out[at : at + len(kept)] = kept
        at, s_at = at + len(kept), s_at + len(lengths)
        blocks[i] = None  # free the provisional ids as we go
    return vocab, FlatCorpus(ids=ids_out, lengths=lengths_out), n_raw
