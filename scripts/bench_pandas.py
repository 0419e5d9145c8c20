"""The pandas alternative of the benchmark: the four heaviest marts computed the way
the original notebooks did it, straight from a raw folder (pd.read_csv, groupby, merge; the
exports read by the ingest layer in memory, as the build reads them), so `scripts/benchmark.py`
can time it against dbt.

    python scripts/bench_pandas.py --raw data/sample --out /tmp/pandas_marts   # writes 4 CSVs

Marts (same names and main columns as the dbt marts):
    tier_engagement, viral_creator_ranking, account_theme_distribution, account_theme_overlap

Known differences from the dbt models (docs/benchmarks.md points here; on the committed sample
all four marts still agree with dbt within the tolerances of `compare_marts`):
- No quarantine or audit: rows without a handle, date or video id are dropped, nothing else is
  validated (the dbt staging layer also rejects malformed numbers, bad dates, duplicates by
  exact copy per file).
- Creators: the latest snapshot per handle (profiles before ranking lists of the same day),
  ranking-list scrape dates from the file's `Scraped` column else the `YYYY-MM` in its name;
  the monthly lists' columns are found by name, display-rounded (K/M) followers flagged.
- Export events are deduplicated on (account, list, date, link or text), not per list key.
- account_theme_overlap: the observed columns follow the SQL; the permutation baseline
  shuffles theme labels with numpy (seed 42), so baseline_overlap and overlap_p_value are
  statistically equivalent, not equal.
- The active-creator model scores (ML) are not joined into the viral ranking.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
MARTS = ("tier_engagement", "viral_creator_ranking", "account_theme_distribution", "account_theme_overlap")
PRIOR_VIDEOS = 50  # var('virality_prior_videos')
MIN_THEME_SHARE = 0.05  # var('influence_theme_set_min_share')
PERMUTATIONS = 200  # var('influence_permutations')
ENGAGEMENT_SOURCES = ["watched", "liked", "favorited", "searched", "shared", "commented"]
METADATA_SOURCES = {"watched", "liked", "favorited", "shared", "commented"}

# ---------------------------------------------------------------- exports (read by ingest)
# list -> theme source (int_export_events_unioned)
EXPORT_LISTS = {
    "watch_history": "watched",
    "likes": "liked",
    "favorite_videos": "favorited",
    "favorite_sounds": "favorited",
    "favorite_hashtags": "favorited",
    "favorite_effects": "favorited",
    "searches": "searched",
    "shares": "shared",
    "comments": "commented",
    "posts": "posted",
    "deleted_posts": "deleted",
}
# landed column -> the item key this module's transforms use
LANDED_COLUMNS = {
    "date_text": "Date",
    "link": "Link",
    "title": "Title",
    "search_term": "SearchTerm",
    "shared_content": "SharedContent",
    "comment_url": "Url",
    "original_post_url": "OriginalPostUrl",
}
# posts carry no video id (a CDN link): they are kept by their date
VIDEO_LISTS = {"watch_history", "likes", "favorite_videos"}
# the item's text that the export itself carries, per list (int_export_events_unioned)
TEXT_FIELD = {
    "watch_history": "Title",
    "favorite_hashtags": "_hashtag",
    "searches": "SearchTerm",
    "shares": "SharedContent",
    "posts": "Title",
    "deleted_posts": "Title",
}


def read_exports(raw: Path) -> pd.DataFrame:
    """Every item of every export under raw/export as one frame: the raw files are read by the
    ingest layer (the same detection, flattening and masking as the build), the account is the
    profile's user name, else the export's first folder under export/ (lowercased)."""
    from ingest.run import LandContext, land_export
    from ingest.walk import walk

    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as unpacked:  # ZIPs are unpacked there, never in raw
        files = [f for f in walk(raw, Path(unpacked)) if f.raw_kind == "export" and not f.problem]
        ctx = LandContext(raw=raw, build=Path(unpacked), files=files)
        for f in files:
            if f.file_format not in ("json", "txt") or f.note:
                continue
            try:
                landed = land_export(f, ctx)
            except Exception:  # an unreadable file: the build stops or skips it, so does this
                continue
            for item in landed.rows.get("export_items", ()):
                rows.append({"source_file": f.source_file, **item})
    if not rows:
        return pd.DataFrame(columns=["account_id", "list_name", "source_file", "item_position"])
    items = pd.DataFrame(rows)
    profiles = items[items["list_name"] == "profile"]
    names = profiles.groupby("export_root")["profile_user_name"].max().str.lstrip("@").str.lower()
    folder = items["export_root"].str.split("/").str[1].str.lower()
    items["account_id"] = items["export_root"].map(names).fillna(folder)
    items = items[items["list_name"] != "profile"]
    return items.rename(columns=LANDED_COLUMNS)


# ---------------------------------------------------------------- text normalisation
def fold(text: str) -> str:
    """Lowercase, accents folded (café -> cafe)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


