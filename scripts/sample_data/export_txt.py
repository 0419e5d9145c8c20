"""TikTok's TXT export of one account's history: a folder of `Label: value` files."""

from __future__ import annotations

from pathlib import Path

from .common import fmt_ts, short_link, win


def write_txt(path: Path, blocks, crlf=False):
    """Blocks of 'Label: value' lines separated by blank lines (TikTok's TXT export)."""
    nl = "\r\n" if crlf else "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for i, block in enumerate(blocks):
            if i:
                fh.write(nl)
            for label, value in block:
                fh.write(f"{label}: {value}{nl}")


def write_txt_export(root: Path, acct, ev, export_t, start, watch_start):
    a = root / "Activity"
    write_txt(
        a / "Like List.txt",
        [[("Date", fmt_ts(t)), ("Link", lnk)] for t, lnk in win(ev["like"], start, export_t)],
        crlf=True,
    )
    write_txt(
        a / "Video Browsing History.txt",
        [[("Date", fmt_ts(t)), ("Link", lnk)] for t, lnk, _, _ in win(ev["watch"], watch_start, export_t)],
        crlf=True,
    )
    write_txt(
        a / "Favorite Sounds.txt",
        [[("Date", fmt_ts(t)), ("Link", lnk)] for t, _, lnk in ev["favsound"] if t < export_t],
    )
    write_txt(
        a / "Favorite Videos.txt",
        [[("Date", fmt_ts(t)), ("Link", lnk)] for t, lnk in win(ev["favvid"], start, export_t)],
    )
    write_txt(
        a / "Favorite Hashtags.txt",
        [[("Date", fmt_ts(t)), ("Link", lnk)] for t, lnk in win(ev["favtag"], start, export_t)],
    )
    write_txt(
        a / "Search History.txt",
        [[("Date", fmt_ts(t)), ("Search Term", s)] for t, s in win(ev["search"], start, export_t)],
    )
    write_txt(
        a / "Share History.txt",
        [
            [("Date", fmt_ts(t)), ("Shared Content", c), ("Link", lnk), ("Method", m)]
            for t, c, lnk, m in win(ev["share"], start, export_t)
        ],
    )
    write_txt(
        a / "Following List.txt", [[("Date", fmt_ts(t)), ("Username", u)] for t, u in ev["following"] if t < export_t]
    )
    write_txt(
        a / "Follower List.txt", [[("Date", fmt_ts(t)), ("Username", u)] for t, u in ev["follower"] if t < export_t]
    )
    write_txt(
        a / "Login History.txt",
        [
            [
                ("Date", fmt_ts(t)),
                ("IP", ip),
                ("DeviceModel", dm),
                ("DeviceSystem", ds),
                ("NetworkType", nt),
                ("Carrier", ca),
            ]
            for t, ip, dm, ds, nt, ca in win(ev["login"], start, export_t)
        ],
    )
    write_txt(
        root / "Video" / "Videos.txt",
        [
            [
                ("Date", fmt_ts(p["t"])),
                ("Link", short_link(p["vid"])),
                ("Likes", p["likes"]),
                ("Who can view", p["who"]),
                ("Allow comments", p["flags"][0]),
                ("Sound", p["sound"]),
                ("Location", p["location"]),
                ("Title", p["title"]),
            ]
            for p in ev["post"]
            if p["t"] < export_t
        ],
    )
    write_txt(
        root / "Profile" / "Profile Information.txt",
        [
            [
                ("Username", acct.handle),
                ("Birthdate", ev["birth"]),
                ("Email", ev["email"]),
                ("Telephone Number", ev["phone"]),
                ("Bio Description", ev["bio"]),
                ("Likes Received", str(sum(int(p["likes"]) for p in ev["post"] if p["t"] < export_t))),
            ]
        ],
    )
    write_txt(
        a / "Status.txt",
        [
            [
                ("Resolution", "1080*2340"),
                ("App Version", "26.1.3"),
                ("IDFA", ev["idfa"]),
                ("GAID", ev["gaid"]),
                ("Android ID", ev["androidid"]),
            ]
        ],
    )
    shop = root / "TikTok Shopping"
    write_txt(
        shop / "Saved Address Information.txt",
        [[("Name", acct.handle), ("Address", ev["address"]), ("Phone", ev["phone"])]],
    )
    write_txt(shop / "Current Payment Information.txt", [[("Card Number", ev["card"]), ("Type", "Visa")]])
    write_txt(
        root / "Direct Messages" / "Chat History.txt",
        [[("Chat History with", ev["dm_partner"])]]
        + [[("Date", fmt_ts(t)), ("From", f), ("Content", c)] for t, f, c in win(ev["dm"], start, export_t)],
    )
