"""TikTok's TXT export of one account's history: a folder of `Label: value` files, named and
labelled as the app of each era wrote them (docs/sample_data.md, TXT exports)."""

from __future__ import annotations

from pathlib import Path

from .common import fmt_ts, win

NO_DATA = "You have no data in this section"

# era -> (folder of each group of files or "" for a flat export, file names, labels, date suffix)
ERAS = {
    # 2020: files grouped in section folders; `Video Link` in the watch history; posts in Videos.txt
    "2020": {
        "folders": {
            "activity": "Activity",
            "video": "Video",
            "profile": "Profile",
            "comment": "Comment",
            "dm": "Direct Messages",
            "shop": "TikTok Shopping",
        },
        "watch": ("Video Browsing History", "Video Link"),
        "posts": "Videos",
        "searches": "Search History",
        "follower": "Follower List",
        "following": "Following List",
        "sound_label": "Link",
        "profile": "Profile Information",
        "date_suffix": "",
        "crlf": True,
    },
    # 2022-2024: one flat folder; Browsing History, Post.txt, `Sound Link`, Follower/Following
    "2022": {
        "folders": {},
        "watch": ("Browsing History", "Link"),
        "posts": "Post",
        "searches": "Searches",
        "follower": "Follower",
        "following": "Following",
        "sound_label": "Sound Link",
        "profile": "Profile Info",
        "date_suffix": "",
        "crlf": False,
    },
    # 2025-2026: Watch History, Posts.txt, every date with ` UTC`, and the newer lists
    "2025": {
        "folders": {},
        "watch": ("Watch History", "Link"),
        "posts": "Posts",
        "searches": "Searches",
        "follower": "Follower",
        "following": "Following",
        "sound_label": "Sound Link",
        "profile": "Profile Info",
        "date_suffix": " UTC",
        "crlf": False,
    },
}


def write_txt(path: Path, blocks, crlf=False):
    """Blocks of 'Label: value' lines separated by blank lines, and the blank lines TikTok leaves
    at the end of a file; a list with no items says so in words."""
    nl = "\r\n" if crlf else "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        if not blocks:
            fh.write(NO_DATA + nl)
            return
        for i, block in enumerate(blocks):
            if i:
                fh.write(nl)
            for label, value in block:
                fh.write(f"{label}: {value}{nl}")
        fh.write(nl + nl)


