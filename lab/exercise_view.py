"""Draw exercises on a page and keep the session's progress (Streamlit glue).

``show(exercises)`` puts each question in a box with an answer field, *Check*
and *Reveal*; the sidebar's ``progress_box`` counts what was solved and offers
the record as a CSV file. Nothing is stored beyond the session.
"""

import streamlit as st

from lab.exercises import Exercise, Progress, check

PROGRESS = "exercise_progress"  # the session's Progress (never a widget key)
RESULT = "exercise_result_"  # + exercise key: (instance, "right" | "wrong" | "shown")


def progress() -> Progress:
    return st.session_state.get(PROGRESS, Progress())


def _answer_widget(ex: Exercise, key: str):
    if ex.kind == "choice":
        return st.radio("Your answer", ex.options, index=None, key=key, horizontal=True)
    hint = {
        "word": "one word",
        "words": "words separated by commas",
        "pairs": "pairs like (king, said), (said, king)",
        "number": "a number",
    }[ex.kind]
    return st.text_input("Your answer", key=key, placeholder=hint)


def _one(ex: Exercise) -> None:
    box = st.container(border=True)
    box.markdown(f"**Try it.** {ex.prompt}")
    if ex.needs:
        box.caption(ex.needs)
    with box:
        given = _answer_widget(ex, key=f"ex_{ex.key}_{ex.instance}")
    row = box.container(horizontal=True, gap="small")
    state_key = RESULT + ex.key
    if row.button("Check", key=f"ex_check_{ex.key}_{ex.instance}", disabled=bool(ex.needs)):
        ok = check(ex, given)
        st.session_state[PROGRESS] = progress().tried(ex, ok)
        st.session_state[state_key] = (ex.instance, "right" if ok else "wrong")
    if row.button("Reveal", key=f"ex_reveal_{ex.key}_{ex.instance}", disabled=bool(ex.needs)):
        st.session_state[PROGRESS] = progress().revealed(ex)
        st.session_state[state_key] = (ex.instance, "shown")
    held = st.session_state.get(state_key)
    if held is None or held[0] != ex.instance:
        return
    if held[1] == "right":
        box.success("Right. " + ex.explanation)
    elif held[1] == "wrong":
        box.error("Not quite: try again, or reveal the answer.")
    else:
        box.info(f"Answer: **{_md_answer(ex)}**. {ex.explanation}")


def _md_answer(ex: Exercise) -> str:
    from lab.escape import md  # user words in the answer are data, not Markdown

    return md(ex.shown_answer())


def show(exercises: list[Exercise], title: str = "Check yourself") -> None:
    """The page's exercises, under a heading (nothing when there are none)."""
    if not exercises:
        return
    st.subheader(title)
    st.caption(
        "Answer first, then check: the answers are computed from this corpus, these settings "
        "and this model, so a new corpus or seed gives new questions."
    )
    for ex in exercises:
        _one(ex)


def progress_box() -> None:
    """The sidebar's count of exercises solved, and the record as CSV."""
    p = progress()
    if not p.attempts:
        return
    with st.sidebar.expander(f"Exercises: {p.n_solved} solved of {p.n_tried} tried",
                             icon=":material/task_alt:"):  # fmt: skip
        st.download_button(
            "Download my record (CSV)", p.csv(), file_name="word2vec-lab-exercises.csv",
            mime="text/csv", key="ex_download",
        )  # fmt: skip
        st.caption("Kept in this browser session only; nothing is stored on the server.")
