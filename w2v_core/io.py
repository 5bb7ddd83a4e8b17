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
"""

import io
import json
import os
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from typing import IO, Any

import numpy as np

from .errors import VectorsFormatError, W2VError

Readable = str | os.PathLike | bytes | bytearray | memoryview | IO[bytes] | IO[str]
Writable = str | os.PathLike | IO[bytes] | IO[str]

META_KEY = "__meta__"  # npz member holding the JSON metadata
_UNPACK_FACTOR = 20  # an npz may unpack to at most this many times max_bytes (zip bombs)
_LINE_BREAKS = "\t\n\r"  # characters that would break a TSV row


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
    path_or_file: Readable, max_bytes: int | None = None
) -> tuple[list[str], np.ndarray]:
    """Read a word2vec text file; returns (words, W) with W float32 of shape (V, d).

    Blank lines are ignored. The first line must be the ``V d`` header (GloVe
    files lack it: add a line with the word count and dimension first).
    """
    text = _read_text(path_or_file, max_bytes, "vectors file")
    lines = text.split("\n")
    V, d = _parse_header(lines[0])
    words: list[str] = []
    tokens: list[str] = []  # all numbers, row after row
    line_of: list[int] = []  # line number of each row
    first_seen: dict[str, int] = {}
    for no, line in enumerate(lines[1:], start=2):
        line = line.rstrip()
        if not line:
            continue
        if len(words) == V:
            raise VectorsFormatError(f"line {no}: more rows than the {V} the header announces")
        word, _, rest = line.partition(" ")
        values = rest.split()
        if not word:
            raise VectorsFormatError(f"line {no}: the line starts with a space instead of a word")
        if len(values) != d:
            raise VectorsFormatError(
                f"line {no}: expected {d} numbers after the word {word!r}, found {len(values)}"
            )
        if word in first_seen:
            raise VectorsFormatError(
                f"line {no}: duplicate word {word!r} (already on line {first_seen[word]})"
            )
        first_seen[word] = no
        words.append(word)
        tokens.extend(values)
        line_of.append(no)
    if len(words) < V:
        raise VectorsFormatError(
            f"the header (line 1) announces {V} rows but the file has only {len(words)}; "
            "was it cut short?"
        )
    return words, _parse_numbers(tokens, d, line_of, "")


def _parse_header(line: str) -> tuple[int, int]:
    parts = line.split()
    if len(parts) != 2 or not all(p.isdecimal() for p in parts):
        raise VectorsFormatError(
            f"line 1: expected the header 'V d' (number of words, number of dimensions), "
            f"found {line[:60]!r}"
        )
    V, d = int(parts[0]), int(parts[1])
    if V < 1 or d < 1:
        raise VectorsFormatError(f"line 1: the header says {V} words of {d} dimensions")
    return V, d


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
    vectors_file: Readable, metadata_file: Readable, max_bytes: int | None = None
) -> tuple[list[str], np.ndarray]:
    """Read a vectors.tsv / metadata.tsv pair; returns (words, W) with W float32 (V, d).

    A metadata file with several tab-separated columns has a header row (the
    projector's rule); the words are then taken from its first column.
    """
    vname, mname = _name(vectors_file, "vectors.tsv"), _name(metadata_file, "metadata.tsv")
    vlines = _strip_trailing_blank(_read_text(vectors_file, max_bytes, vname).split("\n"))
    mlines = _read_text(metadata_file, max_bytes, mname, keep_spaces=True).split("\n")
    mlines = _strip_trailing_blank(mlines, keep_spaces=True)  # a word may be " "

    tokens: list[str] = []
    d = None
    for no, line in enumerate(vlines, start=1):
        if not line.strip():
            raise VectorsFormatError(f"{vname} line {no}: empty line")
        fields = line.rstrip("\r").split("\t")
        if d is None:
            d = len(fields)
        elif len(fields) != d:
            raise VectorsFormatError(
                f"{vname} line {no}: expected {d} tab-separated numbers, found {len(fields)}"
            )
        tokens.extend(fields)
    if d is None:
        raise VectorsFormatError(f"{vname} is empty")

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
                f"{mname} line {no}: duplicate word {word!r} (already on line {first_seen[word]})"
            )
        first_seen[word] = no
        words.append(word)
    if len(words) != len(vlines):
        raise VectorsFormatError(
            f"{vname} has {len(vlines)} rows but {mname} has {len(words)} words; "
            "they must match line for line"
        )
    W = _parse_numbers(tokens, d, list(range(1, len(vlines) + 1)), f"{vname} ")
    return words, W


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


def load_model_npz(
    file: Readable, max_bytes: int | None = None
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Read a model written by ``save_model_npz``; returns (arrays, meta).

    Never unpickles: an archive holding Python objects is refused. With
    ``max_bytes``, the file must be at most that big and unpack to at most
    ``20 * max_bytes``.
    """
    data = _read_bytes(file, max_bytes, "model file")
    if not data.startswith(b"PK"):
        raise VectorsFormatError("this is not a model file (.npz archives are zip files)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
        npz = np.load(io.BytesIO(data), allow_pickle=False)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise VectorsFormatError(
            f"the model file is damaged or not an .npz archive ({e})"
        ) from None
    if max_bytes is not None and unpacked > _UNPACK_FACTOR * max_bytes:
        raise VectorsFormatError(
            f"the model file would unpack to {_mb(unpacked)}, over the limit of "
            f"{_mb(_UNPACK_FACTOR * max_bytes)}"
        )
    arrays: dict[str, np.ndarray] = {}
    with npz:
        for name in npz.files:
            try:
                value = npz[name]
            except ValueError as e:
                if "pickle" in str(e).lower() or "object" in str(e).lower():
                    raise VectorsFormatError(
                        f"array {name!r} holds pickled Python objects; refusing to load it "
                        "because unpickling can run arbitrary code"
                    ) from None
                raise VectorsFormatError(f"array {name!r} is damaged ({e})") from None
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as e:
                raise VectorsFormatError(f"array {name!r} is damaged ({e})") from None
            except (NotImplementedError, RuntimeError) as e:  # unknown compression, encrypted
                raise VectorsFormatError(f"array {name!r} cannot be read ({e})") from None
            if not isinstance(value, np.ndarray):  # a zip member that is not a .npy file
                raise VectorsFormatError(f"{name!r} in the archive is not a numpy array")
            arrays[name] = value
    meta_array = arrays.pop(META_KEY, None)
    if meta_array is None:
        return arrays, {}
    if meta_array.ndim != 0 or meta_array.dtype.kind != "U":
        raise VectorsFormatError(f"{META_KEY!r} should be a single JSON string")
    try:
        meta = json.loads(str(meta_array[()]))
    except json.JSONDecodeError as e:
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


def _parse_numbers(tokens: list[str], d: int, line_of: list[int], where: str) -> np.ndarray:
    """Rows of d numbers as float32 (V, d); errors name the line (``where`` prefixes it)."""
    try:
        flat = np.array(list(map(float, tokens)), dtype=np.float64)  # (V * d,)
    except ValueError:
        for pos, tok in enumerate(tokens):
            try:
                float(tok)
            except ValueError:
                raise VectorsFormatError(
                    f"{where}line {line_of[pos // d]}: {tok[:40]!r} is not a number"
                ) from None
        raise  # not reached: some token failed above
    with np.errstate(over="ignore"):
        W = flat.reshape(len(line_of), d).astype(np.float32)  # (V, d)
    finite = np.isfinite(W).all(axis=1)  # (V,)
    if not finite.all():
        row = int(np.argmin(finite))
        raise VectorsFormatError(
            f"{where}line {line_of[row]}: a value is NaN, infinite or too large for float32"
        )
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
        raise VectorsFormatError(
            f"{what} line {line}: not UTF-8 text (binary word2vec files are not supported; "
            "save them with binary=False)"
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
