"""Tests for the sample-data generator, scripts/sample_data/ run as scripts/generate_sample_data.py
(determinism, formats, planted quirks)."""

import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scripts import generate_sample_data, sample_data
from scripts.sample_data import CANARY_FILE, RAW_FOLDERS, generate
from scripts.sample_data.common import DAY, ts
from scripts.sample_data.profiles import PROFILE_COLS

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "generate_sample_data.py"
COMMITTED = REPO / "data" / "sample"


LAYOUT_KEYS = {
    "v1": [
        "Activity",
        "App Settings",
        "Comment",
        "Direct Messages",
        "Profile",
        "Tiktok Live",
        "Video",
        "TikTok Shopping",
    ],
    "v2": [
        "Ads and data",
        "App Settings",
        "Comment",
        "Direct Message",
        "Income Plus Wallet Transactions",
        "Location Review",
        "Post",
        "Profile",
        "TikTok Shop",
        "Tiktok Live",
        "Your Activity",
    ],
    "v3": [
        "Comment",
        "Direct Message",
        "Income+ Wallet",
        "Likes and Favorites",
        "Location Review",
        "Post",
        "Profile And Settings",
        "TikTok Live",
        "TikTok Shop",
        "Your Activity",
    ],
}
CLAIMS_HEADER = (
    "#,claim_status,video_id,video_duration_sec,video_transcription_text,verified_status,"
    "author_ban_status,video_view_count,video_like_count,video_share_count,video_download_count,"
    "video_comment_count"
)


def tree_bytes(root: Path) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("s1")
    report = generate(out, 42, 1)
    return out, report


def load_export(path: Path):
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            return json.loads(zf.read("user_data_tiktok.json"))
    return json.loads(path.read_text(encoding="utf-8"))


def detect(d):
    for layout, keys in LAYOUT_KEYS.items():
        if set(d) == set(keys):
            return layout
    return None


def test_deterministic(sample, tmp_path):
    out, _ = sample
    generate(tmp_path, 42, 1)
    assert tree_bytes(out) == tree_bytes(tmp_path)


def test_committed_sample_is_fresh(sample):
    out, _ = sample
    assert COMMITTED.exists(), "run: python scripts/generate_sample_data.py"
    committed = {k: v for k, v in tree_bytes(COMMITTED).items() if k.split("/")[0] in RAW_FOLDERS or k == CANARY_FILE}
    assert committed == tree_bytes(out)


def test_output_layout_and_wipe_scope(tmp_path):
    keep = tmp_path / "README_keep.txt"
    keep.write_text("not mine")
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "stale.json").write_text("{}")
    generate(tmp_path, 7, 1)
    assert keep.read_text() == "not mine"
    assert not (tmp_path / "export" / "stale.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*RAW_FOLDERS, CANARY_FILE, "README_keep.txt"])


def test_size_budget():
    total = sum(p.stat().st_size for p in COMMITTED.rglob("*") if p.is_file())
    assert total < 8.5e6


def test_claims_format(sample):
    out, _report = sample
    raw = (out / "claims" / "tiktok_dataset.csv").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")
    text = raw.decode("utf-8")
    assert text.split("\r\n", 1)[0] == CLAIMS_HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["#"]) for r in rows] == list(range(1, len(rows) + 1))
    assert len({r["video_id"] for r in rows}) == len(rows)
    assert all(len(r["video_id"]) == 10 for r in rows)
    unl = [r for r in rows if r["claim_status"] == ""]
    assert 20 <= len(unl) <= 0.02 * len(rows)
    assert rows[-len(unl) :] == unl, "unlabelled rows are the trailing ones"
    assert all(r["video_view_count"] == "#N/A" and r["video_transcription_text"] == "" for r in unl)
    lab = rows[: -len(unl)]
    claims = [r for r in lab if r["claim_status"] == "claim"]
    assert 0.4 < len(claims) / len(lab) < 0.6
    op_views = [int(r["video_view_count"]) for r in lab if r["claim_status"] == "opinion"]
    assert sum(v < 10000 for v in op_views) / len(op_views) > 0.98
    redl = list(
        csv.DictReader(io.StringIO((out / "claims" / "redownload" / "tiktok_dataset.csv").read_bytes().decode()))
    )
    main_ids = {r["video_id"] for r in rows}
    assert 40 <= len(redl) <= 60
    assert any(r["video_id"] in main_ids for r in redl) and any(r["video_id"] not in main_ids for r in redl)