WORD_SPLIT = re.compile(r"[^\w]+")


def theme_keywords() -> pd.DataFrame:
    kw = pd.read_csv(SEEDS / "theme_keywords.csv", dtype=str)
    kw["theme"] = kw["theme"].str.strip().str.lower()
    kw["keyword"] = kw["keyword"].map(lambda k: WORD_SPLIT.sub("", fold(k)))
    return kw[kw["keyword"] != ""].drop_duplicates()


def read_video_metadata(raw: Path) -> pd.DataFrame:
    frames = [pd.read_csv(p, dtype=str) for p in sorted((raw / "video_metadata").rglob("*.csv"))]
    if not frames:
        return pd.DataFrame(columns=["video_id", "meta_text"])
    meta = pd.concat(frames, ignore_index=True)
    if "video_id" not in meta:
        meta["video_id"] = None
    from_link = meta.get("video_link", pd.Series(index=meta.index, dtype=str)).str.extract(r"/video/(\d+)")[0]
    # ids stay text: 19-digit ids do not fit a float64 (pd.to_numeric would merge neighbours)
    meta["video_id"] = meta["video_id"].str.strip().str.extract(r"^(\d{1,19})$")[0].fillna(from_link)
    meta["meta_text"] = meta.get("description", "").fillna("") + " " + meta.get("hashtags", "").fillna("")
    return meta.dropna(subset=["video_id"]).drop_duplicates("video_id")[["video_id", "meta_text"]]


# ---------------------------------------------------------------- influence marts
def export_events(items: pd.DataFrame) -> pd.DataFrame:
    """Themed events of every account: one row per deduplicated list item."""
    if items.empty:
        return pd.DataFrame(columns=["account_id", "theme_source", "event_text", "video_id"])
    items = items.copy()
    for col in ["Date", "Link", "Title", "SearchTerm", "SharedContent", "Url", "OriginalPostUrl"]:
        if col not in items:
            items[col] = None
    items["theme_source"] = items["list_name"].map(EXPORT_LISTS)
    link = items["Link"].where(items["list_name"] != "comments", items["OriginalPostUrl"].fillna(items["Url"]))
    items["video_id"] = link.astype("string").str.extract(r"/video/(\d+)")[0]
    items["_hashtag"] = items["Link"].astype("string").str.extract(r"/tag/([^/?#]+)")[0]
    items["event_text"] = None
    for list_name, field in TEXT_FIELD.items():
        mask = items["list_name"] == list_name
        items.loc[mask, "event_text"] = items.loc[mask, field]
    items["event_text"] = items["event_text"].where(~items["event_text"].isin(["N/A", "None", ""]))
    when = items["Date"].astype("string").str.replace(" UTC", "", regex=False)
    items["event_at"] = pd.to_datetime(when, errors="coerce", format="mixed")
    keep = items["event_at"].notna() & ~(items["list_name"].isin(VIDEO_LISTS) & items["video_id"].isna())
    items = items[keep]
    key = items["Link"].fillna(items["SearchTerm"]).fillna(items["SharedContent"]).fillna("")
    items = items.assign(_key=key.astype(str)).drop_duplicates(["account_id", "list_name", "event_at", "_key"])
    items = items.reset_index(drop=True)
    items["event_id"] = items.index
    return items[["event_id", "account_id", "theme_source", "event_text", "video_id"]]


