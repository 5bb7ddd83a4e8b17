"""docs/benchmarks.md is shared by several benchmark scripts: each owns one section.

A section sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``;
``write_section`` replaces only that text (or appends the section), so running
one benchmark never erases another's figures.
"""

import os
import platform
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def write_section(name: str, body: str, doc: Path = DOC) -> None:
    """Put ``body`` between the markers of section ``name``, leaving the rest of ``doc`` alone."""
    start, end = markers(name)
    text = f"{start}\n{body.strip()}\n{end}"
    old = doc.read_text(encoding="utf-8") if doc.exists() else ""
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(old):
        new = pattern.sub(lambda _: text, old, count=1)
    else:
        new = old.rstrip("\n") + ("\n\n" if old.strip() else "") + text + "\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(new, encoding="utf-8")


def machine() -> str:
    """CPU model, cores and the versions that matter, in one line."""
    import numpy
    import scipy

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"NumPy {numpy.__version__}, SciPy {scipy.__version__}"
    )
