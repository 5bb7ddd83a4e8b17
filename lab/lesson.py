"""The lesson's data: settings from the sidebar, and the corpus they select.

Pure Python (no Streamlit), so it can be tested directly; ``lab.session`` caches
``build_lesson`` and keeps per-user state.
"""

import re
import unicodedata
from dataclasses import dataclass, field, replace

from w2v_core.config import LIMITS as ENGINE_LIMITS
from w2v_core.config import Limit, W2VConfig
from w2v_core.corpora import PRESETS, preset_categories, preset_text
from w2v_core.errors import ConfigError, CorpusError
from w2v_core.generated import generate_corpus
from w2v_core.pairs import Corpus
from w2v_core.tokenize import MAX_TOKEN_CHARS, tokenize
from w2v_core.vocab import Vocab, build_vocab

SOURCES = {
    "preset": "Built-in example",
    "generated": "Generated corpus (known answers)",
    "paste": "Paste text",
    "upload": "Upload a .txt file",
}
MAX_TEXT_BYTES = 2 * 2**20  # pasted or uploaded text above 2 MB is refused
MAX_GENERATED_TOKENS = 1_000_000  # the generated corpus in the app (the engine goes to 5M)
MAX_VOCAB = 50_000  # the app keeps the most frequent words only
MAX_SOFTMAX_VOCAB = 5_000  # full softmax costs V dot products per example
HISTORY_BYTES = 16 * 2**20  # replay snapshots kept per session (lab.budget counts them)


NAMES = {
    "skipgram": "skip-gram",
    "cbow": "CBOW",
    "negative": "negative sampling",
    "softmax": "full softmax",
    "hs": "hierarchical softmax",
}  # how the app writes the values of the text settings (models and output layers)

# The lesson's own fields: the corpus choice, with their limits (the engine's are in LIMITS)
CORPUS_LIMITS = {
    "source": Limit(str, choices=tuple(SOURCES)),
    "preset": Limit(str, choices=tuple(PRESETS)),
    "generated_tokens": Limit(int, 1_000, MAX_GENERATED_TOKENS),
    "generated_difficulty": Limit(float, 0.0, 1.0),
}


def limit(field: str) -> Limit:
    """The limit of any Settings field: the engine's table, or the lesson's own."""
    return ENGINE_LIMITS.get(field) or CORPUS_LIMITS[field]


@dataclass(frozen=True)
class Settings(W2VConfig):
    """Everything the sidebar sets: a W2VConfig with lesson-sized defaults, plus the corpus.

    Frozen: a change makes a new object. The engine's fields and their meaning are
    W2VConfig's (``engine()`` gives the plain config); only the defaults differ, so that a
    lesson trains in seconds and its matrices fit on a screen.
    """

    # ---- the corpus (the lesson's own fields)
    source: str = "preset"  # one of SOURCES
    preset: str = "royalty"  # key of w2v_core.corpora.PRESETS
    generated_tokens: int = 20_000  # size of the generated corpus
    generated_difficulty: float = 0.6  # fillers and topical noise (0 = the plain templates)
    text: str = ""  # pasted or uploaded text (when source is paste/upload)
    text_name: str = ""  # where the text came from (file name), for display
    # ---- W2VConfig fields with lesson defaults
    dim: int = 10
    window: int = 2
    dynamic_window: bool = False  # off in the lesson: pairs are easier to follow
    alpha: float = 0.05
    epochs: int = 20
    min_count: int = 1
    max_vocab: int | None = MAX_VOCAB
    sample: float = 0.0
    batch_size: int = 64  # small batches: a tick of the live page is a few of them
    history_bytes: int = HISTORY_BYTES

    def replace(self, **changes) -> "Settings":
        return replace(self, **changes)

    def config(self, **overrides) -> W2VConfig:
        """The plain engine config of these settings (with ``overrides``)."""
        return self.replace(**overrides).engine()

    def validate(self) -> "Settings":
        """The engine's checks, then the corpus fields'; returns self."""
        super().validate()
        for name, limit in CORPUS_LIMITS.items():
            problem = limit.problem(getattr(self, name))
            if problem:
                raise ConfigError(f"{name} {problem}")
        return self


@dataclass(frozen=True)
class Lesson:
    """The corpus of the current lesson, tokenized and counted."""

    title: str  # what the corpus is, for headings
    text: str  # the raw text
    sentences: tuple[tuple[str, ...], ...]  # tokens per sentence
    vocab: Vocab  # ids by frequency after min_count
    corpus: Corpus  # the encoded token stream
    categories: dict = field(default_factory=dict)  # word -> category (presets/generated)
    analogies: tuple = ()  # (a, b, c, d) quadruples (generated corpus, a preset's suggestion)

    @property
    def n_tokens(self) -> int:
        return sum(len(s) for s in self.sentences)

    @property
    def longest_sentence(self) -> int:
        return max(len(s) for s in self.sentences)


def _plain(ch: str) -> bool:
    """A letter, digit, combining mark, space or one of ``.-()``: no Markdown meaning."""
    return ch.isalnum() or ch in " .-()" or unicodedata.category(ch)[0] == "M"


