"""Reading and writing word vectors: word2vec text, Embedding Projector TSV, and .npz models.

Formats:

* word2vec text, as written by the original C tool and by gensim's
  ``save_word2vec_format(binary=False)``: a header line ``V d``, then one line per
  word, ``word v1 v2 ... vd``, separated by single spaces.
* TensorFlow Embedding Projector (projector.tensorflow.org) TSV: ``vectors.tsv``
  holds tab-separated numbers, one row per word and no header; ``metadata.tsv``
  holds one word per line (a single column, so no header row).
* Model files: ``np.savez_compressed`` archives of plain numeric/text arrays plus
  a JSON metadata string. They are always read with ``allow_pickle=False``, so a
  file cannot run code when it is opened.

Numbers are written with 9 significant digits, which is enough to give back
exactly the same float32 value. Readers return float32 and raise
``VectorsFormatError`` naming the offending line, so a bad upload gets a
message a person can act on.

Every "file" argument may be a path, an open file, or (for readers) the raw
bytes of an upload (``bytes`` or ``io.BytesIO``).

Memory. A reader given ``Limits`` checks the size of what it will build from the
file's own description before allocating it: the ``V d`` header (or the first
line and the number of lines of a file without one), or each ``.npy`` member's
header inside an npz (read without unpacking the array). A few kB can announce
gigabytes (a 0.75 MB npz of 4 words x 8M dimensions unpacks to 128 MB and
grows to GBs once drawn), so the checks come first. Text is parsed line by
line into a preallocated float32 array, never through a list of every number.
"""

import io
import json
import os
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

import numpy as np

from .errors import VectorsFormatError, W2VError

Readable = str | os.PathLike | bytes | bytearray | memoryview | IO[bytes] | IO[str]
Writable = str | os.PathLike | IO[bytes] | IO[str]

META_KEY = "__meta__"  # npz member holding the JSON metadata
_UNPACK_FACTOR = 20  # an npz may unpack to at most this many times max_bytes (zip bombs)
_LINE_BREAKS = "\t\n\r"  # characters that would break a TSV row
_FLOAT32_BYTES = 4


@dataclass(frozen=True)
class Limits:
    """Largest vectors a reader may build (None: no limit, the command line's default)."""

    max_words: int | None = None  # V, rows
    max_dim: int | None = None  # d, numbers per row
    max_cells: int | None = None  # V * d float32 values
    why: str = ""  # appended to a refusal (e.g. what else holds the memory)

    def check(self, V: int, d: int, where: str) -> None:
        """Raise VectorsFormatError if V words of d dimensions are over a limit."""
        if self.max_dim is not None and d > self.max_dim:
            raise VectorsFormatError(
                f"{where} {d:,} dimensions per word; at most {self.max_dim:,} can be imported"
            )
        if self.max_words is not None and V > self.max_words:
            raise VectorsFormatError(
                f"{where} {V:,} words; at most {self.max_words:,} can be imported{self.why}"
            )
        if self.max_cells is not None and V * d > self.max_cells:
            raise VectorsFormatError(
                f"{where} {V:,} words x {d:,} dimensions = {V * d:,} numbers "
                f"({_mb(V * d * _FLOAT32_BYTES)} as float32); at most {self.max_cells:,} "
                f"numbers ({_mb(self.max_cells * _FLOAT32_BYTES)}) can be imported{self.why}"
            )

    @property
    def max_array_bytes(self) -> int | None:
        """Largest npz member accepted: the biggest float32 matrix allowed, or a word list
        of max_words words of 64 characters, whichever is larger."""
        if self.max_cells is None:
            return None
        words = (self.max_words or 0) * 64 * 4
        return max(self.max_cells * _FLOAT32_BYTES, words)


NO_LIMITS = Limits()


# ---- word2vec text -------------------------------------------------------------------


def to_word2vec_text(words: Sequence[str], W: np.ndarray) -> str:
    """The word2vec text format as one string (header ``V d``, then ``word v1 ... vd``)."""
    W = _checked_vectors(words, W)
    for i, w in enumerate(words):
        if any(ch.isspace() for ch in w):
            raise W2VError(
                f"word {i} ({w!r}) contains white space, which the word2vec text format "
                "cannot store"
            )
    row_format = " ".join(["%.9g"] * W.shape[1])
    body = "".join(
        f"{w} {row_format % tuple(row)}\n" for w, row in zip(words, W.tolist(), strict=True)
    )
    return f"{W.shape[0]} {W.shape[1]}\n{body}"


