"""Lesson links: the sidebar settings written to, and read from, a URL's query string.

A teacher copies the address bar (page path + ``?window=3&seed=7...``) and every
student who opens it gets the same corpus, hyperparameters and seed, hence the
same initial weights, windows and negatives: the same run. Pasted or uploaded
text does not travel in a link (it can be megabytes); such a link keeps the
hyperparameters and says so.

Reading is forgiving: a value that is missing keeps the default, and a value
that is malformed or out of range falls back to the default with a notice that
names it. The ranges are the fields' own limits (``limit``), so a link holds nothing
the widgets could not show. Pure Python: no Streamlit here.
"""

import math

from lab.lesson import Settings, limit

LINK_SOURCES = ("preset", "generated")  # sources a link can carry
# Query-parameter name -> the Settings field it sets. Short names keep links readable;
# the ranges are the fields' own (``lab.lesson.limit``), so a
# link can hold nothing the sidebar could not show.
PARAMS = {
    "source": "source",
    "preset": "preset",
    "tokens": "generated_tokens",
    "difficulty": "generated_difficulty",
    "model": "model",
    "loss": "loss",
    "dim": "dim",
    "window": "window",
    "negative": "negative",
    "noise": "noise_alpha",
    "min_count": "min_count",
    "sample": "sample",
    "alpha": "alpha",
    "epochs": "epochs",
    "batch": "batch_size",
    "dynamic": "dynamic_window",
    "seed": "seed",
}
IGNORED = {"embed", "embed_options", "present", "tour"}  # Streamlit's own; presenter mode, the tour
MAX_LISTED = 5  # unknown parameter names named in the notice


def parse_value(name: str, raw: str):
    """The value of query parameter ``name`` from its text; ValueError says what is wrong."""
    field = PARAMS[name]
    lim = limit(field)
    raw = raw.strip()
    if lim.kind is bool:
        if raw.lower() not in ("0", "1", "true", "false"):
            raise ValueError("must be 0 or 1")
        return raw.lower() in ("1", "true")
    if lim.kind is str:
        choices = LINK_SOURCES if field == "source" else lim.choices
        if raw not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
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
    lo, hi = lim.app_range
    if not lo <= value <= hi:
        raise ValueError(f"lies outside {lo:g}..{hi:g}")
    return value


def format_value(value) -> str:
    """Text of a value in a link: shortest form that reads back to the same number."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.12g}"
    return str(value)


def settings_to_params(s: Settings) -> dict[str, str]:
    """The query parameters of a lesson link for these settings."""
    out = {}
    for name, field in PARAMS.items():
        if name == "source" and s.source not in LINK_SOURCES:
            continue  # pasted/uploaded text stays on this computer
        if name == "preset" and s.source != "preset":
            continue
        if name in ("tokens", "difficulty") and s.source != "generated":
            continue
        out[name] = format_value(getattr(s, field))
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
        if name not in PARAMS:
            unknown.append(name)
            continue
        if name == "source" and raw in ("paste", "upload"):
            notices.append(
                "Pasted or uploaded text cannot travel in a link: the default corpus is used."
            )
            continue
        try:
            changes[PARAMS[name]] = parse_value(name, str(raw))
        except ValueError as e:
            default = getattr(base, PARAMS[name])
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
