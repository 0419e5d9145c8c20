"""The benchmark harness (scripts/benchmark.py) and its pandas path (scripts/bench_pandas.py):
pure functions, and the pandas marts on the committed sample against the dbt marts' figures.
No timing is ever asserted here: speed targets live in docs/benchmarks.md, not in tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from scripts import bench_pandas, benchmark

REPO = Path(__file__).resolve().parent.parent

SAMPLE = REPO / "data" / "sample"


def measurement(seconds: float, mib: float, n: int = 2) -> dict:
    return benchmark.summarise_runs([{"seconds": seconds, "peak_mib": mib}] * n)


def steps(**seconds: float) -> dict:
    keys = ["ingest", "dbt_build", "ml", "scored", "report"]
    names = dict(zip(keys, benchmark.STEPS[:1] + benchmark.STEPS[2:6], strict=True))
    return {names[k]: {"seconds": v, "peak_mib": 100.0} for k, v in seconds.items()}


def size(scale: int, events: int, build: float, floor: float, ingest: float, dbt: float, new_export: float) -> dict:
    return {
        "scale": scale,
        "runs": 2,
        "raw_mib": 8.0 * scale,
        "rows": {"watch_like_events": events, "claim_videos": 10 * scale, "creator_profiles": 5 * scale},
        "measurements": {
            "make_build": measurement(build, 900.0),
            "make_build_noop": measurement(1.0, 200.0),
            "make_build_new_export": measurement(new_export, 800.0),
            "read_floor": measurement(floor, 100.0),
            "pandas": measurement(build / 2, 2000.0),
        },
        "full_build_steps": steps(ingest=ingest, dbt_build=dbt, ml=5.0, scored=1.0, report=3.0),
        "new_export_steps": steps(ingest=0.5, dbt_build=dbt / 10),
        "ml_model_seconds": {"claim_classifier": 30.0, "creators_active": 50.0},
        "slowest_nodes": [{"node": "model.p.events", "seconds": 4.0}],
    }


def small_doc() -> dict:
    """Three sizes that meet every target: 20 s at the sample, 50 s at scale 10, 300 s at 250."""
    return {
        "generated_at": "2026-01-01 00:00 UTC",
        "note": "test note",
        "machine": {"cpu_count": 2, "ram_mib": 4096, "os": "Linux", "python": "3.11"},
        "versions": {"duckdb": "1.4.5"},
        "ml_model_count": 4,
        "sizes": [
            size(1, 1_000_000, build=20.0, floor=1.0, ingest=1.0, dbt=10.0, new_export=5.0),
            size(10, 10_000_000, build=50.0, floor=5.0, ingest=5.0, dbt=25.0, new_export=8.0),
            size(250, 250_000_000, build=300.0, floor=21.0, ingest=60.0, dbt=110.0, new_export=12.0),
        ],
        "pandas_check": {"scale": 1, "checks": [{"check": "rows", "dbt": 3.0, "pandas": 3.0, "ok": True}]},
    }


def test_median_ratio_and_summary():
    assert benchmark.median([3.0, 1.0, 2.0]) == 2.0
    assert benchmark.median([1.0, 2.0]) == 1.5
    assert benchmark.median([]) is None
    assert benchmark.ratio(6.0, 2.0) == 3.0
    assert benchmark.ratio(1.0, 0.0) is None and benchmark.ratio(None, 2.0) is None
    summary = benchmark.summarise_runs(
        [{"seconds": 5.0, "peak_mib": 10.0}, {"seconds": 1.0, "peak_mib": 30.0}, {"seconds": 3.0, "peak_mib": 20.0}]
    )
    assert summary["median_seconds"] == 3.0 and summary["peak_mib"] == 20.0 and len(summary["runs"]) == 3
    runs = [{"steps": [{"step": "ingest", "seconds": s, "peak_mib": 10.0}]} for s in (4.0, 1.0, 2.0)]
    assert benchmark.summarise_steps(runs) == {"ingest": {"seconds": 2.0, "peak_mib": 10.0}}


def test_scales_and_their_runs():
    assert benchmark.parse_scales("250, 1x3,10x2") == [(1, 3), (10, 2), (250, 1)]
    for bad in ("", "0", "1x0", "ax2"):
        with pytest.raises(ValueError):
            benchmark.parse_scales(bad)


def test_derived_ratios_growth_and_the_margin():
    doc = small_doc()
    large = doc["sizes"][-1]
    d = benchmark.derived(large)
    assert d["dbt_build_seconds"] == pytest.approx(111.0)  # both dbt builds: models, then scored marts
    assert d["ingest_and_dbt_over_floor"] == pytest.approx(171.0 / 21.0)
    assert d["new_export_share"] == pytest.approx(12.0 / 300.0)
    assert d["pandas_over_dbt_build"] == pytest.approx(150.0 / 111.0)
    assert d["seconds_per_million_events"]["make_build"] == pytest.approx(300.0 / 250)
    # (60 + 111 - (1 + 11)) / (21 - 1): fixed costs cancel
    assert benchmark.marginal_factor(doc["sizes"][0], large) == pytest.approx(159.0 / 20.0)
    assert benchmark.marginal_factor(large, large) is None
    growth = benchmark.growth(doc["sizes"])
    assert [g["events_factor"] for g in growth] == [1.0, 10.0, 250.0]
    assert growth[0]["make_build"] == pytest.approx(20.0) and growth[1]["make_build"] == pytest.approx(5.0)


def targets(doc: dict) -> dict:
    return {t["target"]: t for t in benchmark.evaluate_targets(doc)}


def test_targets_met_and_not_met():
    met = targets(small_doc())
    assert len(met) == 10 and all(t["met"] is True for t in met.values()), [t for t in met.values() if not t["met"]]
    doc = small_doc()
    sample, middle, large = doc["sizes"]
    sample["measurements"]["make_build"] = measurement(31.0, 900.0)
    sample["measurements"]["make_build_noop"] = measurement(3.5, 200.0)
    middle["measurements"]["make_build"] = measurement(61.0, 900.0)
    middle["rows"]["watch_like_events"] = 100_000_000  # 0.61 s per million events, then 1.6 at 250
    large["full_build_steps"]["dbt build"]["seconds"] = 200.0  # dbt 201 s
    large["measurements"]["make_build"] = measurement(400.0, 7000.0)
    large["measurements"]["make_build_new_export"] = measurement(20.0, 900.0)  # 5%: not under
    large["measurements"]["read_floor"] = measurement(2.0, 100.0)  # margin (260 - 12) / 1
    large["ml_model_seconds"]["creators_active"] = 150.0
    missed = targets(doc)
    assert [name for name, t in missed.items() if t["met"] is not False] == [], missed
    assert "slowest model creators_active 150.00 s" in missed["ML training < 120 s per model (scale 250)"]["detail"]
    assert "ingest 60.00 s" in missed["scale 250: make build with ML <= 6 min"]["detail"]
    del doc["sizes"][1:]
    partial = targets(doc)
    assert partial["scale 250: dbt build <= 120 s"]["met"] is None  # not run
    assert partial["scale 10: make build <= 60 s"]["met"] is None
    assert partial["sample: make build from an empty build dir <= 30 s"]["met"] is False


def test_markdown_is_rendered_from_the_json():
    doc = small_doc()
    md = benchmark.render_markdown(doc)
    assert "scales run: 1 (2 run(s)), 10 (2 run(s)), 250 (2 run(s))" in md and "test note" in md
    assert "| make build from an empty build dir | 20.00 | 900 | 50.00 | 900 | 300.00 | 900 |" in md
    assert "| ingest | 1.00 | 100 | 5.00 | 100 | 60.00 | 100 |" in md  # its own line
    assert "| 250 | 250.00 | 1.20 | 0.24 | 0.44 | 0.08 |" in md  # growth per million events
    assert "| model.p.events | 4.00 |" in md
    assert "| sample: make build from an empty build dir <= 30 s | met |" in md
    assert "| what limits it |" in md
    assert all(benchmark.limit_of(t["target"]) for t in benchmark.evaluate_targets(doc)), "a target lacks its limit"
    assert "1 of 1 checks agree" in md and "failures" not in md
    doc["sizes"][1]["measurements"]["make_build_noop"] = benchmark.summarise_runs(
        [{"seconds": 1, "peak_mib": 1, "exit_code": 1}]
    )
    md = benchmark.render_markdown(doc)
    assert "**failures**: some runs exited non-zero (timings kept): make build with nothing changed at scale 10" in md


def test_the_read_floor_reads_every_file_once(tmp_path):
    """CSVs through DuckDB (a CSV its sniffer cannot read as bytes), JSON through json, ZIP
    members unpacked, everything else as bytes: nothing in the raw folder is left unread."""
    import zipfile

    raw = tmp_path / "raw"
    (raw / "claims").mkdir(parents=True)
    (raw / "claims" / "a.csv").write_text("x,y\n1,2\n3,4\n")
    (raw / "claims" / "broken.csv").write_bytes(b"\xff\xfe\x00x")  # UTF-16: DuckDB refuses it
    (raw / "export").mkdir()
    (raw / "export" / "user_data.json").write_text('{"Activity": {}}')
    (raw / "export" / "Watch History.txt").write_text("Date: 2024-01-01\n")
    with zipfile.ZipFile(raw / "export" / "tiktok.zip", "w") as archive:
        archive.writestr("user_data_tiktok.json", '{"Profile": {}}')
        archive.writestr("notes.txt", "hi")
    counts = benchmark.read_floor(raw)
    assert counts == {"csv": 1, "json": 2, "bytes": 3, "csv_read_as_bytes": 1}


def test_new_export_is_added_in_its_own_folder_without_copying_the_raw_set(tmp_path):
    dest = benchmark.raw_with_new_export(SAMPLE, tmp_path / "raw")
    new = dest / "export" / benchmark.NEW_EXPORT_FOLDER / "user_data_tiktok.json"
    assert f'"{benchmark.NEW_EXPORT_ACCOUNT}"' in new.read_text()
    copied = dest / "claims" / "tiktok_dataset.csv"
    if copied.stat().st_dev == SAMPLE.stat().st_dev:
        assert copied.stat().st_ino == (SAMPLE / "claims" / "tiktok_dataset.csv").stat().st_ino  # a hard link
    assert copied.read_bytes() == (SAMPLE / "claims" / "tiktok_dataset.csv").read_bytes()
    assert len(list(dest.rglob("*.json"))) == len(list(SAMPLE.rglob("*.json"))) + 1


# A child that holds MIB MiB (touched, so resident) for a second: longer than the sampling interval.
HOLD = "import time; b = bytearray({mib} * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(1)"


def test_measure_reports_the_child_peak_memory(tmp_path):
    result = benchmark.measure([sys.executable, "-c", HOLD.format(mib=200)], {}, tmp_path / "log")
    assert result["peak_mib"] >= 200
    with pytest.raises(benchmark.BenchError, match="exit 3"):
        benchmark.measure([sys.executable, "-c", "raise SystemExit(3)"], {}, tmp_path / "log")
    tolerated = benchmark.measure([sys.executable, "-c", "raise SystemExit(1)"], {}, tmp_path / "log", tolerated_exit=1)
    assert tolerated["exit_code"] == 1


def test_a_pandas_run_out_of_memory_is_recorded_not_fatal(tmp_path):
    """The pandas path on large data may not fit: capped below the machine's RAM, its
    MemoryError is recorded with the time and peak until then, shown as a lower bound."""
    hog = "b = bytearray(2 * 2**30)"
    failed = benchmark.measure([sys.executable, "-c", hog], {}, tmp_path / "log", may_fail=True, memory_cap_mib=512)
    assert failed["failed"] and failed["exit_code"] == 1 and "MemoryError" in failed["error"]
    assert benchmark.measure([sys.executable, "-c", "pass"], {}, tmp_path / "log", may_fail=True).get("failed") is None
    doc = small_doc()
    doc["sizes"][-1]["measurements"]["pandas"] = benchmark.summarise_runs(
        [{**failed, "seconds": 60.0, "peak_mib": 2000.0}]
    )
    assert "60.00 (failed: at least)" in benchmark.render_markdown(doc)


def test_a_failed_scale_keeps_the_smaller_ones_written(tmp_path, monkeypatch):
    """A scale that fails (say, out of memory at the largest size) is recorded and rendered; the
    scales done before it are already in benchmarks.json/.md."""
    sizes = small_doc()["sizes"]

    def fake_scale(scale, runs, bench_dir, keep, doc, with_pandas):
        if scale == 3:
            raise benchmark.BenchError("dbt run failed (exit 2)\nOut of Memory Error: could not allocate")
        doc["pandas_check"] = {"scale": 1, "checks": []}
        return sizes[0]

    monkeypatch.setattr(benchmark, "benchmark_scale", fake_scale)
    monkeypatch.setattr(benchmark, "versions", lambda: {"duckdb": "1.4.5"})
    with pytest.raises(benchmark.BenchError):
        benchmark.benchmark([(3, 1), (1, 1)], tmp_path / "bench", False, "", out_dir=tmp_path)
    doc = json.loads((tmp_path / "benchmarks.json").read_text())
    assert [s["scale"] for s in doc["sizes"]] == [1] and doc["failed_scales"][0]["scale"] == 3
    md = (tmp_path / "benchmarks.md").read_text()
    assert "**scale 3 did not finish**: Out of Memory Error: could not allocate" in md


def test_ml_model_count_ignores_candidates(tmp_path):
    metrics = tmp_path / "model_metrics.csv"
    metrics.write_text(
        "model,metric,value\nclaim_classifier,accuracy,1\nclaim_classifier__naive_bayes,accuracy,1\n"
        "creators_active,f1,1\ncreators_active,recall,1\n"
    )
    assert benchmark.ml_model_count(metrics) == 2


def test_parse_count():
    assert bench_pandas.parse_count("150.9M") == pytest.approx(150_900_000)
    assert bench_pandas.parse_count("314.3K") == pytest.approx(314_300)
    assert bench_pandas.parse_count("1,234") == 1234.0
    assert pd.isna(bench_pandas.parse_count("n/a")) and pd.isna(bench_pandas.parse_count(None))


@pytest.fixture(scope="module")
def sample_marts():
    return bench_pandas.compute_marts(SAMPLE)


def test_pandas_tier_engagement_matches_dbt_on_sample(sample_marts):
    # figures of marts.tier_engagement on data/sample (dbt build of the committed sample)
    tiers = sample_marts["tier_engagement"].set_index(["tier", "verified_status"])
    expected = {"nano": 169, "micro": 78, "mid": 275, "macro": 122, "mega": 806}
    assert {t: int(tiers.loc[(t, "all"), "n_creators"]) for t in expected} == expected
    assert int(tiers.loc[("mega", "unknown"), "n_creators"]) == 552
    assert tiers.loc[("mega", "all"), "mean_engagement_rate"] == pytest.approx(0.03206, rel=0.01)
    assert tiers.loc[("nano", "all"), "median_engagement_rate"] == pytest.approx(0.07039, rel=0.01)
    assert int(tiers.loc[("nano", "all"), "n_rates_capped"]) == 1


def test_pandas_viral_ranking_matches_dbt_on_sample(sample_marts):
    viral = sample_marts["viral_creator_ranking"]
    assert len(viral) == 1450 and viral["classic_rank"].notna().sum() == 1203
    assert list(viral.nsmallest(3, "virality_rank")["creator_handle"]) == [
        "theo.corner",
        "remy_life",
        "cleo_travels25",
    ]
    assert viral["virality_score"].between(0, 100).all()


def test_pandas_theme_marts_match_dbt_on_sample(sample_marts):
    # figures of marts.account_theme_distribution / account_theme_overlap on data/sample. Posts
    # carry no caption in real exports (nor in the sample): their themes come from the account's
    # own public videos in the video metadata, matched by creation second; comments and shares
    # are themed by their hashtags.
    dist = sample_marts["account_theme_distribution"]
    tagged = dist.groupby("theme_source")["theme_event_count"].sum().to_dict()
    assert tagged == {
        "watched": 12371,
        "liked": 14316,
        "searched": 1126,
        "favorited": 548,
        "shared": 236,
        "commented": 49,
        "posted": 1139,
        "deleted": 11,
    }
    assert dist.groupby(["account_id", "theme_source"])["theme_share"].sum().round(9).eq(1.0).all()
    overlap = sample_marts["account_theme_overlap"].set_index("account_id")
    assert list(overlap.reset_index().columns) == bench_pandas.OVERLAP_COLUMNS
    assert overlap["distribution_overlap"].round(4).to_dict() == {
        "alex.cooks": 0.7326,
        "bea.moves": 0.7781,
        "cam.plays": 0.6946,
        "dana.sings": 0.7349,
        "eli.travels": 0.6818,
    }
    assert overlap.loc["cam.plays", "jaccard_similarity"] == pytest.approx(0.7)


def test_compare_marts_flags_a_difference(sample_marts):
    same = bench_pandas.compare_marts(sample_marts, sample_marts)
    assert same and all(c["ok"] for c in same)
    skewed = dict(sample_marts, viral_creator_ranking=sample_marts["viral_creator_ranking"].iloc[:700])
    failed = [c["check"] for c in bench_pandas.compare_marts(skewed, sample_marts) if not c["ok"]]
    assert "viral_creator_ranking rows" in failed


def test_peak_memory_adds_up_the_processes_held_at_once(tmp_path):
    """Two grandchildren of 150 MiB at the same time: the tree held 300 MiB, which no single
    process's ru_maxrss shows."""
    code = (
        "import subprocess, sys; "
        f"ps = [subprocess.Popen([sys.executable, '-c', {HOLD.format(mib=150)!r}]) for _ in range(2)]; "
        "[p.wait() for p in ps]"
    )
    assert benchmark.measure([sys.executable, "-c", code], {}, tmp_path / "log")["peak_mib"] >= 290


def test_a_small_child_of_a_large_parent_is_measured_small():
    """A child started from a large process inherits that process's ru_maxrss at exec; the sampled
    peak is the child's own."""
    code = (
        f"{HOLD.format(mib=300).replace('; time.sleep(1)', '')}; "
        "import subprocess, sys; from scripts import warehouse; "
        "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(0.5)']); "
        "print(warehouse.wait_with_peak(p))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=benchmark.REPO)
    assert 0 < float(out.stdout) < 100


def test_a_short_lived_child_is_measured(tmp_path):
    """A child that lives a tenth of a second (a no-op build lives about that long) is sampled."""
    code = HOLD.format(mib=80).replace("time.sleep(1)", "time.sleep(0.1)")
    assert benchmark.measure([sys.executable, "-c", code], {}, tmp_path / "log")["peak_mib"] >= 80
