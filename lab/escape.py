"""User text shown as text: escapes for Streamlit Markdown and for Plotly labels.

Words of a corpus or of an imported file, file names, link parameters and typed
queries are data, never markup. Two places would read them as markup:

* Streamlit renders Markdown in st.markdown / write / caption / info / warning /
  error / success, in headers, widget labels and options of st.radio, tabs,
  expanders, metric labels and help tooltips: ``[a](b)`` links, ``**bold**``,
  ``$x^2$`` maths, ``:red[...]`` colours, ``:material/...:`` icons, emoji
  shortcodes, bare ``https://`` and ``www.`` links, headings and lists at the
  start of a line. ``md`` puts a backslash before every ASCII punctuation mark
  (CommonMark lets any of them be escaped, and Streamlit's maths, colour, icon and
  emoji syntaxes all need one of them), turns line breaks into spaces, and puts an
  invisible WORD JOINER into ``://``, ``www.`` and ``@``: remark-gfm links bare
  addresses after parsing, so escapes do not stop it (seen in a browser test).
* Plotly draws a subset of HTML in text, hover text, tick labels, legend names and
  titles (``<a href>``, ``<span style>``, ``<br>``, entities), fills ``%{...}`` in
  hover templates, and typesets ``$...$`` when MathJax is loaded. ``html`` writes
  ``& < >`` as the entities Plotly knows by name and ``" ' $ %`` as numeric ones,
  which Plotly shows as the characters themselves.

Both also show control characters and the bidirectional overrides (which can make
the rest of a message read backwards) as visible code points, and can clip a long
string: a message quotes a piece of a file, never the file. st.dataframe, st.code,
select boxes and multiselect options show plain text and need no escape.
"""

import re
import string
import unicodedata

_PUNCTUATION = frozenset(string.punctuation)  # the ASCII marks CommonMark lets one escape
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
ELLIPSIS = "…"
JOINER = "\u2060"  # WORD JOINER: invisible, and not part of any URL or e-mail address
# Streamlit (remark-gfm) turns bare "https://...", "www." and "a@b.c" into links after the
# Markdown is parsed, whatever is escaped: an invisible joiner breaks each pattern.
_AUTOLINK = re.compile(r"(?i)(://|www\.|@\w|mailto:|xmpp:)")


def visible(text: object, limit: int | None = None) -> str:
    """``str(text)`` with line breaks as spaces, control and bidi characters as ⟨U+XXXX⟩,
    and at most ``limit`` characters (then ``…`` and how many more)."""
    s = str(text)
    more = 0
    if limit is not None and len(s) > limit:
        s, more = s[:limit], len(s) - limit
    out = []
    for ch in s:
        if ch in _BREAKS:
            out.append(" ")
        elif ch in _BIDI or unicodedata.category(ch) in ("Cc", "Cs"):
            out.append(f"⟨U+{ord(ch):04X}⟩")
        else:
            out.append(ch)
    s = "".join(out)
    return s + (f"{ELLIPSIS} ({more:,} more characters)" if more else "")


def md(text: object, limit: int | None = None) -> str:
    """``text`` escaped for Streamlit Markdown: shown exactly as written, never as markup."""
    s = _AUTOLINK.sub(lambda m: m.group(0)[:-1] + JOINER + m.group(0)[-1], visible(text, limit))
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in s)


_PLOTLY = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;", "$": "&#36;",
     "%": "&#37;"}
)  # fmt: skip  # Plotly knows amp, lt and gt by name, every other entity by number


def html(text: object, limit: int | None = None) -> str:
    """``text`` escaped for Plotly's text, hover, tick and legend labels and titles."""
    return visible(text, limit).translate(_PLOTLY)


class MdWords:
    """A read-only view of a word list whose items come out as ``md(word)``: escapes only
    the words a page puts into Markdown, not the whole vocabulary."""

    def __init__(self, words):
        self._words = words

    def __len__(self) -> int:
        return len(self._words)

    def __getitem__(self, i) -> str:
        return md(self._words[int(i)])


def quoted(text: object, limit: int | None = 60) -> str:
    """A user's word inside a Markdown message: 'word', escaped and clipped."""
    return "'" + md(text, limit) + "'"
