"""A widget for any setting, built from the setting's limit.

Every control that sets a hyperparameter (the sidebar, a page's own window
slider, the live page's fixed learning rate, Compare's knobs) asks here for its
range and its words, so a range lives in one place: ``w2v_core.config.LIMITS``
(the engine's fields) or ``lab.lesson.CORPUS_LIMITS`` (the corpus choice).
"""

from dataclasses import dataclass

import streamlit as st

from lab.lesson import NAMES, limit


@dataclass(frozen=True)
class Words:
    """How one setting is presented."""

    label: str
    help: str
    kind: str = "slider"  # slider, number, radio, select_slider, toggle
    step: float | None = None
    format: str | None = None


WORDS = {
    "window": Words("Window", "Context words taken on each side of the target."),
    "dim": Words(
        "Dimensions d",
        "Length of each word vector: the columns of W_in (= E) and W_out. Tutorials use 2-50 "
        "to see the numbers; real models use 100-300.",
    ),
    "negative": Words("Negatives k", "Noise words drawn per example for negative sampling."),
    "noise_alpha": Words(
        "Noise exponent", "Negatives are drawn with probability ∝ count^exponent.", step=0.05
    ),
    "min_count": Words("min_count", "Words seen fewer times are dropped.", kind="number"),
    "sample": Words(
        "Subsampling threshold",
        "Frequent words are randomly skipped; 0 keeps every token.",
        kind="select_slider",
    ),
    "model": Words(
        "Model",
        "Skip-gram predicts each context word from the target; CBOW predicts the target "
        "from the mean of its context.",
        kind="radio",
    ),
    "loss": Words(
        "Output layer",
        "Full softmax scores all V words per example; negative sampling k + 1 words; "
        "hierarchical softmax the ~log2(V) inner nodes on the Huffman path of the word to "
        "predict.",
        kind="radio",
    ),
    "alpha": Words(
        "Learning rate",
        "Step size of SGD (decays linearly to min_alpha = 0.0001 over the epochs).",
        kind="number",
        format="%.4f",
    ),
    "epochs": Words("Epochs", "Passes over the corpus.", kind="number"),
    "batch_size": Words(
        "Batch size",
        "Examples whose gradients are computed at the same weights and applied together. "
        "1 is pure SGD, one example at a time, as the papers describe it; larger batches "
        "vectorise (faster) but sum the updates of rows that appear several times.",
        kind="select_slider",
    ),
    "dynamic_window": Words(
        "Dynamic window",
        "word2vec.c draws each centre word's radius uniformly from 1..window, so near words "
        "count more often than far ones. Off: every centre word uses the full window.",
        kind="toggle",
    ),
    "seed": Words(
        "Seed", "Fixes the initial weights, the windows and the negatives.", kind="number"
    ),
    "generated_tokens": Words(
        "Tokens",
        "Sentences built from templates with known word categories and analogies.",
        kind="number",
        step=5_000,
    ),
    "generated_difficulty": Words(
        "Difficulty",
        "0: the plain templates. Higher: filler words between tokens and sentences continued "
        "by another topic, so scores stop saturating and the window has an optimum.",
        step=0.1,
    ),
}


def app_range(field: str) -> tuple:
    """(lo, hi) the app offers for a numeric setting, in the setting's type."""
    lim = limit(field)
    lo, hi = lim.app_range
    return lim.kind(lo), lim.kind(hi)


def setting(field: str, value, key: str, where=st, label: str | None = None, **extra):
    """The widget for ``field``, showing ``value``; returns what the user chose.

    ``where`` is the container to draw in (st, st.sidebar, a column); ``label`` replaces
    the setting's own label (e.g. "Window m (this page)"); ``extra`` goes to the widget.
    """
    w, lim = WORDS[field], limit(field)
    label = label or w.label
    kw = dict(key=key, help=extra.pop("help", w.help), **extra)
    if w.kind == "radio":
        options = list(lim.choices)
        return where.radio(label, options, options.index(value), horizontal=True,
                           format_func=lambda v: NAMES.get(v, v), **kw)  # fmt: skip
    if w.kind == "toggle":
        return where.toggle(label, value, **kw)
    if w.kind == "select_slider":
        return where.select_slider(label, list(lim.choices), value, **kw)
    lo, hi = app_range(field)
    step = w.step if w.step is None else lim.kind(w.step)
    if w.kind == "number":
        return where.number_input(label, lo, hi, value, step=step, format=w.format, **kw)
    return where.slider(label, lo, hi, value, step=step, **kw)
