"""Text to sentences of lower-case word tokens.

A *token* is a run of letters or digits, with apostrophes allowed inside a word
("don't", "o'clock"). Combining marks (accents, vowel signs, Arabic and Hebrew
vowel points) belong to the letter they follow, so "हिन्दी" and "مَرْحَبًا" stay one
word; text is put in Unicode NFC form first, so "café" typed with a separate
accent is the same word as with a precomposed "é". Everything else
(punctuation, symbols, emoji, ``_``) separates tokens. Text that is already
lower-case words separated by spaces tokenizes to exactly ``line.split()``, so
gensim's ``LineSentence`` sees the same tokens. A token longer than
``MAX_TOKEN_CHARS`` is cut to that length, as word2vec.c cuts words at its
``MAX_STRING`` (a 1 MB line without a space is not a word to show or train).

Sentences are lines, or (``split="sentence"``) pieces that end in ``.``, ``!``
or ``?``; ``split="auto"`` picks sentences when some line holds more than one.
A sentence longer than ``MAX_SENTENCE_TOKENS`` is cut into pieces of that many
tokens, exactly as gensim's ``LineSentence`` cuts lines (word2vec.c cuts at
1,000): a 1M-word line is a file without line breaks, not one sentence.
"""

import re
import sys
import unicodedata

from .errors import CorpusError


def _mark_class() -> str:
    """A regex character class body holding every combining mark (categories Mn, Mc, Me)."""
    # marks live in planes 0, 1 and 14 (variation selectors); scanning these is ~20 ms
    code_points = [*range(0x20000), *range(0xE0000, min(0xE1000, sys.maxunicode + 1))]
    ranges: list[list[int]] = []
    for c in code_points:
        if unicodedata.category(chr(c))[0] == "M":
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
    return "".join(f"{chr(a)}-{chr(b)}" if a < b else chr(a) for a, b in ranges)


_MARKS = _mark_class()
# a letter/digit, then letters/digits/marks; inner apostrophes: don't, rock'n'roll.
# "_" is a word character for \w: tokenize_line turns it into a space first.
_PIECE = rf"\w[\w{_MARKS}]*"
_WORD = re.compile(rf"{_PIECE}(?:['\u2019]{_PIECE})*")
# a sentence ends at . ! ? (possibly repeated) followed by white space
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_MODES = ("auto", "line", "sentence")
MAX_TOKEN_CHARS = 100  # longer tokens are cut (word2vec.c: MAX_STRING = 100)
MAX_SENTENCE_TOKENS = 10_000  # longer sentences are cut (gensim: max_sentence_length)


def decode_text(data: bytes) -> str:
    """Decode uploaded bytes as UTF-8 text, refusing binary or other encodings."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise CorpusError("This file is UTF-16 text; please save it as UTF-8 and upload it again.")
    if b"\x00" in data:
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
    line = unicodedata.normalize("NFC", line).lower().replace("_", " ")
    chunks = line.split()
    if _whole_words(chunks):  # the common case, ~4x faster than the regex
        long = max(map(len, chunks), default=0) > MAX_TOKEN_CHARS
        return [_cut(t) for t in chunks] if long else chunks
    return [_cut(t).replace("\u2019", "'") for t in _WORD.findall(line)]


def _cut(token: str) -> str:
    return token[:MAX_TOKEN_CHARS].rstrip("'\u2019") if len(token) > MAX_TOKEN_CHARS else token


def _whole_words(chunks: list[str]) -> bool:
    """Whether every whitespace-separated chunk is exactly one token of ``_WORD``: letters
    and digits (``str.isalnum`` is the regex's ``\\w`` without ``_``), with single
    apostrophes only between them. Marks, punctuation and ’ fail and take the regex."""
    text = " ".join(chunks)
    return (
        text.replace("'", "").replace(" ", "").isalnum()
        and "''" not in text
        and " '" not in f" {text}"
        and "' " not in f"{text} "
    )


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
    n = MAX_SENTENCE_TOKENS
    sentences = (tokenize_line(s) for s in split_sentences(text, split))
    return [s[i : i + n] for s in sentences for i in range(0, len(s), n)]