def save_word2vec_text(path_or_file: Writable, words: Sequence[str], W: np.ndarray) -> None:
    """Write ``words`` and ``W`` (V, d) in word2vec text format (UTF-8)."""
    _write_text(path_or_file, to_word2vec_text(words, W))


def load_word2vec_text(
    path_or_file: Readable,
    max_bytes: int | None = None,
    limits: Limits = NO_LIMITS,
    notes: list[str] | None = None,
) -> tuple[list[str], np.ndarray]:
    """Read a word2vec text file; returns (words, W) with W float32 of shape (V, d).

    Blank lines are ignored. The first line is the ``V d`` header; a file without one
    whose first line is a word and numbers (GloVe's format) is read too, with d taken
    from that line. Bytes that are not UTF-8 inside a word (fastText's .vec files have
    some) become U+FFFD; a file with NUL bytes that is not UTF-8 is binary word2vec and
    refused. Notices about such repairs are appended to ``notes`` when given.
    """
    data = _read_bytes(path_or_file, max_bytes, "vectors file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # UTF-8 byte order mark
    if b"\x00" in data and not _is_utf8(data):  # NULs and bytes that are not text
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise VectorsFormatError(
            f"line {line}: the file is binary, not text (binary word2vec files are not "
            "supported; save them with binary=False)"
        )
    lines = _numbered_lines(data)
    first = next(((no, t) for no, t in lines if t.strip()), None)
    if first is None:
        raise VectorsFormatError("the vectors file is empty")
    head_no, head = first
    header = _header_or_none(head)
    repaired: list[int] = []
    if header is not None:
        V, d = header
        rows = _count_rows(data) - 1  # non-blank lines after the header
        limits.check(V, d, "the header (line 1) announces")
        if rows < V:
            raise VectorsFormatError(
                f"the header (line 1) announces {V} rows but the file has only {rows}; "
                "was it cut short?"
            )
        body: Iterator = lines
    else:
        word, _, rest = _decode_line(head, head_no, repaired).partition(" ")
        d = len(rest.split())
        if d < 1 or not word or not all(_is_number(x) for x in rest.split()):
            raise VectorsFormatError(
                f"line 1: expected the header 'V d' (number of words, number of dimensions), "
                f"found {_clip(head.decode('utf-8', 'replace'))}; a file without a header "
                "(GloVe) must start with a word and its numbers"
            )
        V = _count_rows(data)
        d_from = f"the file has no 'V d' header, so line {head_no} set d = {d}"
        limits.check(V, d, "the file (no header, first line) has")
        body = _chain_first(first, lines)
        if notes is not None:
            notes.append(
                f"the file has no 'V d' header (GloVe format): read {V:,} words of "
                f"{d} dimensions from its lines"
            )
    W = np.empty((V, d), dtype=np.float32)  # (V, d) filled row by row
    words: list[str] = []
    first_seen: dict[str, int] = {}
    for no, raw in body:
        if not raw.strip():
            continue
        line = _decode_line(raw, no, repaired).rstrip()
        if len(words) == V:
            raise VectorsFormatError(f"line {no}: more rows than the {V} the header announces")
        word, _, rest = line.partition(" ")
        values = rest.split()
        if not word:
            raise VectorsFormatError(f"line {no}: the line starts with a space instead of a word")
        if len(values) != d:
            raise VectorsFormatError(
                f"line {no}: expected {d} numbers after the word {_clip(word)}, "
                f"found {len(values)}" + ("" if header else f" ({d_from})")
            )
        if word in first_seen:
            raise VectorsFormatError(
                f"line {no}: duplicate word {_clip(word)} (already on line {first_seen[word]})"
            )
        first_seen[word] = no
        W[len(words)] = _parse_row(values, f"line {no}")
        words.append(word)
    if len(words) < V:  # not reached: the rows were counted
        raise VectorsFormatError(f"the file announces {V} rows but has only {len(words)}")
    if repaired and notes is not None:
        where = ", ".join(str(n) for n in repaired[:5]) + (" ..." if len(repaired) > 5 else "")
        notes.append(
            f"{len(repaired):,} lines held bytes that are not UTF-8 (line {where}); "
            "they were replaced by \ufffd"
        )
    return words, W


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _numbered_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of every line, without holding a list of them."""
    return enumerate(io.BytesIO(data), start=1)


def _chain_first(first, rest: Iterator) -> Iterator:
    yield first
    yield from rest


def _count_rows(data: bytes) -> int:
    """Lines that hold something other than white space."""
    return sum(1 for line in io.BytesIO(data) if line.strip())


def _decode_line(raw: bytes, no: int, repaired: list[int]) -> str:
    """A line as text; bytes that are not UTF-8 become U+FFFD and the line is noted."""
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        repaired.append(no)
        return raw.decode("utf-8", "replace").rstrip("\r\n")


def _header_or_none(raw: bytes) -> tuple[int, int] | None:
    """(V, d) of a ``V d`` header line, None if the line is not one, error if V or d is 0."""
    parts = raw.split()
    if len(parts) != 2 or not all(p.isdigit() for p in parts):  # bytes: ASCII digits only
        return None
    if any(len(p) > 15 for p in parts):  # int() of a 5,000-digit number raises
        raise VectorsFormatError("line 1: the header's numbers are too large to be a size")
    V, d = int(parts[0]), int(parts[1])
    if V < 1 or d < 1:
        raise VectorsFormatError(f"line 1: the header says {V} words of {d} dimensions")
    return V, d


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _parse_row(values: list[str], where: str) -> np.ndarray:
    """One row of numbers as float32 (d,); errors name the line."""
    try:
        row = np.array([float(v) for v in values], dtype=np.float64)  # (d,)
    except ValueError:
        bad = next(v for v in values if not _is_number(v))
        raise VectorsFormatError(f"{where}: {_clip(bad)} is not a number") from None
    with np.errstate(over="ignore"):
        row32 = row.astype(np.float32)  # (d,)
    if not np.isfinite(row32).all():
        raise VectorsFormatError(f"{where}: a value is NaN, infinite or too large for float32")
    return row32


def _clip(text: str, n: int = 40) -> str:
    """repr of a piece of a file, at most about n characters (a message, not the file)."""
    return repr(text[:n]) + (f" (and {len(text) - n:,} more characters)" if len(text) > n else "")


# ---- projector TSV -------------------------------------------------------------------


def to_projector_tsv(words: Sequence[str], W: np.ndarray) -> tuple[str, str]:
    """(vectors.tsv text, metadata.tsv text) for the TensorFlow Embedding Projector."""
    W = _checked_vectors(words, W)
    for i, w in enumerate(words):
        if any(ch in _LINE_BREAKS for ch in w):
            raise W2VError(f"word {i} ({w!r}) contains a tab or line break, which TSV cannot store")
    row_format = "\t".join(["%.9g"] * W.shape[1])
    vectors = "".join(f"{row_format % tuple(row)}\n" for row in W.tolist())
    metadata = "".join(f"{w}\n" for w in words)
    return vectors, metadata


def save_projector_tsv(
    vectors_file: Writable, metadata_file: Writable, words: Sequence[str], W: np.ndarray
) -> None:
    """Write vectors.tsv and metadata.tsv for projector.tensorflow.org."""
    vectors, metadata = to_projector_tsv(words, W)
    _write_text(vectors_file, vectors)
    _write_text(metadata_file, metadata)


def load_projector_tsv(
    vectors_file: Readable,
    metadata_file: Readable,
    max_bytes: int | None = None,
    limits: Limits = NO_LIMITS,
) -> tuple[list[str], np.ndarray]:
    """Read a vectors.tsv / metadata.tsv pair; returns (words, W) with W float32 (V, d).

    A metadata file with several tab-separated columns has a header row (the
    projector's rule); the words are then taken from its first column. The size
    (rows of vectors.tsv x fields of its first line) is checked against ``limits``
    before anything is allocated.
    """
    vname, mname = _name(vectors_file, "vectors.tsv"), _name(metadata_file, "metadata.tsv")
    vtext = _read_text(vectors_file, max_bytes, vname)
    mtext = _read_text(metadata_file, max_bytes, mname, keep_spaces=True)
    V = _rows_before_trailing_blank(vtext)  # a final newline or blank lines end the file
    first = vtext.split("\n", 1)[0]
    d = len(first.rstrip("\r").split("\t"))
    limits.check(V, d, f"{vname} has")
    W = np.empty((V, d), dtype=np.float32)  # (V, d) filled row by row
    for no, line in enumerate(io.StringIO(vtext, newline="\n"), start=1):
        if no > V:
            break
        line = line.rstrip("\n")
        if not line.strip():
            raise VectorsFormatError(f"{vname} line {no}: empty line")
        fields = line.rstrip("\r").split("\t")
        if len(fields) != d:
            raise VectorsFormatError(
                f"{vname} line {no}: expected {d} tab-separated numbers, found {len(fields)}"
            )
        W[no - 1] = _parse_row(fields, f"{vname} line {no}")
    del vtext

    if mtext.count("\n") > 2 * V + 2:  # far more lines than rows: do not split it all
        raise VectorsFormatError(
            f"{vname} has {V:,} rows but {mname} has {mtext.count(chr(10)):,} lines; "
            "they must match line for line"
        )
    mlines = _strip_trailing_blank(mtext.split("\n"), keep_spaces=True)  # a word may be " "
    start = 1
    if mlines and "\t" in mlines[0]:  # several columns: the first row is a header
        mlines, start = mlines[1:], 2
    words: list[str] = []
    first_seen: dict[str, int] = {}
    for no, line in enumerate(mlines, start=start):
        word = line.rstrip("\r").split("\t")[0]
        if not word:
            raise VectorsFormatError(f"{mname} line {no}: empty word")
        if word in first_seen:
            raise VectorsFormatError(
                f"{mname} line {no}: duplicate word {_clip(word)} "
                f"(already on line {first_seen[word]})"
            )
        first_seen[word] = no
        words.append(word)
    if len(words) != V:
        raise VectorsFormatError(
            f"{vname} has {V} rows but {mname} has {len(words)} words; "
            "they must match line for line"
        )
    return words, W


def _rows_before_trailing_blank(text: str) -> int:
    """Number of lines up to the last one that holds something besides white space."""
    last = 0
    for no, line in enumerate(io.StringIO(text, newline="\n"), start=1):
        if line.strip():
            last = no
    return last


# ---- npz model files -----------------------------------------------------------------


def save_model_npz(file: Writable, arrays: Mapping[str, Any], meta: Mapping[str, Any]) -> None:
    """Write arrays plus JSON metadata with ``np.savez_compressed``.

    Lists of strings (e.g. ``words``) are stored as unicode arrays, never as
    Python objects, so the file loads with ``allow_pickle=False``.
    """
    if META_KEY in arrays:
        raise W2VError(f"{META_KEY!r} is reserved for the metadata; rename that array")
    plain = {name: _plain_array(name, value) for name, value in arrays.items()}
    try:
        meta_json = json.dumps(dict(meta), default=_json_default)
    except (TypeError, ValueError) as e:
        raise W2VError(f"the model metadata cannot be stored as JSON: {e}") from None
    plain[META_KEY] = np.array(meta_json)  # 0-d unicode array
    if isinstance(file, str | os.PathLike):  # open it ourselves: numpy would append ".npz"
        with open(file, "wb") as f:
            np.savez_compressed(f, **plain)
    else:
        np.savez_compressed(file, **plain)


def npz_headers(data: bytes) -> dict[str, tuple[tuple[int, ...], np.dtype]]:
    """(shape, dtype) of every array in an npz, read from the ``.npy`` headers only.

    Unpacks just the first bytes of each member, so a tiny file that announces a
    huge array costs nothing. Raises VectorsFormatError for a member that is not an
    ``.npy`` array or holds Python objects (which would need unpickling).
    """
    out: dict[str, tuple[tuple[int, ...], np.dtype]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                name = info.filename.removesuffix(".npy")
                with zf.open(info) as f:
                    out[name] = _npy_header(f, name)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as e:
        raise VectorsFormatError(
            f"the model file is damaged or not an .npz archive ({e})"
        ) from None
    except (NotImplementedError, RuntimeError) as e:  # unknown compression, encrypted
        raise VectorsFormatError(f"the model file cannot be read ({e})") from None
    return out


def _npy_header(f, name: str) -> tuple[tuple[int, ...], np.dtype]:
    fmt = np.lib.format
    try:
        version = fmt.read_magic(f)
        if version == (1, 0):
            shape, _, dtype = fmt.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, _, dtype = fmt.read_array_header_2_0(f)
        else:
            raise ValueError(f".npy version {version} is not read here")
    except ValueError as e:
        raise VectorsFormatError(
            f"{_clip(name)} in the archive is not a numpy array ({e})"
        ) from None
    if dtype.hasobject:
        raise VectorsFormatError(
            f"array {_clip(name)} holds pickled Python objects; refusing to load it "
            "because unpickling can run arbitrary code"
        )
    return tuple(int(n) for n in shape), dtype


def load_model_npz(
    file: Readable,
    max_bytes: int | None = None,
    limits: Limits = NO_LIMITS,
    names: Sequence[str] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Read a model written by ``save_model_npz``; returns (arrays, meta).

    Never unpickles: an archive holding Python objects is refused. With
    ``max_bytes``, the file must be at most that big and unpack to at most
    ``20 * max_bytes``. With ``limits``, no array may be bigger than
    ``limits.max_array_bytes`` (checked from the headers, before loading).
    ``names`` loads only those arrays (and the metadata).
    """
    data = _read_bytes(file, max_bytes, "model file")
    if not data.startswith(b"PK"):
        raise VectorsFormatError("this is not a model file (.npz archives are zip files)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise VectorsFormatError(
            f"the model file is damaged or not an .npz archive ({e})"
        ) from None
    except (NotImplementedError, RuntimeError) as e:  # a zip version or feature not read
        raise VectorsFormatError(f"the model file cannot be read ({e})") from None
    if max_bytes is not None and unpacked > _UNPACK_FACTOR * max_bytes:
        raise VectorsFormatError(
            f"the model file would unpack to {_mb(unpacked)}, over the limit of "
            f"{_mb(_UNPACK_FACTOR * max_bytes)}"
        )
    headers = npz_headers(data)
    wanted = [n for n in headers if names is None or n in names or n == META_KEY]
    cap = limits.max_array_bytes
    for name in wanted:
        shape, dtype = headers[name]
        size = int(np.prod(shape, dtype=object)) * dtype.itemsize
        if cap is not None and size > cap:
            raise VectorsFormatError(
                f"array {_clip(name)} has shape {shape} ({_mb(size)} unpacked); at most "
                f"{_mb(cap)} per array can be imported"
            )
    try:
        npz = np.load(io.BytesIO(data), allow_pickle=False)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise VectorsFormatError(
            f"the model file is damaged or not an .npz archive ({e})"
        ) from None
    except (NotImplementedError, RuntimeError) as e:
        raise VectorsFormatError(f"the model file cannot be read ({e})") from None
    arrays: dict[str, np.ndarray] = {}
    with npz:
        for name in npz.files:
            if name not in wanted:
                continue
            try:
                value = npz[name]
            except ValueError as e:
                raise VectorsFormatError(f"array {_clip(name)} is damaged ({e})") from None
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as e:
                raise VectorsFormatError(f"array {_clip(name)} is damaged ({e})") from None
            except (NotImplementedError, RuntimeError) as e:  # unknown compression, encrypted
                raise VectorsFormatError(f"array {_clip(name)} cannot be read ({e})") from None
            if not isinstance(value, np.ndarray):  # a zip member that is not a .npy file
                raise VectorsFormatError(f"{_clip(name)} in the archive is not a numpy array")
            arrays[name] = value
    meta_array = arrays.pop(META_KEY, None)
    if meta_array is None:
        return arrays, {}
    if meta_array.ndim != 0 or meta_array.dtype.kind != "U":
        raise VectorsFormatError(f"{META_KEY!r} should be a single JSON string")
    try:
        meta = json.loads(str(meta_array[()]))
    except (json.JSONDecodeError, RecursionError) as e:
        raise VectorsFormatError(f"the model metadata is not valid JSON ({e})") from None
    if not isinstance(meta, dict):
        raise VectorsFormatError("the model metadata should be a JSON object")
    return arrays, meta


def _plain_array(name: str, value: Any) -> np.ndarray:
    """``value`` as an array numpy can store without pickle (numbers, bools or text)."""
    try:
        a = np.asarray(value)  # (...)
    except ValueError as e:  # e.g. ragged nested lists
        raise W2VError(f"array {name!r} cannot be stored: {e}") from None
    if a.dtype.hasobject:  # e.g. an object array of strings: store it as unicode
        flat = a.ravel().tolist()
        if not all(isinstance(x, str) for x in flat):
            raise W2VError(
                f"array {name!r} holds Python objects; only numbers and text can be saved"
            )
        a = np.array(flat, dtype=str).reshape(a.shape)  # (...)
    if a.dtype.kind == "U":  # numpy's fixed-width strings silently drop trailing NULs
        originals = np.asarray(value, dtype=object).ravel().tolist()
        if any(isinstance(x, str) and x.endswith("\x00") for x in originals):
            raise W2VError(f"array {name!r} has a string ending in a NUL character")
    return a


def _json_default(x: Any) -> Any:
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    raise TypeError(f"{type(x).__name__} is not JSON serialisable")


# ---- shared helpers ------------------------------------------------------------------


def _checked_vectors(words: Sequence[str], W: np.ndarray) -> np.ndarray:
    """W as a float array after checking it matches ``words`` and can be written back."""
    W = np.asarray(W)
    if W.ndim != 2 or not np.issubdtype(W.dtype, np.number):
        raise W2VError(f"vectors must be a 2-D numeric array (V, d), got shape {W.shape}")
    if W.shape[0] != len(words):
        raise W2VError(f"{len(words)} words but {W.shape[0]} vector rows")
    if W.shape[0] == 0 or W.shape[1] == 0:
        raise W2VError(f"nothing to save: the vectors have shape {W.shape}")
    W = W.astype(np.float32)  # (V, d) what the readers give back
    if not np.isfinite(W).all():
        row = int(np.argmin(np.isfinite(W).all(axis=1)))
        raise W2VError(f"the vector of {words[row]!r} has NaN or infinite values")
    seen: set[str] = set()
    for i, w in enumerate(words):
        if not isinstance(w, str) or not w:
            raise W2VError(f"word {i} is {w!r}; words must be non-empty strings")
        if w in seen:
            raise W2VError(f"duplicate word {w!r}")
        seen.add(w)
    return W


def _read_bytes(src: Readable, max_bytes: int | None, what: str) -> bytes:
    """All bytes of a path, bytes-like object or open file, refusing more than max_bytes."""
    if isinstance(src, str | os.PathLike):
        if max_bytes is not None and os.path.getsize(src) > max_bytes:
            raise VectorsFormatError(f"the {what} is over the size limit of {_mb(max_bytes)}")
        with open(src, "rb") as f:
            return f.read()
    if isinstance(src, bytes | bytearray | memoryview):
        data = bytes(src)
    elif hasattr(src, "read"):
        data = src.read(-1 if max_bytes is None else max_bytes + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
    else:
        raise W2VError(f"cannot read the {what} from a {type(src).__name__}")
    if max_bytes is not None and len(data) > max_bytes:
        raise VectorsFormatError(f"the {what} is over the size limit of {_mb(max_bytes)}")
    return data


def _read_text(src: Readable, max_bytes: int | None, what: str, keep_spaces=False) -> str:
    """Decoded UTF-8 text of ``src``; refuses empty files and undecodable bytes.

    A file of white space only counts as empty, unless ``keep_spaces`` (metadata.tsv,
    where " " or U+0085 is a word): then only line breaks do.
    """
    data = _read_bytes(src, max_bytes, what)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        kind = "binary, not text" if b"\x00" in data else "not UTF-8 text"
        raise VectorsFormatError(
            f"{what} line {line}: {kind} (save it as UTF-8 text; binary word2vec files are "
            "not supported: save them with binary=False)"
        ) from None
    if not (text.strip("\r\n") if keep_spaces else text.strip()):
        raise VectorsFormatError(f"the {what} is empty")
    return text


def _write_text(dest: Writable, text: str) -> None:
    """Write UTF-8 text to a path or to an open text or binary file."""
    if isinstance(dest, str | os.PathLike):
        with open(dest, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    elif isinstance(dest, io.TextIOBase):
        dest.write(text)
    else:
        dest.write(text.encode("utf-8"))


def _strip_trailing_blank(lines: list[str], keep_spaces: bool = False) -> list[str]:
    """Drop the empty lines at the end (a final newline leaves one)."""

    def blank(line: str) -> bool:
        return not (line.rstrip("\r") if keep_spaces else line.strip())

    end = len(lines)
    while end and blank(lines[end - 1]):
        end -= 1
    return lines[:end]


def _name(src: Readable, default: str) -> str:
    if isinstance(src, str | os.PathLike):
        return os.path.basename(os.fspath(src))
    name = getattr(src, "name", None)
    return os.path.basename(name) if isinstance(name, str) else default


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n} bytes"
