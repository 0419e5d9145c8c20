"""export/: each account's history simulated once, then written as each of its exports
(JSON, zipped JSON or TXT), with the videos they show passed on to video_metadata."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .accounts import GEN_PER_SCALE, generated_account, named_accounts
from .common import fmt_day, win
from .export_json import build_export, dump_json
from .export_txt import write_txt_export
from .simulate import simulate


def write_zip(path: Path, data: bytes):
    # A fixed entry time (that of the Unix time in eli's file name) keeps the bytes reproducible.
    info = zipfile.ZipInfo("user_data_tiktok.json", date_time=(2024, 12, 24, 0, 26, 40))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(info, data)


def link_vid(link):
    if "/video/" in link:
        return int(link.rstrip("/").rsplit("/", 1)[1])
    return None


def exported_vids(ev, specs):
    """Video ids that any of the account's exports actually show (windows can drop history):
    the lists `make enrich` looks up (watches, likes, favourites, shares)."""
    vids = set()
    for _kind, _, _, export_t, start, watch_start, opts in specs:
        vids.update(vid for _, _, vid, _ in win(ev["watch"], watch_start, export_t) if vid)
        for key in ("like", "favvid"):
            items = win(ev[key], start, export_t)
            if key == "like" and opts.get("like_cap"):
                items = items[: opts["like_cap"]]
            vids.update(link_vid(item[1]) for item in items)
        vids.update(link_vid(item[2]) for item in win(ev["share"], start, export_t))
    return vids


def write_exports(out: Path, seed: int, scale: int, themes, pool, can, meta_writer, report, null_accounts=0):
    exp = out / "export"
    theme_names = list(themes)
    accounts = named_accounts()
    n_gen = round(GEN_PER_SCALE * (scale - 1))

    def gen():
        yield from accounts
        for i in range(1, n_gen + 1):
            yield generated_account(i, seed, theme_names)
        for i in range(1, null_accounts + 1):
            yield generated_account(i, seed, theme_names, null=True)

    viral_pool: dict = {}
    for acct, specs in gen():
        acct.seed = seed
        ev = simulate(acct, themes, pool, can, viral_pool)
        for kind, rel, layout, export_t, start, watch_start, opts in specs:
            path = exp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if kind == "txt":
                write_txt_export(path, acct, ev, export_t, start, watch_start, era=layout)
            else:
                data = dump_json(build_export(layout, acct, ev, export_t, start, watch_start, opts))
                if kind == "zip":
                    write_zip(path, data)
                else:
                    path.write_bytes(data)
            report["events"] += len(win(ev["watch"], watch_start, export_t))
            report["events"] += len(win(ev["like"], start, export_t))
        meta_writer.write_account(ev["meta"], exported_vids(ev, specs))
        # the deleted posts too: public until deleted, kept by an earlier fetch (enrich's cache)
        meta_writer.write_own_videos(acct.handle, ev["post"] + ev["deleted"])
        if acct.idx < 100 or acct.independent_posting:
            report["null_accounts" if acct.independent_posting else "accounts"].append(
                {
                    "handle": acct.handle,
                    "background": acct.background,
                    "phases": [(fmt_day(s), fmt_day(e), d) for s, e, d in ev["phases"]],
                    "posts_reuse_before_after_total": ev["reuse"],
                    "public_post_count": sum(p["who"] == "Everyone" for p in ev["post"]),
                    "deleted_post_count": len(ev["deleted"]),
                }
            )