def tag_themes(events: pd.DataFrame, metadata: pd.DataFrame, keywords: pd.DataFrame) -> pd.DataFrame:
    """One row per (event, theme): a word of the event's text equals a theme keyword."""
    merged = events.merge(metadata, on="video_id", how="left")
    meta_text = merged["meta_text"].where(merged["theme_source"].isin(METADATA_SOURCES)).fillna("")
    text = merged["event_text"].fillna("") + " " + meta_text
    merged["word"] = text.map(lambda t: WORD_SPLIT.split(fold(t)))
    words = merged[["event_id", "account_id", "theme_source", "word"]].explode("word")
    tagged = words.merge(keywords, left_on="word", right_on="keyword")
    return tagged[["event_id", "account_id", "theme_source", "theme"]].drop_duplicates()


def account_theme_distribution(events: pd.DataFrame, tags: pd.DataFrame) -> pd.DataFrame:
    totals = events.groupby(["account_id", "theme_source"]).size().rename("source_event_count")
    tagged = tags.groupby(["account_id", "theme_source"])["event_id"].nunique().rename("tagged_event_count")
    counts = tags.groupby(["account_id", "theme_source", "theme"]).size().rename("theme_event_count").reset_index()
    out = counts.merge(pd.concat([totals, tagged], axis=1).reset_index(), on=["account_id", "theme_source"])
    group_total = out.groupby(["account_id", "theme_source"])["theme_event_count"].transform("sum")
    out["theme_share"] = out["theme_event_count"] / group_total
    out["tagged_event_rate"] = out["theme_event_count"] / out["tagged_event_count"]
    return out.sort_values(["account_id", "theme_source", "theme"]).reset_index(drop=True)


OVERLAP_COLUMNS = [
    "account_id",
    "post_theme_count",
    "engagement_theme_count",
    "shared_theme_count",
    "post_themes_in_engagement_rate",
    "jaccard_similarity",
    "distribution_overlap",
    "baseline_overlap",
    "overlap_p_value",
    "is_overlap_above_chance",
    "permutation_count",
]


def account_theme_overlap(distribution: pd.DataFrame, keywords: pd.DataFrame, seed: int = 42) -> pd.DataFrame:
    """No rows for an account whose posts carry no themed text (real posts have no caption)."""
    themes = sorted(keywords["theme"].unique())
    engaged = distribution[distribution["theme_source"].isin(ENGAGEMENT_SOURCES)].pivot_table(
        index="account_id", columns="theme", values="theme_event_count", aggfunc="sum"
    )
    engaged = engaged.reindex(columns=themes).fillna(0)
    engaged = engaged.div(engaged.sum(axis=1), axis=0)
    posted = distribution[distribution["theme_source"] == "posted"].pivot_table(
        index="account_id", columns="theme", values="theme_share", aggfunc="sum"
    )
    posted = posted.reindex(columns=themes).fillna(0)
    accounts = sorted(set(posted.index) & set(engaged.index))
    rng = np.random.default_rng(seed)
    rows = []
    for account in accounts:
        post, eng = posted.loc[account].to_numpy(), engaged.loc[account].to_numpy()
        in_post, in_eng = post >= MIN_THEME_SHARE, eng >= MIN_THEME_SHARE
        shared, union = int((in_post & in_eng).sum()), int((in_post | in_eng).sum())
        overlap = float(np.minimum(post, eng).sum())
        permuted = np.array([np.minimum(post, rng.permutation(eng)).sum() for _ in range(PERMUTATIONS)])
        p_value = (1 + int((permuted >= overlap - 1e-12).sum())) / (1 + PERMUTATIONS)
        rows.append(
            {
                "account_id": account,
                "post_theme_count": int(in_post.sum()),
                "engagement_theme_count": int(in_eng.sum()),
                "shared_theme_count": shared,
                "post_themes_in_engagement_rate": shared / in_post.sum() if in_post.sum() else None,
                "jaccard_similarity": shared / union if union else None,
                "distribution_overlap": overlap,
                "baseline_overlap": float(permuted.mean()),
                "overlap_p_value": p_value,
                "is_overlap_above_chance": p_value < 0.05,
                "permutation_count": PERMUTATIONS,
            }
        )
    return pd.DataFrame(rows, columns=OVERLAP_COLUMNS)


