"""Text to sentences of lower-case word tokens.

A *token* is a run of letters or digits, with apostrophes allowed inside a word
("don't", "o'clock"). Everything else (punctuation, symbols, emoji) separates
tokens. Text that is already lower-case words separated by spaces tokenizes to
exactly ``line.split()``, so gensim's ``LineSentence`` sees the same tokens.

Sentences are lines, or (``split="sentence"``) pieces that end in ``.``, ``!``
or ``?``; ``split="auto"`` picks sentences when some line holds more than one.
"""

import re

from .errors import CorpusError

# letters/digits (no underscore), with inner apostrophes: don't, rock'n'roll
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# a sentence ends at . ! ? (possibly repeated) followed by white space
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_MODES = ("auto", "line", "sentence")


def decode_text(data: bytes) -> str:
    """Decode uploaded bytes as UTF-8 text, refusing binary or other encodings."""
    if b"\x00" in data[:65536]:
        raise CorpusError(
            "This file looks binary (it contains NUL bytes); please upload plain text."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise CorpusError(
            f"This file is not UTF-8 text (undecodable byte at line {line}); "
            "please save it as UTF-8 and try again."
        ) from None


def tokenize_line(line: str) -> list[str]:
    """Lower-case word tokens of one piece of text."""
    return [t.replace("\u2019", "'") for t in _WORD.findall(line.lower())]


def split_sentences(text: str, split: str = "auto") -> list[str]:
    """Raw sentence strings: one per line, or one per sentence of prose."""
    if split not in _MODES:
        raise CorpusError(f"split must be one of {_MODES}, not {split!r}")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if split == "auto":
        split = (
            "sentence" if any(len(_SENTENCE_END.split(ln.strip())) > 1 for ln in lines) else "line"
        )
    if split == "line":
        return lines
    return [s for ln in lines for s in _SENTENCE_END.split(ln.strip()) if s.strip()]


def tokenize(text: str, split: str = "auto") -> list[list[str]]:
    """Sentences of tokens; sentences left with no token are dropped.

    >>> tokenize("I like deep learning. I like NLP. I enjoy flying.")
    [['i', 'like', 'deep', 'learning'], ['i', 'like', 'nlp'], ['i', 'enjoy', 'flying']]
    """
    sentences = (tokenize_line(s) for s in split_sentences(text, split))
    return [s for s in sentences if s]
