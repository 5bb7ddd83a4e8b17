"""Render time of every page of the app, with Streamlit's AppTest (no browser).

For each page of the router (app.py) and each corpus (the default example, and a
generated corpus of ``--tokens`` tokens) the page is run R times in one AppTest
session:

* cold: the first run, after clearing Streamlit's caches: it builds the corpus
  (``lab.session.lesson``), the user's trainer and whatever the page caches;
* warm: the R - 1 runs after it (a rerun, as when the user moves a widget that
  the page does not cache on); median and max are reported.

Times are the wall time of ``AppTest.run()``: the whole script (router, sidebar,
page) plus AppTest's own overhead, without a browser (no network, no drawing).
Targets: < 1 s on the default corpus, < 3 s at 100k tokens.

Writes the table between ``<!-- pages:start -->`` and ``<!-- pages:end -->`` in
docs/benchmarks.md (appended at the end when the markers are missing); the rest
of that file belongs to ``benchmarks.bench_engine`` and is left as it is.

Usage (from the repository root):
    .venv/bin/python -m benchmarks.bench_pages                 # R = 5, ~2-3 min on 2 cores
    .venv/bin/python -m benchmarks.bench_pages --repeats 3 --pages text pairs --no-doc
"""

import argparse
import logging
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.doc import write_section

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
DOC = ROOT / "docs" / "benchmarks.md"
DEFAULT_TOKENS = 100_000
TARGETS = {"default": 1.0, "generated": 3.0}  # seconds per page run
TIMEOUT = 180  # s, one AppTest run


# ---------------------------------------------------------------- the router


def router_pages() -> list[tuple[str, str]]:
    """(path relative to app.py, title) of every page, in navigation order."""
    from lab.routes import ROUTES

    return [(r.path, r.title) for r in ROUTES]


# ---------------------------------------------------------------- measuring


@dataclass
class Result:
    page: str
    title: str
    corpus: str  # "default" or "generated"
    times: list[float] = field(default_factory=list)  # cold first, then warm runs
    error: str = ""

    @property
    def cold(self) -> float | None:
        return self.times[0] if self.times else None

    @property
    def warm(self) -> list[float]:
        return self.times[1:]

    @property
    def warm_median(self) -> float | None:
        return statistics.median(self.warm) if self.warm else None

    @property
    def warm_max(self) -> float | None:
        return max(self.warm) if self.warm else None


def _timed_run(at) -> float:
    t0 = time.perf_counter()
    at.run()
    return time.perf_counter() - t0


def _exception(at) -> str:
    if at.exception:
        return "; ".join(str(e.message).splitlines()[0] for e in at.exception)[:200]
    return ""


def _clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def _settings_error(at, corpus: str, tokens: int) -> str:
    """Non-empty when the run did not use the corpus this row is about."""
    try:
        s = at.session_state["lesson_settings"]
    except KeyError:
        s = None
    want = ("generated", tokens) if corpus == "generated" else ("preset", None)
    got = None if s is None else (s.source, s.generated_tokens if corpus == "generated" else None)
    return "" if got == want else f"ran on {got}, expected {want}"


def measure(page: str, title: str, corpus: str, repeats: int, tokens: int) -> Result:
    """One AppTest session on ``page``: a cold run, then ``repeats - 1`` warm reruns.

    The sidebar is set like a user would, through its widgets; the generated corpus
    of ``tokens`` tokens is built by the first timed run. Every run checks that the
    settings in use are the ones asked for.
    """
    from streamlit.testing.v1 import AppTest

    res = Result(page, title, corpus)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    try:
        at.run()  # the default page: creates the session and its sidebar (untimed)
        if corpus == "generated":
            at.radio(key="w_source").set_value("generated").run()  # default size (untimed)
            at.number_input(key="w_gen_tokens").set_value(tokens)  # used by the timed run
        _clear_caches()  # so the timed first run builds the corpus and the page's caches
        at.switch_page(page)
        for _ in range(repeats):
            res.times.append(_timed_run(at))
            res.error = _exception(at) or _settings_error(at, corpus, tokens)
            if res.error:
                break
    except Exception as e:  # a timeout or a missing widget: report it, go on
        res.error = f"{type(e).__name__}: {e}"[:200]
    return res


# ---------------------------------------------------------------- reporting