# ---------------------------------------------------------------- creators marts
def parse_count(value) -> float:
    """'150.9M' -> 150900000.0; plain numbers pass; anything else is NaN."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    text = str(value).strip().replace(",", "")
    scale = {"K": 1e3, "M": 1e6, "B": 1e9}.get(text[-1:].upper(), 1.0)
    try:
        return float(text[:-1] if scale != 1.0 else text) * scale
    except ValueError:
        return np.nan


def handle(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip().str.lstrip("@").str.lower().replace("", pd.NA)


def read_profiles(raw: Path) -> pd.DataFrame:
    frames = []
    for path in sorted((raw / "profiles").rglob("*.csv")):
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=["", "null", "NULL", "None"])
        df["source_file"] = str(path.relative_to(raw))
        frames.append(df)
    if not frames:
        return pd.DataFrame()
    df = pd.concat(frames, ignore_index=True)
    url_handle = df.get("url", pd.Series(index=df.index, dtype=str)).str.extract(r"/@([^/?#]+)")[0]
    # the official sample masks part of some handles with `█`: the url names them
    account = df["account_id"].where(~df["account_id"].fillna("").str.contains("█"))
    # ... and has no timestamp: its signed avatar URL expires a few days after the scrape
    expires = df.get("profile_pic_url", pd.Series(index=df.index, dtype=str)).str.extract(r"[?&]x-expires=(\d+)")[0]
    scraped = pd.to_datetime(df.get("timestamp"), errors="coerce", format="mixed")
    # integer seconds: pandas' float-with-NaN path for unit="s" can fail on uninitialised memory
    expires_at = pd.to_datetime(expires.dropna().astype("int64"), unit="s").reindex(df.index)
    scraped = scraped.fillna(expires_at)
    out = pd.DataFrame(
        {
            "creator_handle": handle(account).fillna(handle(url_handle)),
            "source_kind": "profile",
            "source_file": df["source_file"],
            "source_row": df.index,
            "scraped_at": scraped,
            "followers": pd.to_numeric(df["followers"], errors="coerce"),
            "videos": pd.to_numeric(df["videos_count"], errors="coerce"),
            "engagement_rate": pd.to_numeric(df["awg_engagement_rate"], errors="coerce"),
            "like_engagement_rate": pd.to_numeric(df["like_engagement_rate"], errors="coerce"),
            "comment_engagement_rate": pd.to_numeric(df["comment_engagement_rate"], errors="coerce"),
            "is_verified": df["is_verified"].str.lower().map({"true": True, "false": False}),
            "display_name": df.get("nickname"),
            "is_followers_display_rounded": False,
        }
    )
    known = ["followers", "videos", "engagement_rate", "is_verified", "display_name"]
    out["n_known_fields"] = out[known].notna().sum(axis=1)
    return out


def _column(df: pd.DataFrame, *needles: str) -> pd.Series:
    for col in df.columns:
        name = re.sub(r"\s+", " ", str(col)).strip().lower()
        if any(n in name for n in needles):
            return df[col]
    return pd.Series(index=df.index, dtype=object)


def read_rankings(raw: Path) -> pd.DataFrame:
    frames = []
    for path in sorted((raw / "top_creators").rglob("*.csv")):
        df = pd.read_csv(path, dtype=str)
        name = _column(df, "tiktoker name", "account")
        followers_text = _column(df, "subscriber", "follower")
        rounded = followers_text.astype("string").str.strip().str[-1:].str.upper().isin(["K", "M", "B"])
        from_name = re.search(r"(\d{4})-(\d{2})", path.name)
        scraped = pd.to_datetime(_column(df, "scraped"), errors="coerce", format="mixed")
        if from_name:
            scraped = scraped.fillna(pd.Timestamp(f"{from_name.group(1)}-{from_name.group(2)}-01"))
        frame = pd.DataFrame(
            {
                "creator_handle": handle(name),
                "source_kind": "ranking",
                "source_file": str(path.relative_to(raw)),
                "source_row": df.index,
                "scraped_at": scraped,
                "followers": followers_text.map(parse_count),
                "average_likes": _column(df, "likes").map(parse_count),
                "average_comments": _column(df, "comments").map(parse_count),
                "display_name": _column(df, "tiktok name", "title"),
                "is_followers_display_rounded": rounded,
                "n_known_fields": 0,
            }
        )
        followers = frame["followers"].replace(0, np.nan)
        frame["engagement_rate"] = (frame["average_likes"] + frame["average_comments"]) / followers
        frame["like_engagement_rate"] = frame["average_likes"] / followers
        frame["comment_engagement_rate"] = frame["average_comments"] / followers
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def tier_bounds() -> pd.DataFrame:
    return pd.read_csv(SEEDS / "tier_bounds.csv")


def unified_creators(raw: Path) -> pd.DataFrame:
    """One row per creator: the latest snapshot's numbers, profile-only fields from the latest profile."""
    snapshots = pd.concat([read_profiles(raw), read_rankings(raw)], ignore_index=True)
    snapshots = snapshots.dropna(subset=["creator_handle"])
    snapshots = snapshots.sort_values(
        ["creator_handle", "scraped_at", "source_kind", "n_known_fields", "source_file", "source_row"],
        ascending=[True, False, True, False, True, True],
        na_position="last",
    )
    latest = snapshots.drop_duplicates("creator_handle")
    profile = snapshots[snapshots["source_kind"] == "profile"].drop_duplicates("creator_handle")
    creators = latest.drop(columns=["videos", "is_verified"]).merge(
        profile[["creator_handle", "videos", "is_verified"]], on="creator_handle", how="left"
    )
    bounds = tier_bounds()
    edges = [*list(bounds["min_followers"]), np.inf]
    creators["tier"] = pd.cut(creators["followers"], bins=edges, right=False, labels=list(bounds["tier"]))
    creators["tier"] = creators["tier"].astype("string")
    creators = creators.merge(bounds[["tier", "tier_order"]], on="tier", how="left")
    return creators.reset_index(drop=True)


