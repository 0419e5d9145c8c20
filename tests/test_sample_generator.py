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
    """The committed sample stays small; it carries one capped like list of exactly 6,000 items
    (a real shape), which costs about 1 MB of the budget."""
    total = sum(p.stat().st_size for p in COMMITTED.rglob("*") if p.is_file())
    assert total < 10.5e6


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
    for doc in (v1, v2, v3, cam):  # real watch items carry no title
        watch = (
            doc.get("Your Activity", doc.get("Activity", {})).get("Watch History")
            or doc["Activity"]["Video Browsing History"]
        )
        assert all(set(x) in ({"Date", "Link"}, {"Date", "VideoLink"}) for x in watch["VideoList"])
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
    assert "Autofill" in v3["Profile And Settings"] and "Autofill" in v2["Profile"]
    # overlapping exports: identical items in the overlap, extra items on both sides
    w2 = {(x["Date"], x["Link"]) for x in v2["Your Activity"]["Watch History"]["VideoList"]}
    w3 = {(x["Date"], x["Link"]) for x in v3["Your Activity"]["Watch History"]["VideoList"]}
    assert len(w2 & w3) > 300 and w2 - w3 and w3 - w2


def test_the_real_shapes_of_posts_sounds_effects_and_likes(sample):
    out, _ = sample
    cam = load_export(out / "export/cam/user_data_tiktok.json")
    v3 = load_export(out / "export/alex/2025-06-30/user_data_tiktok.json")
    posts = v3["Post"]["Posts"]["VideoList"] + cam["Post"]["Posts"]["VideoList"]
    # posts: signed CDN links, never a video id; photo posts with several image URLs; no caption
    assert all("/video/" not in p["Link"] for p in posts)
    assert all(
        re.match(r"https://(video-va\.tiktokv\.com|video-useast5\.tiktokv\.us)/storage/v1/", p["Link"])
        or all(re.match(r"https://p16-[^/]+\.ibyteimg\.com/.*photomode.*\.jpeg\?", u) for u in p["Link"].split("\n"))
        for p in posts
    )
    assert any(p["Link"].count("\n") >= 1 for p in posts), "no photo post"
    assert {p["Title"] for p in posts} <= {"N/A", ""} and sum(p["Title"] == "N/A" for p in posts) > len(posts) / 2
    assert all(re.fullmatch(r".+ - .+", p["Sound"]) for p in posts)
    sounds = v3["Likes and Favorites"]["Favorite Sounds"]["FavoriteSoundList"]
    assert all(re.fullmatch(r"https://m\.tiktok\.com/h5/share/music/\d+\.html", s["Link"]) for s in sounds)
    effects = v3["Likes and Favorites"]["Favorite Effects"]["FavoriteEffectsList"]
    assert effects and all(
        re.fullmatch(r"https://m\.tiktok\.com/share/stickers/detail/\d+\.html", e["EffectLink"]) for e in effects
    )
    # a like and a favourite of the same video in the same second
    likes = {(x["date"], x["link"]) for x in v3["Likes and Favorites"]["Like List"]["ItemFavoriteList"]}
    favs = {(x["Date"], x["Link"]) for x in v3["Likes and Favorites"]["Favorite Videos"]["FavoriteVideoList"]}
    assert likes & favs
    # a capped like list: exactly the newest 6,000
    assert len(cam["Likes and Favorites"]["Like List"]["ItemFavoriteList"]) == 6000


def test_own_public_videos_carry_the_captions_posts_lack(sample):
    """Each account's public posts are in the video metadata under its own handle, with the
    caption, hashtags, `<title> - <artist>` sound and sound id; the id's top 32 bits are the
    post's Date (one second off for about 1 in 10), which is how a post is matched to its video.
    Posts visible to friends or only their author have no public video."""
    out, _ = sample
    v3 = load_export(out / "export/alex/2025-06-30/user_data_tiktok.json")
    with open(out / "video_metadata" / "videos.csv", newline="", encoding="utf-8") as fh:
        own = {int(r["video_id"]) >> 32: r for r in csv.DictReader(fh) if r["author_handle"] == "alex.cooks"}
    public = [p for p in v3["Post"]["Posts"]["VideoList"] if p["WhoCanView"] == "Everyone"]
    assert len(public) > 100
    offsets = []
    for post in public:
        y, mo, d = (int(x) for x in post["Date"][:10].split("-"))
        hh, mm, ss = (int(x) for x in post["Date"][11:19].split(":"))
        t = ts(y, mo, d, hh, mm, ss)
        offset = next(o for o in (0, -1, 1) if t + o in own)
        offsets.append(offset)
        row = own[t + offset]
        assert row["sound_title"] == post["Sound"] and row["sound_id"].isdigit()
        assert row["hashtags"] and row["hashtags"].split()[0] in row["description"]
    assert 0.03 < sum(o != 0 for o in offsets) / len(offsets) < 0.2, "about 1 in 10 one second off"
    private = [p for p in v3["Post"]["Posts"]["VideoList"] if p["WhoCanView"] != "Everyone"]
    assert private and not any(
        ts(*(int(x) for x in p["Date"][:10].split("-")), *(int(x) for x in p["Date"][11:19].split(":"))) + o in own
        for p in private
        for o in (-1, 0, 1)
    )
    favourite_ids = {
        re.search(r"(\d+)\.html", s["Link"]).group(1)
        for s in v3["Likes and Favorites"]["Favorite Sounds"]["FavoriteSoundList"]
    }
    assert favourite_ids & {r["sound_id"] for r in own.values()}, "no post reuses a favourite sound (by id)"


