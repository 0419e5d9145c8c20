"""The declarative registry of TikTok's personal-data export: every layout, list, key spelling, TXT
file name and sensitive section ingest knows, in one place (docs/ingest.md: how to add a layout).

Nothing here is code that branches on a layout: `ingest/exports.py` reads these tables. Key and
label matching is on a normalised spelling (lowercase, letters and digits only), so `Date`/`date`,
`UserName`/`Username`/`userName` and the TXT label `Who can view` vs the JSON key `WhoCanView` are
one alias each; spellings that differ by more (`VideoLink`, `Sound Link`, `Adds yours text`) are
listed as aliases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

# ----------------------------------------------------------------------------- raw kinds
# Top-level folders of the raw dir and what they hold. Files elsewhere are listed as `unknown`.
RAW_KINDS = ("export", "video_metadata", "claims", "top_creators", "profiles")
CSV_KINDS = ("video_metadata", "claims", "top_creators", "profiles")
FILE_FORMATS = {".json": "json", ".txt": "txt", ".csv": "csv", ".zip": "zip"}


@lru_cache(maxsize=4096)
def normalise(name: str) -> str:
    """The spelling keys and labels are matched on: `Who can view` == `WhoCanView` == `who_can_view`."""
    return re.sub(r"[^0-9a-z]", "", name.casefold())


# ----------------------------------------------------------------------------- layouts
@dataclass(frozen=True)
class Layout:
    name: str
    era: str
    signature: tuple[str, ...]  # top-level keys, any one of which identifies the layout


# Detection order: the first layout with any of its signature keys at the top level wins (a v3
# file keeps `Your Activity`, so v3 is tried before v2).
LAYOUTS: tuple[Layout, ...] = (
    Layout("v3", "2025-2026", ("Likes and Favorites", "Profile And Settings", "Income+ Wallet")),
    Layout("v2", "Dec 2024", ("Your Activity", "Ads and data", "Income Plus Wallet Transactions")),
    Layout("v1", "~2021-2023", ("Activity", "Video", "Direct Messages", "TikTok Shopping")),
)
JSON_LAYOUTS = tuple(layout.name for layout in LAYOUTS)
TXT_LAYOUT = "txt"

# ----------------------------------------------------------------------------- lists
Path3 = tuple[str, str, str]


@dataclass(frozen=True)
class ListSpec:
    """One analysed list: where it lives per JSON layout (section, sub-section, list key; a
    layout may have several places, all read), and its fields: landed column -> accepted key and
    TXT label spellings (matched normalised)."""

    name: str
    paths: dict[str, tuple[Path3, ...]]
    fields: dict[str, tuple[str, ...]]


def _same(sub: str, key: str, sections: dict[str, str]) -> dict[str, tuple[Path3, ...]]:
    return {layout: ((section, sub, key),) for layout, section in sections.items()}


ACTIVITY = {"v1": "Activity", "v2": "Your Activity", "v3": "Your Activity"}
FAVOURITES = {"v1": "Activity", "v2": "Your Activity", "v3": "Likes and Favorites"}

DATE = ("Date", "Datum")  # Datum: Dutch TXT exports
LINK = ("Link", "VideoLink", "Video Link")
POST_FIELDS: dict[str, tuple[str, ...]] = {
    "date_text": DATE,
    "link": LINK,
    "likes_text": ("Likes", "Like(s)", "Like"),
    "who_can_view": ("WhoCanView",),
    "allow_comments": ("AllowComments",),
    "allow_stitches": ("AllowStitches",),
    "allow_duets": ("AllowDuets",),
    "allow_stickers": ("AllowStickers",),
    "allow_sharing_to_story": ("AllowSharingToStory",),
    "content_disclosure": ("ContentDisclosure",),
    "ai_generated_content": ("AIGeneratedContent", "AI-generated content"),
    "sound": ("Sound",),
    "location": ("Location",),
    "title": ("Title", "Caption"),
    "add_yours_text": ("AddYoursText", "Adds yours text"),
    "alternate_text": ("AlternateText",),
    "cover_image": ("CoverImage",),
    "collections_text": ("NumberOfCollections", "Collections"),
}

LISTS: tuple[ListSpec, ...] = (
    ListSpec(
        "watch_history",
        {
            "v1": (("Activity", "Video Browsing History", "VideoList"),),
            "v2": (("Your Activity", "Watch History", "VideoList"),),
            "v3": (("Your Activity", "Watch History", "VideoList"),),
        },
        # Title has never been seen in a real watch item; read if present.
        {"date_text": DATE, "link": LINK, "title": ("Title",)},
    ),
    ListSpec(
        "likes",
        _same("Like List", "ItemFavoriteList", FAVOURITES),
        {"date_text": DATE, "link": LINK},
    ),
    ListSpec(
        "favorite_videos",
        _same("Favorite Videos", "FavoriteVideoList", FAVOURITES),
        {"date_text": DATE, "link": LINK},
    ),
    ListSpec(
        "favorite_sounds",
        _same("Favorite Sounds", "FavoriteSoundList", FAVOURITES),
        {"date_text": DATE, "link": (*LINK, "SoundLink", "Sound Link")},
    ),
    ListSpec(
        "favorite_hashtags",
        _same("Favorite Hashtags", "FavoriteHashtagList", FAVOURITES),
        {"date_text": DATE, "link": (*LINK, "HashtagLink", "Hashtag Link")},
    ),
    ListSpec(
        "favorite_effects",
        _same("Favorite Effects", "FavoriteEffectsList", FAVOURITES),
        {"date_text": DATE, "effect_link": ("EffectLink", "Effect Link", "Link")},
    ),
    ListSpec(
        "searches",
        {
            "v1": (("Activity", "Search History", "SearchList"),),
            "v2": (("Your Activity", "Searches", "SearchList"),),
            "v3": (("Your Activity", "Searches", "SearchList"),),
        },
        {"date_text": DATE, "search_term": ("SearchTerm", "Search")},
    ),
    ListSpec(
        "shares",
        _same("Share History", "ShareHistoryList", ACTIVITY),
        {"date_text": DATE, "shared_content": ("SharedContent",), "link": LINK, "share_method": ("Method",)},
    ),
    ListSpec(
        "following",
        {
            # v1 files keep the social graph under Activity or under Profile.
            "v1": (("Activity", "Following List", "Following"), ("Profile", "Following List", "Following")),
            "v2": (("Your Activity", "Following", "Following"),),
            "v3": (("Profile And Settings", "Following", "Following"),),
        },
        {"date_text": DATE, "user_name": ("UserName", "User Name")},
    ),
    ListSpec(
        "followers",
        {
            "v1": (("Activity", "Follower List", "FansList"), ("Profile", "Follower List", "FansList")),
            "v2": (("Your Activity", "Follower", "FansList"),),
            "v3": (("Profile And Settings", "Follower", "FansList"),),
        },
        {"date_text": DATE, "user_name": ("UserName", "User Name")},
    ),
    ListSpec(
        "hashtags_used",
        _same("Hashtag", "HashtagList", ACTIVITY),
        {"hashtag_name": ("HashtagName",), "hashtag_link": ("HashtagLink", "Link")},
    ),
    ListSpec(
        "posts",
        {
            "v1": (("Video", "Videos", "VideoList"),),
            "v2": (("Post", "Posts", "VideoList"),),
            "v3": (("Post", "Posts", "VideoList"),),
        },
        POST_FIELDS,
    ),
    ListSpec(
        "deleted_posts",
        {
            "v1": (("Video", "Recently Deleted Posts", "PostList"),),
            "v2": (("Post", "Recently Deleted Posts", "PostList"),),
            "v3": (("Post", "Recently Deleted Posts", "PostList"),),
        },
        POST_FIELDS,
    ),
    ListSpec(
        "comments",
        {
            # v1 files keep comments under Comment or under Activity.
            "v1": (("Comment", "Comments", "CommentsList"), ("Activity", "Comments", "CommentsList")),
            "v2": (("Comment", "Comments", "CommentsList"),),
            "v3": (("Comment", "Comments", "CommentsList"),),
        },
        {
            "date_text": DATE,
            "comment_text": ("Comment",),
            "comment_photo": ("Photo",),
            "comment_video": ("Video",),
            "comment_url": ("Url",),
            "original_post_url": ("OriginalPostUrl",),
        },
    ),
)
LISTS_BY_NAME = {spec.name: spec for spec in LISTS}
LIST_NAMES = tuple(spec.name for spec in LISTS)
PROFILE_LIST = "profile"

# ----------------------------------------------------------------------------- profile
# ProfileMap: the fields that land, and the personal ones that are read only to be masked in free
# text (never landed).
PROFILE_PATHS: dict[str, tuple[Path3, ...]] = {
    "v1": (("Profile", "Profile Information", "ProfileMap"), ("Profile", "Profile Info", "ProfileMap")),
    "v2": (("Profile", "Profile Info", "ProfileMap"), ("Profile", "Profile Information", "ProfileMap")),
    "v3": (("Profile And Settings", "Profile Info", "ProfileMap"),),
}
PROFILE_FIELDS: dict[str, tuple[str, ...]] = {
    "profile_user_name": ("userName", "User Name"),
    "profile_display_name": ("displayName", "Nickname"),
    "profile_bio": ("bioDescription", "Bio"),
    "profile_likes_received": ("likesReceived",),
    "profile_follower_count": ("followerCount",),
    "profile_following_count": ("followingCount",),
    "profile_region": ("accountRegion", "Region"),
}
# kind of personal value -> key / label spellings (ProfileMap, Autofill, shop addresses)
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "email": ("emailAddress", "Email", "E-mail", "EmailAddress"),
    "phone": ("telephoneNumber", "PhoneNumber", "Phone", "Telephone", "masked_phone_number", "Mobile"),
    "birth_date": ("birthDate", "Birthdate", "Date of Birth", "Birthday"),
    "name": ("Name", "FullName", "receiver_name", "ReceiverName"),
    "first_name": ("FirstName",),
    "last_name": ("LastName",),
    "address": ("Address", "adress_info", "AddressInfo", "Street", "Unit", "ZipCode", "PostalCode", "Postcode"),
}
# Sections whose personal values are read (in memory, never landed) to mask them in free text.
PERSONAL_SECTIONS = ("Autofill", "Auto Fill", "Saved Address Information")

# ----------------------------------------------------------------------------- sections
# Sensitive sections (top-level or sub-section names): never read into a landed file, counted in
# export_sections. The reason says what they hold.
SENSITIVE_SECTIONS: dict[str, str] = {
    "Direct Message": "direct messages",
    "Direct Messages": "direct messages",
    "Chat History": "direct messages",
    "Login History": "login history (IP addresses, devices)",
    "Status": "status and device ids",
    "Ads and data": "ads and off-TikTok activity",
    "Off TikTok Activity": "off-TikTok activity",
    "Off-TikTok Activity": "off-TikTok activity",
    "TikTok Shop": "shop: orders, addresses and payment",
    "TikTok Shopping": "shop: orders, addresses and payment",
    "Tiktok Shopping": "shop: orders, addresses and payment",
    "Income Plus Wallet Transactions": "payment: wallet transactions",
    "Income+ Wallet": "payment: wallet transactions",
    "Purchases": "payment: purchases",
    "Purchase History": "payment: purchases",
    "Location Review": "location",
    "Most Recent Location Data": "location",
    "Autofill": "personal: autofill name, address, phone, e-mail",
    "Auto Fill": "personal: autofill name, address, phone, e-mail",
}
# Known sections with no analytical use here: counted and listed, not read.
NOT_ANALYSED_SECTIONS: dict[str, str] = {
    "App Settings": "app settings",
    "Settings": "app settings",
    "Block List": "block list",
    "Tiktok Live": "live streams",
    "TikTok Live": "live streams",
    "Activity Summary": "activity summary",
    "Reposts": "reposts",
    "Favorite Comments": "favourite comments",
    "Favorite Collections": "favourite collections",
    "AI-Moji": "AI-Moji",
    "Ad Interests": "ad interests",
}
# A list whose value is one of these strings is an empty list; so is a TXT file holding only it.
EMPTY_MARKERS = frozenset(
    normalise(text) for text in ("", "N/A", "None", "null", "No data", "You have no data in this section")
)


# ----------------------------------------------------------------------------- TXT exports
@dataclass(frozen=True)
class TxtFile:
    """A TXT export file: its name (without `.txt`, matched case-insensitively), the era and
    language it was seen in, and what it holds: an analysed list (`list_name`), the profile, or a
    section that is sensitive / not analysed (`reason`)."""

    name: str
    era: str
    list_name: str | None = None
    status: str = "landed"  # landed | sensitive | not_analysed
    reason: str = ""
    language: str = "en"
    labels: tuple[str, ...] = field(default_factory=tuple)  # extra label spellings (docs, inspect)


TXT_FILES: tuple[TxtFile, ...] = (
    TxtFile("Video Browsing History", "2020", "watch_history", labels=("Date", "Video Link")),
    TxtFile("Browsing History", "2022-2024", "watch_history", labels=("Date", "Link")),
    TxtFile("Watch History", "2025-2026", "watch_history", labels=("Date", "Link")),
    TxtFile("Kijkgeschiedenis", "reported", "watch_history", language="nl"),
    TxtFile("Like List", "all", "likes", labels=("Date", "Link")),
    TxtFile("Likelijst", "reported", "likes", language="nl"),
    TxtFile("Favorite Videos", "all", "favorite_videos", labels=("Date", "Link")),
    TxtFile("Favorite Sounds", "2024", "favorite_sounds", labels=("Date", "Sound Link")),
    TxtFile("Favorite Hashtags", "all", "favorite_hashtags", labels=("Date", "Link")),
    TxtFile("Favorite Effects", "all", "favorite_effects", labels=("Date", "Effect Link")),
    TxtFile("Searches", "all", "searches", labels=("Date", "Search Term")),
    TxtFile("Search History", "all", "searches", labels=("Date", "Search Term")),
    TxtFile("Share History", "all", "shares", labels=("Date", "Shared Content", "Link", "Method")),
    TxtFile("Comments", "all", "comments", labels=("Date", "Comment")),
    TxtFile("Follower", "2024", "followers", labels=("Date", "Username")),
    TxtFile("Followers", "all", "followers", labels=("Date", "Username")),
    TxtFile("Follower List", "2020", "followers", labels=("Date", "Username")),
    TxtFile("Following", "2024", "following", labels=("Date", "Username")),
    TxtFile("Following List", "2020", "following", labels=("Date", "Username")),
    TxtFile("Hashtag", "2024", "hashtags_used", labels=("Hashtag Name", "Hashtag Link")),
    TxtFile("Hashtags", "all", "hashtags_used", labels=("Hashtag Name", "Hashtag Link")),
    TxtFile("Videos", "2020", "posts", labels=("Date", "Link", "Like(s)", "Who can view", "Allow comments")),
    TxtFile("Post", "2024", "posts", labels=("Date", "Link", "Like(s)", "Who can view", "Adds yours text")),
    TxtFile("Posts", "2025-2026", "posts", labels=("Date", "Link", "Like(s)", "Who can view")),
    TxtFile("Recently Deleted Posts", "all", "deleted_posts"),
    TxtFile("Deleted Posts", "all", "deleted_posts"),
    TxtFile("Profile Information", "all", PROFILE_LIST, labels=("Username", "Bio Description")),
    TxtFile("Profile Info", "all", PROFILE_LIST, labels=("Username", "Bio Description")),
    TxtFile("Login History", "all", status="sensitive", reason="login history (IP addresses, devices)"),
    TxtFile("Status", "all", status="sensitive", reason="status and device ids"),
    TxtFile("Off TikTok Activity", "all", status="sensitive", reason="off-TikTok activity"),
    TxtFile("Chat History", "all", status="sensitive", reason="direct messages"),
    TxtFile("Current Payment Information", "all", status="sensitive", reason="shop: payment"),
    TxtFile("Saved Address Information", "all", status="sensitive", reason="shop: addresses"),
    TxtFile("Order History", "all", status="sensitive", reason="shop: orders"),
    TxtFile("Purchase History", "all", status="sensitive", reason="payment: purchases"),
    TxtFile("Autofill", "all", status="sensitive", reason="personal: autofill name, address, phone, e-mail"),
    TxtFile("Most Recent Location Data", "all", status="sensitive", reason="location"),
    TxtFile("Reposts", "2025-2026 (reported)", status="not_analysed", reason="reposts"),
    TxtFile("Favorite Comments", "2025-2026 (reported)", status="not_analysed", reason="favourite comments"),
    TxtFile("Favorite Collections", "2025-2026 (reported)", status="not_analysed", reason="favourite collections"),
    TxtFile("Activity Summary", "2025-2026 (reported)", status="not_analysed", reason="activity summary"),
    TxtFile("Block List", "all", status="not_analysed", reason="block list"),
)
# `Chat History with <user name>.txt` and the like: a prefix names a sensitive file.
TXT_SENSITIVE_PREFIXES: dict[str, str] = {"chat history": "direct messages"}
TXT_FILES_BY_NAME = {spec.name.casefold(): spec for spec in TXT_FILES}
# Folders a TXT export groups its files in (older ZIPs): the export is the folder above them.
TXT_SECTION_FOLDERS = frozenset(
    name.casefold()
    for name in (
        "Activity",
        "Your Activity",
        "Video",
        "Post",
        "Profile",
        "Profile And Settings",
        "Comment",
        "Comments",
        "Direct Messages",
        "Direct Message",
        "TikTok Shopping",
        "TikTok Shop",
        "Ads and data",
        "App Settings",
        "Tiktok Live",
        "TikTok Live",
        "Likes and Favorites",
        "Location Review",
        "Income Plus Wallet Transactions",
    )
)
# Fields whose text a person typed: personal values are masked in them before they land.
FREE_TEXT_FIELDS = frozenset(
    {
        "search_term",
        "comment_text",
        "shared_content",
        "title",
        "add_yours_text",
        "alternate_text",
        "location",
        "profile_bio",
    }
)


# Top-level sections of the known layouts: an unknown one (hand-renamed) is reported one level
# down only, its keys may be anything.
KNOWN_TOP_SECTIONS = frozenset(
    {key for layout in LAYOUTS for key in layout.signature}
    | {path[0] for spec in LISTS for paths in spec.paths.values() for path in paths}
    | {path[0] for paths in PROFILE_PATHS.values() for path in paths}
    | {"Comment", "Post", "Profile", "Video", "Tiktok Live", "TikTok Live", "App Settings"}
)


def txt_file_spec(file_name: str) -> TxtFile | None:
    """The registry entry of a TXT file name (`Like List.txt`), or None."""
    stem = file_name[:-4] if file_name.casefold().endswith(".txt") else file_name
    spec = TXT_FILES_BY_NAME.get(stem.strip().casefold())
    if spec is not None:
        return spec
    for prefix, reason in TXT_SENSITIVE_PREFIXES.items():
        if stem.casefold().startswith(prefix):
            return TxtFile(stem, "all", status="sensitive", reason=reason)
    return None


def field_lookup(fields: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """normalised spelling -> landed column."""
    out: dict[str, str] = {}
    for column, spellings in fields.items():
        for spelling in spellings:
            out.setdefault(normalise(spelling), column)
    return out


PERSONAL_LOOKUP = field_lookup(PERSONAL_FIELDS)
PROFILE_LOOKUP = field_lookup(PROFILE_FIELDS)


def analysed_paths(layout: str) -> dict[Path3, str]:
    """(section, sub-section, list key) -> list name, for one JSON layout."""
    out: dict[Path3, str] = {}
    for spec in LISTS:
        for path in spec.paths.get(layout, ()):
            out[path] = spec.name
    for path in PROFILE_PATHS.get(layout, ()):
        out[path] = PROFILE_LIST
    return out


def detect_layout(top_keys: list[str]) -> str | None:
    keys = set(top_keys)
    for layout in LAYOUTS:
        if keys.intersection(layout.signature):
            return layout.name
    return None