def tier_engagement(creators: pd.DataFrame) -> pd.DataFrame:
    rated = creators.dropna(subset=["engagement_rate", "tier"]).copy()
    rated["verified_status"] = rated["is_verified"].map({True: "verified", False: "not verified"}).fillna("unknown")
    rated["is_rate_above_one"] = rated["engagement_rate"] > 1.0
    rated["engagement_rate"] = rated["engagement_rate"].clip(upper=1.0)
    rated["like_engagement_rate"] = rated["like_engagement_rate"].clip(upper=1.0)
    both = pd.concat([rated, rated.assign(verified_status="all")], ignore_index=True)
    grouped = both.groupby(["tier", "tier_order", "verified_status"])
    out = grouped.agg(
        n_creators=("engagement_rate", "size"),
        mean_engagement_rate=("engagement_rate", "mean"),
        median_engagement_rate=("engagement_rate", "median"),
        p90_engagement_rate=("engagement_rate", lambda s: s.quantile(0.9)),
        stddev_engagement_rate=("engagement_rate", "std"),
        mean_like_engagement_rate=("like_engagement_rate", "mean"),
        median_like_engagement_rate=("like_engagement_rate", "median"),
        mean_comment_engagement_rate=("comment_engagement_rate", "mean"),
        median_comment_engagement_rate=("comment_engagement_rate", "median"),
        median_followers=("followers", "median"),
        n_rates_capped=("is_rate_above_one", "sum"),
    )
    return out.reset_index().sort_values(["tier_order", "verified_status"]).reset_index(drop=True)