def test_export_layouts(sample):
    out, _ = sample
    found = {}
    for path in sorted((out / "export").rglob("*")):
        if path.suffix in (".json", ".zip"):
            d = load_export(path)
            layout = detect(d)
            assert layout, f"{path}: unexpected top-level keys {list(d)}"
            assert list(d) == LAYOUT_KEYS[layout]
            found[str(path.relative_to(out / "export"))] = layout
    assert found["alex/2024-12-15/user_data_tiktok.json"] == "v2"
    assert found["alex/2025-06-30/user_data_tiktok.json"] == "v3"
    assert found["bea/user_data.json"] == "v1"
    assert found["cam/user_data_tiktok.json"] == "v3"
    assert found["eli/TikTok_Data_1735000000.zip"] == "v3"


def test_export_item_fields(sample):
    out, _ = sample
    v2 = load_export(out / "export/alex/2024-12-15/user_data_tiktok.json")
    v3 = load_export(out / "export/alex/2025-06-30/user_data_tiktok.json")
    v1 = load_export(out / "export/bea/user_data.json")
    cam = load_export(out / "export/cam/user_data_tiktok.json")
    assert set(v2["Your Activity"]["Like List"]["ItemFavoriteList"][0]) == {"date", "link"}
    assert set(v3["Likes and Favorites"]["Like List"]["ItemFavoriteList"][0]) == {"date", "link"}
    assert set(v1["Activity"]["Like List"]["ItemFavoriteList"][0]) == {"Date", "Link"}
    assert all(set(x) == {"Date", "VideoLink"} for x in v1["Activity"]["Video Browsing History"]["VideoList"])
    assert set(cam["Your Activity"]["Watch History"]["VideoList"][0]) == {"Date", "Link", "Title"}
    assert v2["Your Activity"]["Favorite Effects"]["FavoriteEffectsList"] is None
    assert v1["Profile"]["Profile Information"]["ProfileMap"]["likesReceived"] == "None"
    fo = v3["Profile And Settings"]["Following"]
    assert fo["App"] == 1 and fo["IsFastLane"] is False and set(fo["Following"][0]) == {"Date", "UserName"}
    assert v3["Comment"]["Comments"]["CommentsList"][0]["date"].endswith(" UTC")
    assert set(v2["Comment"]["Comments"]["CommentsList"][0]) == {"date", "comment", "photo", "url"}
    pm = v3["Profile And Settings"]["Profile Info"]["ProfileMap"]
    assert {"displayName", "followerCount", "followingCount", "accountRegion"} <= set(pm)
    post = v3["Post"]["Posts"]["VideoList"][0]
    assert isinstance(post["Likes"], str) and post["AllowComments"] in ("Yes", "No")
    # overlapping exports: identical items in the overlap, extra items on both sides
    w2 = {(x["Date"], x["Link"]) for x in v2["Your Activity"]["Watch History"]["VideoList"]}
    w3 = {(x["Date"], x["Link"]) for x in v3["Your Activity"]["Watch History"]["VideoList"]}
    assert len(w2 & w3) > 300 and w2 - w3 and w3 - w2


