"""The app's pages, in lesson order: one list for the router, the tests and the benchmarks.

The page files live in ``app_pages/``, not ``pages/``: next to an ``st.navigation``
app, a folder named ``pages/`` makes Streamlit run a deep-linked page without
app.py (so without the shared sidebar) on a fresh server, and in AppTest.
"""

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_DIR = "app_pages"


@dataclass(frozen=True)
class Route:
    file: str  # file name in app_pages/
    title: str  # navigation label
    icon: str  # Material icon (the emoji font is not always installed)
    section: str  # navigation group

    @property
    def path(self) -> str:
        """Path relative to app.py (what AppTest.switch_page and st.page_link take)."""
        return f"{PAGE_DIR}/{self.file}"

    @property
    def file_path(self) -> Path:
        return ROOT / PAGE_DIR / self.file


ROUTES = (
    Route("text.py", "1. Text and vocabulary", ":material/notes:", "The lesson"),
    Route("cooccurrence.py", "2. Co-occurrence", ":material/grid_on:", "The lesson"),
    Route("pairs.py", "3. Training pairs", ":material/swap_horiz:", "The lesson"),
    Route("negatives.py", "4. Negative sampling", ":material/casino:", "The lesson"),
    Route("model.py", "5. The model and one SGD step", ":material/psychology:", "The lesson"),
    Route("train.py", "Live training", ":material/play_circle:", "Train"),
    Route("explore.py", "Explore and share", ":material/travel_explore:", "Explore"),
    Route("directions.py", "Meaning as directions", ":material/north_east:", "Explore"),
    Route("count_predict.py", "Count vs predict", ":material/compare_arrows:", "Explore"),
    Route("compare.py", "Compare runs", ":material/tune:", "Explore"),
)
