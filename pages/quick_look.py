"""Quick look: train a small corpus with our NumPy engine and see the words in 2-D."""

import streamlit as st

from lab.figures import scatter_words
from w2v_core.config import W2VConfig
from w2v_core.corpora import PRESETS, preset_categories, preset_text
from w2v_core.errors import W2VError
from w2v_core.projection import pca
from w2v_core.tokenize import tokenize
from w2v_core.trainer import Trainer


@st.cache_data(show_spinner="Training...")
def train(key: str, dim: int, epochs: int, seed: int):
    """Train once per (corpus, settings); returns plain arrays (safe to share)."""
    cfg = W2VConfig(
        dim=dim,
        window=2,
        min_count=1,
        sample=0,
        epochs=epochs,
        alpha=0.05,
        batch_size=16,
        seed=seed,
    )
    tr = Trainer(cfg).fit(tokenize(preset_text(key)))
    return tr.words_, tr.W_in_, tr.history_.epoch_loss


def render() -> None:
    st.title("Quick look")
    st.write(
        "Pick a small corpus: our NumPy skip-gram trains on it and each word's row of "
        "the embedding matrix E is drawn in two dimensions (principal components)."
    )
    toy = [k for k in PRESETS if preset_categories(k)]
    key = st.selectbox("Corpus", toy, format_func=lambda k: PRESETS[k].title)
    dim = st.slider("Dimensions d", 2, 50, 10)
    epochs = st.slider("Epochs", 1, 200, 60)
    seed = st.number_input("Seed", 0, 10_000, 0)
    try:
        words, W, losses = train(key, dim, epochs, int(seed))
    except W2VError as e:
        st.error(str(e))
        return
    cats = preset_categories(key)
    p = pca(W, 2)
    st.plotly_chart(
        scatter_words(
            p.points, words, [cats.get(w, "other") for w in words],
            axis_titles=(f"PC 1 ({p.explained[0]:.0%})", f"PC 2 ({p.explained[1]:.0%})"),
        ),
        key="quick_look_scatter",
    )  # fmt: skip
    st.caption(
        f"Loss per example: {losses[0]:.3f} in the first epoch, {losses[-1]:.3f} in the last."
    )


render()