def viral_creator_ranking(creators: pd.DataFrame) -> pd.DataFrame:
    rated = creators.dropna(subset=["engagement_rate", "followers", "tier"]).copy()
    rated["capped_engagement_rate"] = rated["engagement_rate"].clip(upper=1.0)
    rated["is_rate_implausible"] = rated["engagement_rate"] > 1.0
    evidence = rated["videos"].clip(upper=1000).fillna(PRIOR_VIDEOS).where(~rated["is_rate_implausible"], 0)
    rated["evidence_videos"] = evidence * np.where(rated["is_followers_display_rounded"].fillna(False), 0.5, 1.0)
    rated["tier_median_engagement_rate"] = rated.groupby("tier")["capped_engagement_rate"].transform("median")
    rated["shrunk_engagement_rate"] = (
        rated["evidence_videos"] * rated["capped_engagement_rate"] + PRIOR_VIDEOS * rated["tier_median_engagement_rate"]
    ) / (rated["evidence_videos"] + PRIOR_VIDEOS)
    big = rated["followers"] > 100000
    rated["classic_rank"] = rated.loc[big, "engagement_rate"].rank(method="min", ascending=False)
    rank_min = rated["shrunk_engagement_rate"].rank(method="min")
    rated["virality_score"] = (100.0 * (rank_min - 1) / max(len(rated) - 1, 1)).round(2)
    rated = rated.sort_values(["shrunk_engagement_rate", "creator_handle"], ascending=[False, True])
    rated["virality_rank"] = np.arange(1, len(rated) + 1)
    rated["virality_rank_in_tier"] = rated.groupby("tier").cumcount() + 1
    columns = [
        "creator_handle",
        "display_name",
        "tier",
        "tier_order",
        "is_verified",
        "followers",
        "videos",
        "engagement_rate",
        "tier_median_engagement_rate",
        "shrunk_engagement_rate",
        "evidence_videos",
        "is_rate_implausible",
        "classic_rank",
        "virality_score",
        "virality_rank",
        "virality_rank_in_tier",
    ]
    return rated[columns].reset_index(drop=True)


# ---------------------------------------------------------------- pandas vs dbt
REL_TOLERANCE = 0.02  # counts and means: within 2%
ABS_TOLERANCE = 0.02  # per-account overlap measures (fractions)


def _close(a, b, rel: float = REL_TOLERANCE, abs_: float = 0.0) -> bool:
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return (a is None or pd.isna(a)) and (b is None or pd.isna(b))
    return abs(a - b) <= max(abs_, rel * max(abs(a), abs(b)))