def display_name(file_name: str, max_chars: int = 60) -> str:
    """A file name safe to put in Markdown: letters, digits, spaces and ``.-()`` only.

    Pages show the title in Markdown, where ``[..](..)``, ``*``, ``__``, ``$`` or ``:red[..]``
    in an uploaded file's name would turn into links, emphasis, maths or colours.
    """
    kept = "".join(ch if _plain(ch) else " " for ch in file_name)
    name = " ".join(kept.split())[:max_chars].strip()
    return name or "Your text"


def corpus_text(s: Settings) -> tuple[str, str, dict, tuple]:
    """(title, text, categories, analogies) of the selected source."""
    if s.source == "preset":
        p = PRESETS[s.preset]
        return p.title, preset_text(s.preset), preset_categories(s.preset), p.analogies
    if s.source == "generated":
        n = min(s.generated_tokens, MAX_GENERATED_TOKENS)
        g = generate_corpus(n, seed=s.seed, difficulty=s.generated_difficulty)
        return f"Generated corpus ({g.n_tokens:,} tokens)", g.text, dict(g.categories), g.analogies
    if s.source in ("paste", "upload"):
        # surrogatepass: a lone surrogate (possible in a str, not in UTF-8) must not crash
        if len(s.text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
            raise CorpusError(f"This text is larger than the {MAX_TEXT_BYTES // 2**20} MB limit.")
        return display_name(s.text_name), s.text, {}, ()
    raise CorpusError(f"unknown corpus source {s.source!r}")


def build_lesson(s: Settings) -> Lesson:
    """Tokenize and count the selected corpus; raises W2VError with a readable message."""
    title, text, categories, analogies = corpus_text(s)
    if not text.strip():
        raise CorpusError("The text is empty: paste or upload some sentences first.")
    sentences = tokenize(text)
    if not sentences:
        raise CorpusError("No words found: the text holds only punctuation, symbols or spaces.")
    vocab = build_vocab(sentences, min_count=s.min_count, max_size=MAX_VOCAB)
    if len(vocab) < 2:
        raise CorpusError(
            f"Only one distinct word ('{vocab.words[0]}') is left: word vectors need at "
            "least two words. Add more text or lower min_count."
        )
    corpus = Corpus.from_encoded(vocab.encode(sentences))
    for a in (vocab.counts, corpus.ids, corpus.sentence, corpus.position):
        a.flags.writeable = False  # lessons are shared between users: read-only
    return Lesson(
        title=title,
        text=text,
        sentences=tuple(tuple(x) for x in sentences),
        vocab=vocab,
        corpus=corpus,
        categories={w: c for w, c in categories.items() if w in vocab},
        analogies=tuple(analogies),
    )


def lesson_warnings(lesson: Lesson, s: Settings) -> list[str]:
    """Settings that work but deserve a word (shown, not refused)."""
    out = []
    if s.window >= lesson.longest_sentence:
        out.append(
            f"The window ({s.window}) reaches past every sentence (the longest has "
            f"{lesson.longest_sentence} words): each word simply sees its whole sentence."
        )
    rare = [c for _, c in lesson.vocab.dropped if c < s.min_count]
    capped = [c for _, c in lesson.vocab.dropped if c >= s.min_count]
    if rare:
        out.append(
            f"min_count={s.min_count} removed {len(rare):,} rare words ({sum(rare):,} tokens)."
        )
    if capped:
        out.append(
            f"The app keeps the {MAX_VOCAB:,} most frequent words: {len(capped):,} more words "
            f"({sum(capped):,} tokens) were left out."
        )
    if s.sample > 0:
        kept = float(lesson.vocab.counts @ lesson.vocab.keep_probs(s.sample))  # expected tokens
        total = int(lesson.vocab.counts.sum())
        if kept < 0.5 * total:
            out.append(
                f"Subsampling (threshold {s.sample:g}) keeps about {kept:,.0f} of the {total:,} "
                f"tokens ({kept / total:.0%}) in each epoch, so every epoch trains on few "
                "examples. Lower the threshold (0 keeps every token) on a small corpus."
            )
    cut = [w for w in lesson.vocab.words if len(w) >= MAX_TOKEN_CHARS]
    if cut:
        out.append(
            f"{_n(len(cut), 'word')} reached {MAX_TOKEN_CHARS} characters and were cut there (as "
            "word2vec.c does), so long words that start alike became one word."
        )
    unspaced = [w for w in lesson.vocab.words if _unspaced_run(w)]
    if unspaced:
        out.append(
            f"{_n(len(unspaced), 'word')} {'is a' if len(unspaced) == 1 else 'are'} long "
            "run(s) of Chinese, Japanese, Thai or similar "
            f"characters, e.g. '{unspaced[0][:20]}': these scripts put no spaces between "
            "words, so each run up to a punctuation mark became one 'word'. Put spaces between "
            "the words (a word segmenter, e.g. jieba for Chinese, does it) to learn word "
            "vectors; single characters would also work as tokens when separated by spaces."
        )
    return out


# scripts written without spaces between words: a long run of them is not one word
_UNSPACED = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3134F),  # CJK extensions B-G
)
UNSPACED_RUN = 6  # characters of such a script in a row that make a run, not a word
_UNSPACED_RE = re.compile(
    "[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _UNSPACED) + f"]{{{UNSPACED_RUN}}}"
)


def _n(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _unspaced_run(word: str) -> bool:
    return _UNSPACED_RE.search(word) is not None
