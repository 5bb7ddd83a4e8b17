"""AppTest: each page renders on real data without an exception."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def test_quick_look_trains_and_plots():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Quick look"
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    spec = charts[0].proto.spec
    assert "king" in spec or "apple" in spec or "horse" in spec
    at.selectbox[0].select_index(1).run()
    assert not at.exception
    assert "Loss per example" in at.caption[0].value