def compare_marts(pandas_marts: dict[str, pd.DataFrame], dbt_marts: dict[str, pd.DataFrame]) -> list[dict]:
    """Aggregates of the four marts side by side: [{check, dbt, pandas, ok}]. Fair comparison,
    not equality: definitions differ where the module docstring says."""
    checks: list[dict] = []

    def add(name, dbt_value, pandas_value, ok=None, **tolerance):
        dbt_value = None if dbt_value is None or pd.isna(dbt_value) else float(dbt_value)
        pandas_value = None if pandas_value is None or pd.isna(pandas_value) else float(pandas_value)
        ok = _close(dbt_value, pandas_value, **tolerance) if ok is None else ok
        checks.append({"check": name, "dbt": dbt_value, "pandas": pandas_value, "ok": bool(ok)})

    key = ["tier", "verified_status"]
    tiers = dbt_marts["tier_engagement"].merge(
        pandas_marts["tier_engagement"], on=key, how="outer", suffixes=("_dbt", "_pd")
    )
    for _, row in tiers.sort_values(key).iterrows():
        label = f"tier_engagement {row['tier']}/{row['verified_status']}"
        add(f"{label} n_creators", row["n_creators_dbt"], row["n_creators_pd"])
        add(f"{label} mean_engagement_rate", row["mean_engagement_rate_dbt"], row["mean_engagement_rate_pd"])

    dbt_viral, pd_viral = dbt_marts["viral_creator_ranking"], pandas_marts["viral_creator_ranking"]
    add("viral_creator_ranking rows", len(dbt_viral), len(pd_viral))
    add(
        "viral_creator_ranking classic-ranked rows",
        dbt_viral["classic_rank"].notna().sum(),
        pd_viral["classic_rank"].notna().sum(),
    )
    top_dbt = set(dbt_viral.nsmallest(50, "virality_rank")["creator_handle"])
    top_pd = set(pd_viral.nsmallest(50, "virality_rank")["creator_handle"])
    shared_top = len(top_dbt & top_pd) / max(len(top_dbt), 1)
    add("viral_creator_ranking top-50 shared share", 1.0, shared_top, ok=shared_top >= 0.9)

    dbt_dist, pd_dist = dbt_marts["account_theme_distribution"], pandas_marts["account_theme_distribution"]
    for source in sorted(set(dbt_dist["theme_source"]) | set(pd_dist["theme_source"])):
        add(
            f"account_theme_distribution {source} tagged events",
            dbt_dist.loc[dbt_dist["theme_source"] == source, "theme_event_count"].sum(),
            pd_dist.loc[pd_dist["theme_source"] == source, "theme_event_count"].sum(),
        )
    add("account_theme_distribution rows", len(dbt_dist), len(pd_dist))
    for column in ("source_event_count", "tagged_event_count"):  # one value per (account, source)
        per_source = [d.drop_duplicates(["account_id", "theme_source"])[column].sum() for d in (dbt_dist, pd_dist)]
        add(f"account_theme_distribution {column} (sum over accounts and sources)", *per_source)

    overlap = dbt_marts["account_theme_overlap"].merge(
        pandas_marts["account_theme_overlap"], on="account_id", how="outer", suffixes=("_dbt", "_pd")
    )
    for _, row in overlap.sort_values("account_id").iterrows():
        for column in ("distribution_overlap", "jaccard_similarity"):
            add(
                f"account_theme_overlap {row['account_id']} {column}",
                row[f"{column}_dbt"],
                row[f"{column}_pd"],
                rel=0.0,
                abs_=ABS_TOLERANCE,
            )
    return checks


# ---------------------------------------------------------------- all four
def compute_marts(raw: Path) -> dict[str, pd.DataFrame]:
    raw = Path(raw)
    keywords = theme_keywords()
    events = export_events(read_exports(raw))
    tags = tag_themes(events, read_video_metadata(raw), keywords)
    distribution = account_theme_distribution(events, tags)
    creators = unified_creators(raw)
    return {
        "tier_engagement": tier_engagement(creators),
        "viral_creator_ranking": viral_creator_ranking(creators),
        "account_theme_distribution": distribution,
        "account_theme_overlap": account_theme_overlap(distribution, keywords),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, default=REPO / "data" / "sample", help="raw folder (README contract)")
    parser.add_argument("--out", type=Path, help="write one CSV per mart into this folder")
    args = parser.parse_args(argv)
    marts = compute_marts(args.raw)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, frame in marts.items():
            frame.to_csv(args.out / f"{name}.csv", index=False)
    for name, frame in marts.items():
        print(f"{name}: {len(frame)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