def write_txt_export(root: Path, acct, ev, export_t, start, watch_start, era="2020"):
    spec = ERAS[era]
    folders = spec["folders"]

    def path(group: str, name: str) -> Path:
        return root / folders.get(group, "") / f"{name}.txt"

    def day(t: int) -> str:
        return fmt_ts(t) + spec["date_suffix"]

    crlf = spec["crlf"]
    watch_name, watch_label = spec["watch"]
    write_txt(
        path("activity", "Like List"),
        [[("Date", day(t)), ("Link", lnk)] for t, lnk in win(ev["like"], start, export_t)],
        crlf=crlf,
    )
    write_txt(
        path("activity", watch_name),
        [[("Date", day(t)), (watch_label, lnk)] for t, lnk, _, _ in win(ev["watch"], watch_start, export_t)],
        crlf=crlf,
    )
    write_txt(
        path("activity", "Favorite Sounds"),
        [[("Date", day(t)), (spec["sound_label"], lnk)] for t, _, lnk in ev["favsound"] if t < export_t],
    )
    write_txt(
        path("activity", "Favorite Videos"),
        [[("Date", day(t)), ("Link", lnk)] for t, lnk in win(ev["favvid"], start, export_t)],
    )
    write_txt(
        path("activity", "Favorite Hashtags"),
        [[("Date", day(t)), ("Link", lnk)] for t, lnk in win(ev["favtag"], start, export_t)],
    )
    if era != "2020":
        write_txt(path("activity", "Favorite Effects"), [])  # "You have no data in this section"
        seen: dict[str, str] = {}  # one row per tag whatever its case, as the JSON list
        for p in ev["post"]:
            if p["t"] < export_t:
                for tg in p["tags"]:
                    seen.setdefault(tg[1:].lower(), tg[1:])
        tags = sorted(seen.values(), key=str.lower)
        write_txt(
            path("activity", "Hashtag"),
            [[("Hashtag Name", n), ("Hashtag Link", f"https://www.tiktok.com/tag/{n}")] for n in tags],
        )
    write_txt(
        path("activity", spec["searches"]),
        [[("Date", day(t)), ("Search Term", s)] for t, s in win(ev["search"], start, export_t)],
    )
    write_txt(
        path("activity", "Share History"),
        [
            [("Date", day(t)), ("Shared Content", c), ("Link", lnk), ("Method", m)]
            for t, c, lnk, m in win(ev["share"], start, export_t)
        ],
    )
    write_txt(
        path("comment", "Comments"),
        [[("Date", day(t)), ("Comment", c)] for t, c, _ in win(ev["comment"], start, export_t)],
    )
    write_txt(
        path("activity", spec["following"]),
        [[("Date", day(t)), ("Username", u)] for t, u in ev["following"] if t < export_t],
    )
    write_txt(
        path("activity", spec["follower"]),
        [[("Date", day(t)), ("Username", u)] for t, u in ev["follower"] if t < export_t],
    )
    write_txt(
        path("activity", "Login History"),
        [
            [
                ("Date", day(t)),
                ("IP", ip),
                ("DeviceModel", dm),
                ("DeviceSystem", ds),
                ("NetworkType", nt),
                ("Carrier", ca),
            ]
            for t, ip, dm, ds, nt, ca in win(ev["login"], start, export_t)
        ],
    )
    posts = [p for p in ev["post"] if p["t"] < export_t]
    post_fields = [
        lambda p: ("Date", day(p["t"])),
        lambda p: ("Link", p["link"]),
        lambda p: ("Likes" if era == "2020" else "Like(s)", p["likes"]),
        lambda p: ("Who can view", p["who"]),
        lambda p: ("Allow comments", p["flags"][0]),
    ]
    if era != "2020":
        post_fields += [
            lambda p: ("Allow stitches", p["flags"][1]),
            lambda p: ("Allow duets", p["flags"][2]),
            lambda p: ("Allow stickers", p["flags"][3]),
            lambda p: ("Allow sharing to story", p["flags"][4]),
        ]
    post_fields += [lambda p: ("Sound", p["sound"]), lambda p: ("Location", p["location"] or "N/A")]
    if era != "2020":
        post_fields.append(lambda p: ("Adds yours text", p["addyours"] or "N/A"))
    write_txt(path("video", spec["posts"]), [[field(p) for field in post_fields] for p in posts])
    write_txt(
        path("profile", spec["profile"]),
        [
            [
                ("Username", acct.handle),
                ("Birthdate", ev["birth"]),
                ("Email", ev["email"]),
                ("Telephone Number", ev["phone"]),
                ("Bio Description", ev["bio"]),
                ("Likes Received", str(sum(int(p["likes"]) for p in posts))),
            ]
        ],
    )
    write_txt(path("profile", "Autofill"), [[(label, value) for label, value in ev["autofill"].items()]])
    write_txt(
        path("activity", "Status"),
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
    if era == "2025":
        write_txt(path("activity", "Reposts"), [])
        write_txt(path("activity", "Activity Summary"), [[("Videos watched to the end", "812")]])
    else:
        write_txt(path("activity", "Off TikTok Activity"), [])
    write_txt(
        path("shop", "Saved Address Information"),
        [[("Name", acct.handle), ("Address", ev["address"]), ("Phone", ev["phone"])]],
    )
    write_txt(path("shop", "Current Payment Information"), [[("Card Number", ev["card"]), ("Type", "Visa")]])
    write_txt(
        path("dm", "Chat History"),
        [[("Chat History with", ev["dm_partner"])]]
        + [[("Date", day(t)), ("From", f), ("Content", c)] for t, f, c in win(ev["dm"], start, export_t)],
    )
