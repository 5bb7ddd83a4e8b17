"""A page's own values in ``st.session_state``, kept under one prefix.

Pages keep small things between reruns (the last projection frame, a pending
step, a score series). ``PageState("live_")`` reads and writes them as
``live_frame``, ``live_pending``..., and forgets them all at once when the model
they describe is replaced (``follow``), so nothing from an old corpus leaks into
the views of a new one.
"""

from dataclasses import dataclass

import streamlit as st

OWNER = "owner"  # the name under which the state remembers whose views it holds


@dataclass(frozen=True)
class PageState:
    prefix: str  # e.g. "live_": every key of this page starts with it

    def get(self, name: str, default=None):
        return st.session_state.get(self.prefix + name, default)

    def put(self, name: str, value) -> None:
        st.session_state[self.prefix + name] = value

    def clear(self, *names: str) -> None:
        """Forget the given names, or (no names) everything of this page but its owner."""
        keys = [self.prefix + n for n in names] or [
            k for k in st.session_state if k.startswith(self.prefix) and k != self.prefix + OWNER
        ]
        for k in keys:
            st.session_state.pop(k, None)

    def follow(self, owner) -> bool:
        """Keep the views only while they belong to ``owner`` (e.g. the model's key).

        When the owner changes, everything this page kept is forgotten; returns True then.
        """
        if self.get(OWNER) == owner:
            return False
        self.clear()
        self.put(OWNER, owner)
        return True