def test_every_favourite_sound_is_named_by_the_video_it_was_saved_from(sample):
    """Favourite links carry ids only; a favourited video seconds to minutes before each one uses
    the sound, and its metadata row names it (`<title> - <artist>`, the link's id)."""
    out, _ = sample
    v3 = load_export(out / "export/alex/2025-06-30/user_data_tiktok.json")
    with open(out / "video_metadata" / "videos.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    titled = {r["sound_id"]: r["sound_title"] for r in rows if r["author_handle"] != "alex.cooks"}
    favourites = v3["Likes and Favorites"]["Favorite Sounds"]["FavoriteSoundList"]
    ids = [re.search(r"(\d+)\.html", s["Link"]).group(1) for s in favourites]
    assert ids and all(re.fullmatch(r".+ - .+", titled[i]) for i in ids)
    posted = {p["Sound"] for p in v3["Post"]["Posts"]["VideoList"]}
    assert posted & {titled[i] for i in ids}, "no post reuses a favourite sound by its title"


def test_shares_and_comments_have_the_real_shapes(sample):
    """`SharedContent` is a kind, not a caption; some comments carry hashtags."""
    out, _ = sample
    v3 = load_export(out / "export/alex/2025-06-30/user_data_tiktok.json")
    shares = v3["Your Activity"]["Share History"]["ShareHistoryList"]
    assert shares and {s["SharedContent"] for s in shares} == {"share_video"}
    comments = [c["comment"] for c in v3["Comment"]["Comments"]["CommentsList"]]
    assert any("#" in c for c in comments) and any("#" not in c for c in comments)


def test_the_sample_vocabulary_is_in_the_taxonomy_seed():
    """The sample is written in its own frozen vocabulary (extending the seed does not change
    it); the warehouse's taxonomy seed must know every word of it, in every language."""
    from scripts.sample_data.common import LOCAL_TAGS, load_themes

    with open(REPO / "seeds" / "theme_keywords.csv", newline="", encoding="utf-8") as fh:
        seed = {(r["theme"], r["keyword"]) for r in csv.DictReader(fh)}
    vocabulary = {(t, k) for t, kws in load_themes().items() for k in kws}
    vocabulary |= {(t, k) for t, kws in LOCAL_TAGS.items() for k in kws}
    assert vocabulary - seed == set()
    assert len({t for t, _ in seed}) > len(load_themes())


def test_null_accounts_post_independently_of_what_they_engage_with(tmp_path):
    """--null-accounts N adds N accounts (export/null/) whose posting themes follow a schedule of
    their own and whose posts take favourite sounds whenever they were favourited."""
    report = generate(tmp_path, 42, 1, null_accounts=2)
    assert [a["handle"] for a in report["null_accounts"]] == ["null.user00001", "null.user00002"]
    assert sorted(p.name for p in (tmp_path / "export" / "null").iterdir()) == ["acct_00001", "acct_00002"]
    for account in report["null_accounts"]:
        before, after, _total = account["posts_reuse_before_after_total"]
        # uniform over all favourites: many more "only after" than the planted 5%
        assert after > 0.15 * (before + after), account


def test_video_ids_precede_engagement(sample):
    out, _ = sample
    v3 = load_export(out / "export/alex/2025-06-30/user_data_tiktok.json")
    for item in v3["Likes and Favorites"]["Like List"]["ItemFavoriteList"][:500]:
        m = re.search(r"/video/(\d{19})", item["link"])
        if m:
            created = int(m.group(1)) >> 32
            y, mo, d = (int(x) for x in item["date"][:10].split("-"))
            assert created < ts(y, mo, d) + DAY


def test_txt_exports_of_every_era(sample):
    out, _ = sample
    root = out / "export" / "dana"
    like = (root / "Activity" / "Like List.txt").read_bytes()
    assert b"\r\n\r\n" in like and like.endswith(b"\r\n\r\n\r\n"), "blank lines at the end, as TikTok writes"
    for f in sorted((out / "export").rglob("*.txt")):
        text = f.read_bytes().decode("utf-8").replace("\r\n", "\n")
        for block in text.strip("\n").split("\n\n"):
            for line in block.split("\n"):
                # a label, or a photo post's further image URLs, or an empty list in words
                assert re.match(r"^[A-Za-z ()]+: |^https://|^You have no data in this section$", line), (f, line)
    assert "Username: dana.sings" in (root / "Profile" / "Profile Information.txt").read_text()
    assert "Search Term: " in (root / "Activity" / "Search History.txt").read_text()
    assert "Video Link: " in (root / "Activity" / "Video Browsing History.txt").read_text()  # 2020
    assert (root / "Video" / "Videos.txt").exists()
    eli = out / "export" / "eli" / "2024-10-01"  # 2022-2024: flat, Browsing History, Post, Sound Link
    assert {"Browsing History.txt", "Post.txt", "Follower.txt", "Following.txt", "Hashtag.txt"} <= {
        p.name for p in eli.iterdir()
    }
    assert "Sound Link: https://m.tiktok.com/h5/share/music/" in (eli / "Favorite Sounds.txt").read_text()
    assert "Like(s): " in (eli / "Post.txt").read_text()
    assert (eli / "Favorite Effects.txt").read_text().strip() == "You have no data in this section"
    cam = out / "export" / "cam" / "2025-07-01"  # 2025-2026: Watch History, Posts, ` UTC`
    assert {"Watch History.txt", "Posts.txt", "Reposts.txt"} <= {p.name for p in cam.iterdir()}
    assert re.search(r"^Date: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$", (cam / "Watch History.txt").read_text(), re.M)


def test_canaries_present(sample):
    out, _ = sample
    can = json.loads((out / CANARY_FILE).read_text())
    assert set(can) == {"pii", "third_party_usernames"}
    blob = []
    # exports, and the creator biographies of the profile CSVs (contacts typed into bios)
    for p in [*sorted((out / "export").rglob("*")), *sorted((out / "profiles").rglob("*.csv"))]:
        if p.suffix == ".zip":
            with zipfile.ZipFile(p) as zf:
                blob.append(zf.read("user_data_tiktok.json").decode())
        elif p.is_file():
            blob.append(p.read_text(encoding="utf-8"))
    blob = "\n".join(blob)
    missing = [s for s in can["pii"] + can["third_party_usernames"] if s not in blob]
    assert not missing
    assert any(s.startswith("CANARY-DM-bea") for s in can["pii"])
    assert any(s.endswith("@example.com") for s in can["pii"]) and any(s.startswith("+55 11 9") for s in can["pii"])


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
    assert len(monthly) == 5
    with open(out / "video_metadata" / "videos.csv", newline="", encoding="utf-8") as fh:
        meta = list(csv.DictReader(fh))
    assert list(meta[0]) == [
        "video_id",
        "video_link",
        "description",
        "hashtags",
        "sound_title",
        "author_handle",
        "sound_id",
    ]
    assert 0.02 < sum(r["video_id"] == "" for r in meta) / len(meta) < 0.1


def _csv_rows(path: Path, newline: str = "") -> list[list[str]]:
    with open(path, newline=newline, encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_top_creator_lists_have_the_real_shapes(sample):
    """DATA_FORMATS §3: about 1,000 rows each; the November-2022 file byte for byte in its
    shape; the June-2022 shape; the HypeAuditor scrape and its stripped-header copy."""
    out, _ = sample
    monthly = out / "top_creators" / "monthly"
    november = (monthly / "Top 1000 TikTokers - 2022-11.csv").read_bytes()
    assert november.startswith(b'row-cell,Tiktoker name,Tiktok name,"\nFollowers",Views (Avg.),')
    first_line_end = november.index(b"\r\n")
    assert november[first_line_end:].startswith(b"\r\n,,,,,,,\r\n"), "a row of commas follows the header"
    assert november.count(b"\r\n") == 1 + 1 + 1000 and november.count(b"\n") == november.count(b"\r\n") + 1
    june = _csv_rows(monthly / "Top 1000 TikTokers - 2022-06.csv")
    assert june[0][0] == "Tiktoker name", "no rank column"
    handles = [r[0] for r in june[1:]]
    assert handles == sorted(handles) and len(handles) == 1014 and len(set(map(tuple, june[1:]))) == 1000
    hype = (out / "top_creators" / "hypeauditor" / "tiktok_top_1000.csv").read_bytes()
    assert hype.count(b"\r\n") == hype.count(b"\n") == 1001
    rows = _csv_rows(out / "top_creators" / "hypeauditor" / "tiktok_top_1000.csv")[1:]
    assert len({r[2] for r in rows}) == 999 and sum(r[3] == "" for r in rows) > 10
    copy = (out / "top_creators" / "hypeauditor_stripped" / "tiktok_top_1000.csv").read_text(encoding="utf-8")
    header, *lines = copy.splitlines()
    assert header == "Country,Rank,Account,Title,Link,Subscriberscount,Viewsavg,Likesavg,Commentsavg,Sharesavg,Scraped"
    wrapped = [line for line in lines if line.startswith('"') and line.endswith('"') and line.count(",") > 5]
    assert len(lines) == 1000 and len(wrapped) == 3 and "\r" not in copy
    dec = _csv_rows(monthly / "Top 1000 TikTokers - 2022-12.csv")
    assert dec[0].count("followers") == 2 and len(dec) - 1 >= 1000


def test_claims_resaves_have_the_real_shapes(sample):
    out, _ = sample
    pandas = (out / "claims" / "pandas_resave" / "tiktok_dataset.csv").read_text(encoding="utf-8")
    assert pandas.startswith(",#,claim_status,video_id,") and "\r" not in pandas
    rows = list(csv.reader(io.StringIO(pandas)))[1:]
    assert all(re.fullmatch(r"\d+\.0", r[8]) for r in rows if r[2]), "counts re-saved as floats"
    unlabelled = [r for r in rows if not r[2]]
    assert unlabelled and all(r[8:] == [""] * 5 for r in unlabelled), "NaN written as empty"
    assert [int(r[0]) + 1 for r in rows] == [int(r[1]) for r in rows], "the unnamed column is pandas' index"
    labelled = _csv_rows(out / "claims" / "labelled_only" / "tiktok_dataset.csv")
    assert labelled[0][0] == "#" and all(r[1] for r in labelled[1:]) and len(labelled) > 100
    with_id = _csv_rows(out / "claims" / "id_header" / "tiktok_dataset.csv")
    assert with_id[0][:2] == ["id", "claim_status"] and len(with_id) > 100


def test_official_profiles_sample_has_the_real_shape(sample):
    """DATA_FORMATS §4: the official 36-column sample."""
    from scripts.sample_data.profiles import OFFICIAL_COLS

    out, _ = sample
    path = out / "profiles" / "brightdata_sample" / "tiktok_profiles_sample.csv"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(f'"{c}"' for c in OFFICIAL_COLS) and len(OFFICIAL_COLS) == 36
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 100 and "timestamp" not in rows[0]
    bios = [r["biography"] for r in rows]
    assert sum("\n" in b for b in bios) > 50 and {"None", "null"} <= set(bios)
    assert (
        sum("@example." in b for b in bios) > 10
        and sum(re.search(r"\+55 11 9\d{4}-\d{4}", b) is not None for b in bios) > 5
    )
    assert any("█" in r["account_id"] for r in rows) and {"None", "null"} & {r["bio_link"] for r in rows}
    idle = []
    for r in rows:
        videos = json.loads(r["top_videos"])
        created = [int(re.search(r"/video/(\d+)", v).group(1)) >> 32 for v in videos]
        expires = int(re.search(r"x-expires=(\d+)", r["profile_pic_url"]).group(1))
        assert expires > max(created), "x-expires falls a few days after the scrape, after every video"
        idle.append(expires - 2 * DAY - max(created))
        unpinned = created[created.index(max(created)) :]
        assert unpinned == sorted(unpinned, reverse=True), "newest first after the pinned ones"
    # real creators lapse: the active label (newest video within 30 days) has both classes here
    lapsed = sum(i > 30 * DAY for i in idle)
    assert 0.2 * len(rows) < lapsed < 0.5 * len(rows), lapsed
    assert any(json.loads(r["top_videos"])[0] != max(json.loads(r["top_videos"])) for r in rows), "pinned videos first"


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