def test_video_ids_precede_engagement(sample):
    out, _ = sample
    v3 = load_export(out / "export/alex/2025-06-30/user_data_tiktok.json")
    for item in v3["Likes and Favorites"]["Like List"]["ItemFavoriteList"][:500]:
        m = re.search(r"/video/(\d{19})", item["link"])
        if m:
            created = int(m.group(1)) >> 32
            y, mo, d = (int(x) for x in item["date"][:10].split("-"))
            assert created < ts(y, mo, d) + DAY


def test_txt_export(sample):
    out, _ = sample
    root = out / "export" / "dana"
    like = (root / "Activity" / "Like List.txt").read_bytes()
    assert b"\r\n\r\n" in like
    for f in sorted(root.rglob("*.txt")):
        text = f.read_bytes().decode("utf-8").replace("\r\n", "\n")
        for block in text.strip("\n").split("\n\n"):
            for line in block.split("\n"):
                assert re.match(r"^[A-Za-z ]+: ", line), (f, line)
    assert "Username: dana.sings" in (root / "Profile" / "Profile Information.txt").read_text()
    assert "Search Term: " in (root / "Activity" / "Search History.txt").read_text()


def test_canaries_present(sample):
    out, _ = sample
    can = json.loads((out / CANARY_FILE).read_text())
    assert set(can) == {"pii", "third_party_usernames"}
    blob = []
    for p in sorted((out / "export").rglob("*")):
        if p.suffix == ".zip":
            with zipfile.ZipFile(p) as zf:
                blob.append(zf.read("user_data_tiktok.json").decode())
        elif p.is_file():
            blob.append(p.read_text(encoding="utf-8"))
    blob = "\n".join(blob)
    missing = [s for s in can["pii"] + can["third_party_usernames"] if s not in blob]
    assert not missing
    assert any(s.startswith("CANARY-DM-bea") for s in can["pii"])


def test_other_sources(sample):
    out, _ = sample
    with open(out / "profiles" / "brightdata_tiktok_profiles.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == PROFILE_COLS and len(rows) == 600
    assert any("\n" in r["biography"] for r in rows) and any(r["biography"] == "null" for r in rows)
    for r in rows[:50]:
        assert (
            abs(
                float(r["awg_engagement_rate"]) - float(r["like_engagement_rate"]) - float(r["comment_engagement_rate"])
            )
            < 1e-5
        )
    excel = (out / "profiles" / "excel_resave" / "profiles_subset.csv").read_text(encoding="utf-8")
    assert re.search(r"\d\.\d{5}E\+18", excel) and "E-05" in excel
    assert "FALSE" in excel and "TRUE" in excel
    hype = (out / "top_creators" / "hypeauditor" / "tiktok_top_1000.csv").read_text()
    assert re.search(r"\d{5,}\.\d*9999", hype)
    monthly = sorted((out / "top_creators" / "monthly").glob("*.csv"))
    assert len(monthly) == 4
    with open(out / "video_metadata" / "videos.csv", newline="", encoding="utf-8") as fh:
        meta = list(csv.DictReader(fh))
    assert list(meta[0]) == ["video_id", "video_link", "description", "hashtags", "sound_title", "author_handle"]
    assert 0.02 < sum(r["video_id"] == "" for r in meta) / len(meta) < 0.1


def test_scale_two_grows(sample, tmp_path):
    _, r1 = sample
    r2 = generate(tmp_path, 42, 2)
    assert r2["events"] > 1.5 * r1["events"]
    assert r2["claims_rows"] > r1["claims_rows"] and r2["profiles_rows"] > r1["profiles_rows"]
    assert (tmp_path / "export" / "gen").is_dir()


def test_cli_help():
    res = subprocess.run([sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, check=True)
    assert "--seed" in res.stdout and "--scale" in res.stdout and "data/sample" in res.stdout


def test_entry_point_runs_the_package():
    assert generate_sample_data.main is sample_data.main
    # -S: no site-packages, so no editable install; the file must find its package itself.
    res = subprocess.run([sys.executable, "-S", str(SCRIPT), "--help"], capture_output=True, text=True, check=True)
    assert "--seed" in res.stdout
