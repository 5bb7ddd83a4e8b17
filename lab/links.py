"""Lesson links: the sidebar settings written to, and read from, a URL's query string.

A teacher copies the address bar (page path + ``?window=3&seed=7...``) and every
student who opens it gets the same corpus, hyperparameters and seed, hence the
same initial weights, windows and negatives: the same run. Pasted or uploaded
text does not travel in a link (it can be megabytes); such a link keeps the
hyperparameters and says so.

Reading is forgiving: a value that is missing keeps the default, and a value
that is malformed or out of range falls back to the default with a notice that
names it. The ranges are the sidebar's (``LIMITS``), so a link can hold nothing
the widgets could not show. Pure Python: no Streamlit here.
"""

import math
from dataclasses import dataclass

from lab.lesson import MAX_GENERATED_TOKENS, Settings
from w2v_core.corpora import PRESETS

SAMPLES = (0.0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1)  # the subsampling thresholds offered
MODELS = ("skipgram", "cbow")
LOSSES = ("negative", "softmax", "hs")
LINK_SOURCES = ("preset", "generated")  # sources a link can carry


@dataclass(frozen=True)
class Limit:
    """How one Settings field appears in a link and in the sidebar."""

    field: str  # Settings attribute
    kind: type  # int, float or str
    lo: float | None = None  # smallest allowed number
    hi: float | None = None  # largest allowed number
    choices: tuple = ()  # allowed values (strings, or the offered floats)


# Query-parameter name -> its field and range. Short names keep links readable.
LIMITS = {
    "source": Limit("source", str, choices=LINK_SOURCES),
    "preset": Limit("preset", str, choices=tuple(PRESETS)),
    "tokens": Limit("generated_tokens", int, 1_000, MAX_GENERATED_TOKENS),
    "model": Limit("model", str, choices=MODELS),
    "loss": Limit("loss", str, choices=LOSSES),
    "dim": Limit("dim", int, 2, 100),
    "window": Limit("window", int, 1, 10),
    "negative": Limit("negative", int, 1, 20),
    "noise": Limit("noise_alpha", float, 0.0, 1.0),
    "min_count": Limit("min_count", int, 1, 1000),
    "sample": Limit("sample", float, choices=SAMPLES),
    "alpha": Limit("alpha", float, 1e-4, 100.0),
    "epochs": Limit("epochs", int, 1, 1000),
    "seed": Limit("seed", int, 0, 2**31 - 1),
}
IGNORED = {"embed", "embed_options"}  # Streamlit's own parameters
MAX_LISTED = 5  # unknown parameter names named in the notice


def parse_value(name: str, raw: str):
    """The value of query parameter ``name`` from its text; ValueError says what is wrong."""
    lim = LIMITS[name]
    raw = raw.strip()
    if lim.kind is str:
        if raw not in lim.choices:
            raise ValueError(f"must be one of {', '.join(lim.choices)}")
        return raw
    try:
        value = float(raw)
    except ValueError:
        raise ValueError("is not a number") from None
    if not math.isfinite(value):
        raise ValueError("is not a finite number")
    if lim.choices:
        for c in lim.choices:
            if math.isclose(value, c, rel_tol=1e-9, abs_tol=0.0):
                return c
        raise ValueError(f"must be one of {', '.join(f'{c:g}' for c in lim.choices)}")
    if lim.kind is int:
        if value != int(value):
            raise ValueError("is not a whole number")
        value = int(value)
    if not lim.lo <= value <= lim.hi:
        raise ValueError(f"lies outside {lim.lo:g}..{lim.hi:g}")
    return value


def format_value(value) -> str:
    """Text of a value in a link: shortest form that reads back to the same number."""
    if isinstance(value, float):
        return f"{value:.12g}"
    return str(value)


def settings_to_params(s: Settings) -> dict[str, str]:
    """The query parameters of a lesson link for these settings."""
    out = {}
    for name, lim in LIMITS.items():
        if name == "source" and s.source not in LINK_SOURCES:
            continue  # pasted/uploaded text stays on this computer
        if name == "preset" and s.source != "preset":
            continue
        if name == "tokens" and s.source != "generated":
            continue
        out[name] = format_value(getattr(s, lim.field))
    return out


def params_to_settings(params: dict, base: Settings) -> tuple[Settings, list[str]]:
    """Settings from a link's query parameters on top of ``base``, and notices to show.

    ``params`` maps names to strings (or lists of strings: the last one counts).
    Unknown names, bad values and text sources give a notice and change nothing.
    """
    changes, notices, unknown = {}, [], []
    for name, raw in params.items():
        if isinstance(raw, list | tuple):
            raw = raw[-1] if raw else ""
        if name in IGNORED:
            continue
        if name not in LIMITS:
            unknown.append(name)
            continue
        if name == "source" and raw in ("paste", "upload"):
            notices.append(
                "Pasted or uploaded text cannot travel in a link: the default corpus is used."
            )
            continue
        try:
            changes[LIMITS[name].field] = parse_value(name, str(raw))
        except ValueError as e:
            default = getattr(base, LIMITS[name].field)
            notices.append(
                f"The link's {name}={clip(raw)} {e}; the default {format_value(default)} is used."
            )
    if unknown:  # one notice, names clipped: a link can hold thousands of long keys
        listed = ", ".join(clip(n) for n in unknown[:MAX_LISTED])
        more = f" and {len(unknown) - MAX_LISTED:,} more" if len(unknown) > MAX_LISTED else ""
        notices.insert(
            0,
            f"The link's parameter {listed}{more} is not a lesson setting; ignored."
            if len(unknown) == 1
            else f"The link's parameters {listed}{more} are not lesson settings; ignored.",
        )
    return base.replace(**changes), notices


def clip(text: str, n: int = 40) -> str:
    """A piece of a link in quotes, at most n characters (a notice, not the link)."""
    text = str(text)
    return repr(text[:n]) + ("…" if len(text) > n else "")
