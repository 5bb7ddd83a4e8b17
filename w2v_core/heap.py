"""glibc's heap, asked to give freed memory back: for the command line's long runs.

CPython and NumPy release memory with ``free``. glibc keeps freed blocks for reuse and,
after the first large array is freed, raises its mmap threshold (up to 32 MB), so that
later arrays come from the heap too. Reading a corpus makes millions of short-lived token
strings and one block of ids per MB of text; with glibc's adaptive settings much of that
stayed resident for the whole run (measured on 4M tokens of short lines: 20-23 MB of the
resident memory after reading was freed memory that this module now returns; peak RSS of
the command line 277 -> 242 MB with ``advance(copy=False)``).

``returning_freed_memory()`` wraps the reading: small, fixed thresholds while it runs (large
blocks are mapped and unmapped; the heap is trimmed as it shrinks), then ``malloc_trim``, then
glibc's largest adaptive thresholds for training, whose per-batch arrays of the NumPy
backend must come from the heap (mapping them anew for every batch made it 2x slower).
Nothing changes where glibc's ``mallopt`` is missing (macOS, musl).
"""

import ctypes
from contextlib import contextmanager

M_TRIM_THRESHOLD = -1  # mallopt parameters (glibc's malloc.h)
M_MMAP_THRESHOLD = -3
READING = 128 << 10  # bytes: glibc's initial thresholds, held fixed while reading
TRAINING = 32 << 20  # bytes: the highest mmap threshold glibc adapts to on 64-bit


def _glibc():
    try:
        libc = ctypes.CDLL(None)
    except OSError:  # pragma: no cover - no C library to load
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


@contextmanager
def returning_freed_memory():
    """Run the body with memory freed in it returned to the system (see the module)."""
    libc = _glibc()
    if libc is None:
        yield
        return
    libc.mallopt(M_MMAP_THRESHOLD, READING)
    libc.mallopt(M_TRIM_THRESHOLD, READING)
    try:
        yield
    finally:
        libc.malloc_trim(0)
        libc.mallopt(M_MMAP_THRESHOLD, TRAINING)
        libc.mallopt(M_TRIM_THRESHOLD, 2 * TRAINING)  # glibc's own rule: twice the mmap one