def _s(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def _verdict(r: Result) -> str:
    if r.error:
        return "error"
    target = TARGETS[r.corpus]
    warm_ok = r.warm_median is None or r.warm_median < target
    cold_ok = r.cold is not None and r.cold < target
    if warm_ok and cold_ok:
        return "yes"
    return "warm only" if warm_ok else "no"


def table(results: list[Result], tokens: int) -> str:
    label = {"default": "default example", "generated": f"generated, {tokens:,} tokens"}
    lines = [
        "| page | corpus | cold (s) | warm median (s) | warm max (s) | target (s) | met |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.title} | {label[r.corpus]} | {_s(r.cold)} | {_s(r.warm_median)} | "
            f"{_s(r.warm_max)} | < {TARGETS[r.corpus]:g} | {_verdict(r)} |"
        )
    errors = [r for r in results if r.error]
    if errors:
        lines.append("")
        lines += [f"- {r.title} ({r.corpus}): `{r.error}`" for r in errors]
    return "\n".join(lines)


def machine() -> str:
    import streamlit

    from benchmarks.doc import machine as base

    return f"{base()}, Streamlit {streamlit.__version__}"


def section(results, args, command: str, load: tuple, seconds: float) -> str:
    return "\n".join(
        [
            "## Page render times",
            "",
            "Wall time of one full run of each page (router, sidebar and page script) "
            "in Streamlit's AppTest, without a browser. *Cold* is the first run after "
            "clearing Streamlit's caches (it builds the corpus, the user's trainer and "
            "the page's caches); *warm* is the median and max of the "
            f"{args.repeats - 1} reruns after it. Targets: "
            f"< {TARGETS['default']:g} s on the default example, "
            f"< {TARGETS['generated']:g} s at {args.tokens:,} generated tokens.",
            "",
            "```bash",
            command,
            "```",
            "",
            table(results, args.tokens),
            "",
            f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {machine()}. Load average "
            f"{load[0]:.1f} at the start, {load[1]:.1f} at the end (a shared machine: "
            f"other jobs inflate the times); {seconds:.0f} s in all.",
        ]
    )


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> list[Result]:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeats", "-r", type=int, default=5, help="runs per page (default 5)")
    p.add_argument("--tokens", type=int, default=DEFAULT_TOKENS, help="generated corpus size")
    p.add_argument("--pages", nargs="+", help="page file stems to run (default: all)")
    p.add_argument("--corpora", nargs="+", choices=list(TARGETS), default=list(TARGETS))
    p.add_argument("--no-doc", action="store_true", help=f"do not update {DOC.name}")
    args = p.parse_args(argv)
    if args.repeats < 2:
        p.error("--repeats must be at least 2 (one cold run and one warm run)")
    argv = sys.argv[1:] if argv is None else argv
    command = " ".join([".venv/bin/python -m benchmarks.bench_pages", *argv])

    os.chdir(ROOT)  # AppTest resolves pages from the working directory too
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    pages = router_pages()
    if args.pages:
        pages = [(path, title) for path, title in pages if Path(path).stem in args.pages]
        if not pages:
            p.error(f"no page among {args.pages}")

    from streamlit.testing.v1 import AppTest

    # AppTest and the cache clearing touch Streamlit from outside a script run, which
    # logs "missing ScriptRunContext" warnings; errors are still shown.
    logging.disable(logging.WARNING)
    load0 = os.getloadavg()[0]
    t_start = time.perf_counter()
    AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()  # imports (untimed)
    results = []
    for corpus in args.corpora:
        for path, title in pages:
            r = measure(path, title, corpus, args.repeats, args.tokens)
            results.append(r)
            print(
                f"{title:32s} {corpus:9s} cold {_s(r.cold):>6s}  warm median "
                f"{_s(r.warm_median):>6s}  max {_s(r.warm_max):>6s}  {r.error}",
                file=sys.stderr,
                flush=True,
            )
    seconds = time.perf_counter() - t_start
    load = (load0, os.getloadavg()[0])

    print(table(results, args.tokens))
    if not args.no_doc:
        write_section("pages", section(results, args, command, load, seconds))
        print(f"\nwrote the 'Page render times' section of {DOC.relative_to(ROOT)}")
    return results


if __name__ == "__main__":
    main()
