"""A Plotly chart that stays mounted while its figure changes: the Live page's ticking charts.

``st.plotly_chart`` (streamlit 1.67) makes a chart's element id from its figure, so a chart
whose figure changes is unmounted and drawn again from nothing (``Plotly.newPlot``). On the
Live page every chart changes on every tick, once a second: the browser redrew five charts
from scratch each second, which kept one core of a classroom laptop busy, and a zoom or a
hover label was gone a second later.

This component keeps one ``<div>`` per key and passes each new figure to ``Plotly.react``,
which updates the drawing in place; a zoom now lasts from tick to tick (the figures set
``uirevision``) until the figure's own axis range changes. Plotly.js is the copy the
plotly Python package ships, the version that wrote the figures, served by Streamlit's
static file serving (``static/``, see ``.streamlit/config.toml``); ``install_plotly_js``
copies it there. Where it cannot (a read-only install), ``chart`` falls back to
``st.plotly_chart``.
"""

import json
import os
import shutil
import zlib
from pathlib import Path

import plotly
import streamlit as st
from plotly.io.json import to_json_plotly

STATIC = Path(__file__).resolve().parents[1] / "static"  # served at ./app/static/
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
SERVED = STATIC / "plotly.min.js"
CLASS = "w2v-live-chart"  # the chart's <div>: the browser tests look for it

# Streamlit's own look for charts (its theme is applied by st.plotly_chart only).
LOOK = {
    "font": {"family": '"Source Sans", "Source Sans Pro", sans-serif', "color": "#31333F"},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "axis": {
        "automargin": True,
        "gridcolor": "#E6EAF1",
        "zerolinecolor": "#D5DAE5",
        "linecolor": "#D5DAE5",
    },
}

JS = """
const SRC = './app/static/plotly.min.js';
const LOOK = %(look)s;
const CONFIG = {displaylogo: false, responsive: true};

function plotly() {  // one copy per page, kept apart from any window.Plotly Streamlit set
  if (!window.__w2vPlotly) {
    window.__w2vPlotly = new Promise((resolve, reject) => {
      const before = window.Plotly;
      const script = document.createElement('script');
      script.src = SRC;
      script.onload = () => {
        const mine = window.Plotly;
        if (before) window.Plotly = before;
        resolve(mine);
      };
      script.onerror = () => reject(new Error('Plotly.js could not be loaded from ' + SRC));
      document.head.appendChild(script);
    });
  }
  return window.__w2vPlotly;
}

function styled(layout) {  // Streamlit's look under the figure's own settings
  const out = {...layout, template: undefined};
  out.font = {...LOOK.font, ...(layout.font || {})};
  for (const k of ['paper_bgcolor', 'plot_bgcolor']) if (!(k in layout)) out[k] = LOOK[k];
  for (const k of Object.keys(layout)) {
    if (/^[xy]axis\\d*$/.test(k)) out[k] = {...LOOK.axis, ...layout[k]};
  }
  if (!Object.keys(layout).some(k => /^[xy]axis\\d*$/.test(k))) {
    out.xaxis = {...LOOK.axis}; out.yaxis = {...LOOK.axis};
  }
  return out;
}

export default function ({ parentElement, data }) {
  let div = parentElement.querySelector('div.%(cls)s');
  if (!div) {
    div = document.createElement('div');
    div.className = '%(cls)s';
    div.style.width = '100%%';
    parentElement.appendChild(div);
  }
  const fig = JSON.parse(data.figure);
  div.dataset.version = data.version;
  plotly().then(P => P.react(div, fig.data, styled(fig.layout || {}), CONFIG))
    .then(() => { div.dataset.drawn = data.version; },
          (err) => { div.textContent = 'This chart could not be drawn: ' + err.message; });
}
"""


def install_plotly_js() -> bool:
    """Copy the plotly package's Plotly.js to ``static/`` (once, or when plotly changed);
    False if it cannot be written there."""
    try:
        if not SERVED.exists() or SERVED.read_bytes() != PLOTLY_JS.read_bytes():
            STATIC.mkdir(exist_ok=True)
            tmp = SERVED.with_name(f".{SERVED.name}.{os.getpid()}")  # one per replica
            shutil.copyfile(PLOTLY_JS, tmp)
            tmp.replace(SERVED)  # atomic: a replica starting beside us reads a whole file
        return True
    except OSError:
        return False


@st.cache_resource
def _component():
    """The component, registered once per server (immutable: shared by every session)."""
    if not install_plotly_js():
        return None
    js = JS % {"look": json.dumps(LOOK), "cls": CLASS}
    return st.components.v2.component("w2v_live_chart", js=js, isolate_styles=False)


def chart(fig, key: str) -> None:
    """Draw ``fig`` (a built ``go.Figure``) under ``key``, updating the chart already there."""
    component = _component()
    if component is None:
        st.plotly_chart(fig, key=key, width="stretch")
        return
    spec = fig.to_plotly_json()  # {"data": [...], "layout": {...}}
    spec["layout"].pop("template", None)  # plotly's default look: the component sets its own
    text = to_json_plotly(spec)
    component(data={"figure": text, "version": f"{zlib.crc32(text.encode()):08x}"}, key=key)
