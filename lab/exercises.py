"""Predict, then reveal: short exercises whose answers come from the current corpus and model.

An ``Exercise`` holds a question and its answer, computed by a page's view
module from the lesson, the settings and the model (never typed in), so every
corpus, setting and seed gives its own instance; ``instance_rng`` seeds the
choices (which sentence, which word) from the lesson link's seed. ``check``
compares a learner's answer with the model's, leniently where a person would
(case, spaces, order of a set). ``Progress`` is the session's record of what was
tried, solved and revealed, written out as CSV for a student to hand in.
Pure Python: no Streamlit here (``lab.exercise_view`` draws them).
"""

import csv
import hashlib
import io
import math
import re
from dataclasses import dataclass, field, replace

import numpy as np

KINDS = ("word", "words", "pairs", "number", "choice")


@dataclass(frozen=True)
class Exercise:
    key: str  # stable name, e.g. "pairs.window1" (one per kind of question on a page)
    page: str  # the page it belongs to, e.g. "3. Training pairs"
    prompt: str  # the question, in Markdown (user words already escaped)
    kind: str  # one of KINDS: how the answer is typed and compared
    answer: object  # the model's answer: str, tuple of str, tuple of pairs, number
    explanation: str = ""  # why, shown once checked or revealed (Markdown)
    options: tuple = ()  # the choices of a "choice" exercise
    tolerance: float = 0.0  # a "number" answer may be off by this much (absolute)
    needs: str = ""  # a condition not met yet (e.g. "train the model first"), or ""

    @property
    def instance(self) -> str:
        """A fingerprint of this question and answer: a new corpus or setting makes a new
        instance, whose answer box starts empty."""
        text = f"{self.key}|{self.prompt}|{self.answer!r}|{self.options!r}"
        return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]

    def shown_answer(self) -> str:
        """The answer as a person would write it."""
        a = self.answer
        if self.kind == "pairs":
            return ", ".join(f"({x}, {y})" for x, y in a)
        if self.kind == "words":
            return ", ".join(a)
        if self.kind == "number":
            return f"{a:g}" if isinstance(a, float) else f"{a:,}"
        return str(a)


def instance_rng(seed: int, key: str) -> np.random.Generator:
    """The random choices of one exercise, fixed by the lesson link's seed."""
    salt = int(hashlib.sha1(key.encode()).hexdigest()[:8], 16)
    return np.random.default_rng([int(seed), salt])


def _norm(word: str) -> str:
    return " ".join(str(word).strip().lower().split())


def parse_words(text: str) -> tuple[str, ...]:
    """Words from 'a, b c' (commas or spaces)."""
    return tuple(w for w in re.split(r"[\s,;]+", _norm(text)) if w)


def parse_pairs(text: str) -> tuple[tuple[str, str], ...]:
    """Pairs from '(a, b) (c, d)' or 'a b; c d' or one pair per line."""
    found = re.findall(r"\(\s*([^(),\s]+)\s*,\s*([^(),\s]+)\s*\)", text)
    if not found:
        chunks = [c for c in re.split(r"[;\n]+", text) if c.strip()]
        found = [tuple(re.split(r"[\s,]+", c.strip())) for c in chunks]
    return tuple((_norm(a), _norm(b)) for a, b in (p for p in found if len(p) == 2))


def parse_number(text: str) -> float | None:
    try:
        value = float(str(text).replace(",", "").replace("×", "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def check(ex: Exercise, given) -> bool:
    """Whether ``given`` (what the learner typed or picked) is the model's answer."""
    if given is None:
        return False
    if ex.kind == "word" or ex.kind == "choice":
        return _norm(given) == _norm(ex.answer)
    if ex.kind == "words":
        return set(parse_words(given)) == {_norm(w) for w in ex.answer}
    if ex.kind == "pairs":
        return set(parse_pairs(given)) == {(_norm(a), _norm(b)) for a, b in ex.answer}
    if ex.kind == "number":
        value = parse_number(given)
        return value is not None and abs(value - float(ex.answer)) <= ex.tolerance + 1e-9
    raise ValueError(f"unknown exercise kind {ex.kind!r}")


# ---- the session's record ---------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    key: str
    page: str
    prompt: str
    tries: int = 0
    solved: bool = False
    revealed: bool = False  # the answer was shown before it was solved


@dataclass(frozen=True)
class Progress:
    """What this session tried: one Attempt per exercise key (a new instance replaces it)."""

    attempts: dict = field(default_factory=dict)  # key -> Attempt

    def tried(self, ex: Exercise, ok: bool) -> "Progress":
        old = self.attempts.get(ex.key, Attempt(ex.key, ex.page, ex.prompt))
        new = replace(old, prompt=ex.prompt, tries=old.tries + 1,
                      solved=old.solved or (ok and not old.revealed))  # fmt: skip
        return Progress({**self.attempts, ex.key: new})

    def revealed(self, ex: Exercise) -> "Progress":
        old = self.attempts.get(ex.key, Attempt(ex.key, ex.page, ex.prompt))
        return Progress({**self.attempts, ex.key: replace(old, revealed=True)})

    @property
    def n_tried(self) -> int:
        return sum(1 for a in self.attempts.values() if a.tries)

    @property
    def n_solved(self) -> int:
        return sum(1 for a in self.attempts.values() if a.solved)

    def csv(self) -> str:
        """The record as CSV (page, exercise, question, tries, solved, revealed)."""
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["page", "exercise", "question", "tries", "solved", "revealed"])
        for a in sorted(self.attempts.values(), key=lambda a: (a.page, a.key)):
            w.writerow([a.page, a.key, _plain(a.prompt), a.tries, a.solved, a.revealed])
        return out.getvalue()


def _plain(markdown: str) -> str:
    """A prompt without Markdown escapes and emphasis, for the CSV. A leading = + - @ is
    prefixed with ' so a spreadsheet never runs it as a formula."""
    text = re.sub(r"\\(.)", r"\1", markdown).replace("**", "").replace("*", "")
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
