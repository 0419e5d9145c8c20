"""The ingest layer (ingest/): every export shape of the real formats, read in milliseconds from
fixtures each test builds in a temp dir. The expected paths, file names and labels below are
written out from the real-format facts, not derived from ingest/registry.py, so a wrong registry
entry fails here."""

from __future__ import annotations

import io
import json
import re
import stat
import zipfile
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from bad_inputs.cases import CASES

from ingest import landing
from ingest.__main__ import main as ingest_main
from ingest.exports import Unreadable, flatten_json, json_layout, parse_json
from ingest.privacy import Masker, PersonalValues, mask_phones
from ingest.run import run_ingest
from ingest.schema import EXPORT_ITEM_FIELDS, LANDED_TABLES
from ingest.skeleton import inspect_path

VID = 7301234567890123456
LINK = f"https://www.tiktokv.com/share/video/{VID}/"


# ----------------------------------------------------------------------------- helpers
class Landed:
    """One ingest run over files written into a temp raw folder, with its landed tables."""

    def __init__(self, root: Path, files: dict[str, bytes | str] | None = None):
        self.raw, self.build = root / "raw", root / "build"
        self.raw.mkdir(parents=True, exist_ok=True)
        self.write(files or {})

    def write(self, files: dict[str, bytes | str]) -> Landed:
        for name, content in files.items():
            path = self.raw / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return self

    def run(self, **kwargs):
        self.result = run_ingest(self.raw, self.build, **kwargs)
        return self.result

    def table(self, name: str) -> list[dict]:
        rows: list[dict] = []
        for path in sorted((self.build / "landed" / name).glob("*.parquet")):
            rows += pq.read_table(path).to_pylist()
        return rows

    def manifest(self) -> dict[str, dict]:
        return {row["source_file"]: row for row in self.table("manifest")}

    def items(self, list_name: str | None = None) -> list[dict]:
        rows = self.table("export_items")
        return [r for r in rows if list_name is None or r["list_name"] == list_name]

    def sections(self) -> list[dict]:
        return self.table("export_sections")


def land(tmp_path: Path, files: dict[str, bytes | str]) -> Landed:
    landed = Landed(tmp_path, files)
    landed.run()
    return landed


def set_path(doc: dict, path: tuple[str, ...], value) -> dict:
    node = doc
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    return doc


SIGNATURE = {"v1": {"Activity": {}}, "v2": {"Your Activity": {}}, "v3": {"Likes and Favorites": {}}}


def export(layout: str, *lists: tuple[tuple[str, ...], object]) -> str:
    doc = json.loads(json.dumps(SIGNATURE[layout]))
    for path, value in lists:
        set_path(doc, path, value)
    return json.dumps(doc, ensure_ascii=False)


def flat(layout: str, *lists: tuple[tuple[str, ...], object]):
    doc = parse_json(export(layout, *lists).encode())
    return flatten_json(doc, json_layout(doc), "export/a/user_data.json")


# ----------------------------------------------------------------------------- layouts
@pytest.mark.parametrize(
    "top_keys, layout",
    [
        (["Activity", "App Settings", "Comment", "Direct Messages", "Profile", "Tiktok Live", "Video"], "v1"),
        (["TikTok Shopping"], "v1"),
        (["Ads and data", "App Settings", "Comment", "Direct Message", "Post", "Profile", "Your Activity"], "v2"),
        (["Income Plus Wallet Transactions"], "v2"),
        (["Comment", "Direct Message", "Likes and Favorites", "Post", "Profile And Settings", "Your Activity"], "v3"),
        (["Income+ Wallet", "Your Activity"], "v3"),  # v3 keeps Your Activity: v3 is tried first
    ],
)
def test_layout_is_detected_from_its_top_level_keys(top_keys, layout):
    assert json_layout({key: {} for key in top_keys}) == layout


@pytest.mark.parametrize(
    "content, reason",
    [
        ('{"Foo Section": {}, "Bar": []}', "unknown TikTok export layout; top-level keys found: Foo Section, Bar"),
        ("{}", "unknown TikTok export layout; top-level keys found: (none)"),
        ("[1, 2]", "the JSON document is an array, not an object"),
        ('"user data"', "the JSON document is a string, not an object"),
        ("42", "the JSON document is a scalar, not an object"),
        ('{"Your Activity": {"Watch', "not valid JSON (truncated or not a TikTok export)"),
        ("", "the file is empty (0 bytes)"),
    ],
)
def test_a_file_that_is_no_export_is_unreadable_with_the_reason(content, reason):
    with pytest.raises(Unreadable, match=re.escape(reason)):
        json_layout(parse_json(content.encode()))


def test_hand_renamed_sections_are_reported_unknown_not_fatal():
    result = flat(
        "v2",
        (("Ads and rich data", "Off TikTok Activity.php", "OffTikTokActivityDataList"), [{"Event": "x"}]),
        (("Your Activity", "Watch History", "VideoList"), [{"Date": "2024-05-01 10:00:00", "Link": LINK}]),
        (("Your Activity", "Mystery List", "Things"), [{"a": 1}, {"a": 2}]),
    )
    rows = {s["section_path"]: s for s in result.sections}
    assert rows["Ads and rich data/Off TikTok Activity.php"]["coverage_status"] == "unknown"
    assert rows["Your Activity/Mystery List/Things"]["coverage_status"] == "unknown"
    assert rows["Your Activity/Mystery List/Things"]["item_count"] == 2
    assert [i["list_name"] for i in result.items] == ["watch_history"]


# ----------------------------------------------------------------------------- each list per layout
# (list, layout, path, item, expected landed fields): the real-format table of where lists live.
WATCH = {"Date": "2024-05-01 10:00:00", "Link": LINK}
LIST_CASES = [
    ("watch_history", "v1", ("Activity", "Video Browsing History", "VideoList"), WATCH, {"date_text", "link"}),
    ("watch_history", "v2", ("Your Activity", "Watch History", "VideoList"), WATCH, {"date_text", "link"}),
    ("watch_history", "v3", ("Your Activity", "Watch History", "VideoList"), WATCH, {"date_text", "link"}),
    ("likes", "v1", ("Activity", "Like List", "ItemFavoriteList"), {"Date": "d", "Link": LINK}, {"date_text", "link"}),
    ("likes", "v1", ("Activity", "Like List", "ItemFavoriteList"), {"Date": "d", "VideoLink": LINK}, {"link"}),
    ("likes", "v2", ("Your Activity", "Like List", "ItemFavoriteList"), {"date": "d", "link": LINK}, {"link"}),
    ("likes", "v3", ("Likes and Favorites", "Like List", "ItemFavoriteList"), {"date": "d", "link": LINK}, {"link"}),
    ("favorite_videos", "v1", ("Activity", "Favorite Videos", "FavoriteVideoList"), WATCH, {"link"}),
    ("favorite_videos", "v2", ("Your Activity", "Favorite Videos", "FavoriteVideoList"), WATCH, {"link"}),
    ("favorite_videos", "v3", ("Likes and Favorites", "Favorite Videos", "FavoriteVideoList"), WATCH, {"link"}),
    (
        "favorite_sounds",
        "v3",
        ("Likes and Favorites", "Favorite Sounds", "FavoriteSoundList"),
        {"Date": "d", "Link": "https://m.tiktok.com/h5/share/music/6800000000000000001.html"},
        {"link"},
    ),
    ("favorite_sounds", "v1", ("Activity", "Favorite Sounds", "FavoriteSoundList"), WATCH, {"link"}),
    ("favorite_hashtags", "v2", ("Your Activity", "Favorite Hashtags", "FavoriteHashtagList"), WATCH, {"link"}),
    ("favorite_hashtags", "v3", ("Likes and Favorites", "Favorite Hashtags", "FavoriteHashtagList"), WATCH, {"link"}),
    (
        "favorite_effects",
        "v2",
        ("Your Activity", "Favorite Effects", "FavoriteEffectsList"),
        {"Date": "d", "EffectLink": "https://m.tiktok.com/share/stickers/detail/123.html"},
        {"date_text", "effect_link"},
    ),
    (
        "favorite_effects",
        "v3",
        ("Likes and Favorites", "Favorite Effects", "FavoriteEffectsList"),
        {"EffectLink": "e"},
        {"effect_link"},
    ),
    (
        "searches",
        "v1",
        ("Activity", "Search History", "SearchList"),
        {"Date": "d", "SearchTerm": "pasta"},
        {"search_term"},
    ),
    (
        "searches",
        "v2",
        ("Your Activity", "Searches", "SearchList"),
        {"Date": "d", "SearchTerm": "pasta"},
        {"search_term"},
    ),
    (
        "searches",
        "v3",
        ("Your Activity", "Searches", "SearchList"),
        {"Date": "d", "SearchTerm": "pasta"},
        {"search_term"},
    ),
    (
        "shares",
        "v1",
        ("Activity", "Share History", "ShareHistoryList"),
        {"Date": "d", "SharedContent": "share_video", "Link": "https://www.tiktok.com/", "Method": "chat"},
        {"date_text", "shared_content", "link", "share_method"},
    ),
    ("shares", "v2", ("Your Activity", "Share History", "ShareHistoryList"), {"Method": "whatsapp"}, {"share_method"}),
    ("following", "v1", ("Activity", "Following List", "Following"), {"Date": "d", "UserName": "u"}, {"user_name"}),
    ("following", "v1", ("Profile", "Following List", "Following"), {"Date": "d", "UserName": "u"}, {"user_name"}),
    ("following", "v2", ("Your Activity", "Following", "Following"), {"Date": "d", "Username": "u"}, {"user_name"}),
    ("following", "v3", ("Profile And Settings", "Following", "Following"), {"userName": "u"}, {"user_name"}),
    ("followers", "v1", ("Activity", "Follower List", "FansList"), {"Date": "d", "UserName": "u"}, {"user_name"}),
    ("followers", "v1", ("Profile", "Follower List", "FansList"), {"Date": "d", "UserName": "u"}, {"user_name"}),
    ("followers", "v2", ("Your Activity", "Follower", "FansList"), {"Date": "d", "UserName": "u"}, {"user_name"}),
    (
        "followers",
        "v3",
        ("Profile And Settings", "Follower", "FansList"),
        {"Date": "d", "UserName": "u"},
        {"user_name"},
    ),
    (
        "hashtags_used",
        "v2",
        ("Your Activity", "Hashtag", "HashtagList"),
        {"HashtagName": "pasta", "HashtagLink": "https://www.tiktok.com/tag/pasta"},
        {"hashtag_name", "hashtag_link"},
    ),
    ("hashtags_used", "v1", ("Activity", "Hashtag", "HashtagList"), {"HashtagName": "pasta"}, {"hashtag_name"}),
    ("posts", "v1", ("Video", "Videos", "VideoList"), {"Date": "d", "Link": "x", "Likes": "3"}, {"likes_text"}),
    ("posts", "v2", ("Post", "Posts", "VideoList"), {"Date": "d", "WhoCanView": "Everyone"}, {"who_can_view"}),
    ("posts", "v3", ("Post", "Posts", "VideoList"), {"Date": "d", "NumberOfCollections": "2"}, {"collections_text"}),
    ("deleted_posts", "v2", ("Post", "Recently Deleted Posts", "PostList"), {"Date": "d", "Link": "x"}, {"link"}),
    ("deleted_posts", "v3", ("Post", "Recently Deleted Posts", "PostList"), {"Date": "d", "Sound": "s"}, {"sound"}),
    (
        "comments",
        "v1",
        ("Comment", "Comments", "CommentsList"),
        {"date": "d", "comment": "nice", "photo": "N/A", "url": "u"},
        {"comment_text", "comment_photo", "comment_url"},
    ),
    ("comments", "v1", ("Activity", "Comments", "CommentsList"), {"date": "d", "comment": "nice"}, {"comment_text"}),
    (
        "comments",
        "v2",
        ("Comment", "Comments", "CommentsList"),
        {"date": "d", "comment": "nice", "url": "u"},
        {"comment_url"},
    ),
    (
        "comments",
        "v3",
        ("Comment", "Comments", "CommentsList"),
        {"date": "2025-01-02 03:04:05 UTC", "comment": "nice", "photo": "N/A", "video": "N/A", "originalPostUrl": LINK},
        {"date_text", "comment_text", "comment_photo", "comment_video", "original_post_url"},
    ),
]


@pytest.mark.parametrize(
    "list_name, layout, path, item, fields", LIST_CASES, ids=[f"{c[0]}-{c[1]}-{'/'.join(c[2])}" for c in LIST_CASES]
)
def test_each_list_lands_from_its_path_in_each_layout(list_name, layout, path, item, fields):
    result = flat(layout, (path, [item, item]))
    items = [i for i in result.items if i["list_name"] == list_name]
    assert [i["item_position"] for i in items] == [1, 2]
    assert {i["list_item_count"] for i in items} == {2}
    landed = {k for k, v in items[0].items() if k in EXPORT_ITEM_FIELDS and v is not None}
    assert fields <= landed, (fields, items[0])
    section = next(s for s in result.sections if s["section_path"] == "/".join(path))
    assert (section["list_name"], section["item_count"], section["coverage_status"]) == (list_name, 2, "landed")


def test_values_land_exactly_as_written():
    item = {"date": "2025-01-02 03:04:05 UTC", "comment": "  🍕 pizza\nrecipe ", "photo": "N/A", "video": ""}
    row = flat("v3", (("Comment", "Comments", "CommentsList"), [item])).items[0]
    assert (row["date_text"], row["comment_text"], row["comment_photo"], row["comment_video"]) == (
        "2025-01-02 03:04:05 UTC",
        "  🍕 pizza\nrecipe ",
        "N/A",
        "",
    )


def test_a_photo_post_keeps_its_several_image_urls_and_numbers_land_as_text():
    photo = "\n".join(
        f"https://p16-sign-va.ibyteimg.com/obj/photomode-image/{n}.jpeg?x-expires=1735000000&x-signature=abc"
        for n in range(3)
    )
    post = {"Date": "2024-06-01 12:00:00", "Link": photo, "Likes": 12, "Title": "N/A", "AllowComments": "Yes"}
    row = flat("v2", (("Post", "Posts", "VideoList"), [post])).items[0]
    assert row["link"] == photo and row["link"].count("\n") == 2
    assert (row["likes_text"], row["title"], row["allow_comments"]) == ("12", "N/A", "Yes")


def test_the_profile_lands_without_email_phone_or_birth_date():
    profile = {
        "userName": "alex.cooks",
        "bioDescription": "mail me at alex@example.com",
        "likesReceived": "None",
        "birthDate": "17-Dec-2001",
        "emailAddress": "alex@example.com",
        "telephoneNumber": "+1 555 010 1234",
        "displayName": "Alex",
        "followerCount": 12,
        "followingCount": 3,
        "accountRegion": "US",
    }
    result = flat("v3", (("Profile And Settings", "Profile Info", "ProfileMap"), profile))
    (row,) = [i for i in result.items if i["list_name"] == "profile"]
    assert row["profile_user_name"] == "alex.cooks"
    assert row["profile_bio"] == "mail me at [email]"
    assert (row["profile_likes_received"], row["profile_follower_count"], row["profile_region"]) == ("None", "12", "US")
    assert "17-Dec-2001" not in json.dumps(result.items + result.sections)
    assert "555" not in json.dumps(result.items + result.sections)


def test_v1_follow_lists_in_profile_and_comments_in_activity():
    result = flat(
        "v1",
        (("Profile", "Following List", "Following"), [{"Date": "d", "UserName": "a"}]),
        (("Profile", "Follower List", "FansList"), [{"Date": "d", "UserName": "b"}]),
        (("Activity", "Comments", "CommentsList"), [{"date": "d", "comment": "c"}] * 3),
    )
    assert sorted(i["list_name"] for i in result.items) == ["comments"] * 3 + ["followers", "following"]


@pytest.mark.parametrize("empty", [None, [], {}, "No data", "You have no data in this section", "N/A"])
def test_an_empty_list_in_any_form_is_an_empty_list(empty):
    result = flat("v2", (("Your Activity", "Like List", "ItemFavoriteList"), empty))
    assert result.items == []
    (section,) = result.sections
    assert (section["list_name"], section["item_count"], section["coverage_status"]) == ("likes", 0, "empty")


def test_scalars_beside_a_list_are_attributes_not_sections():
    wrapper = {"App": 1, "IsFastLane": False, "Following": [{"Date": "d", "UserName": "u"}]}
    result = flat("v2", (("Your Activity", "Following", "Following"), None))
    result = flat("v2", (("Your Activity", "Following"), wrapper))
    assert [s["section_path"] for s in result.sections] == ["Your Activity/Following/Following"]


def test_unknown_item_keys_are_named_in_the_coverage():
    item = {"date": "d", "comment": "c", "sticker": "N/A"}
    sections = flat("v3", (("Comment", "Comments", "CommentsList"), [item])).sections
    (section,) = [s for s in sections if s["list_name"] == "comments"]
    assert section["status_reason"] == "landed; keys not read: sticker"


# ----------------------------------------------------------------------------- sensitive sections
def test_sensitive_sections_never_land_and_are_counted(tmp_path):
    secret = "CANARY-SECRET"
    doc = export(
        "v2",
        (
            ("Direct Message", "Direct Messages", "ChatHistory"),
            {f"Chat History with tpu_friend_{secret}:": [{"Date": "d", "From": "x", "Content": secret}] * 3},
        ),
        (("Your Activity", "Login History", "LoginHistoryList"), [{"Date": "d", "IP": secret}] * 2),
        (("Your Activity", "Status", "Status List"), [{"IDFA": secret, "GAID": secret}]),
        (("Ads and data", "Off TikTok Activity", "OffTikTokActivityDataList"), [{"Event": secret}] * 4),
        (("TikTok Shop", "Saved Address Information", "SaveAddress"), [{"Address": secret}]),
        (("TikTok Shop", "Current Payment Information", "PayCard"), [{"CardNumber": secret}]),
        (("Income Plus Wallet Transactions", "TransactionsList"), [{"Amount": secret}]),
        (("Location Review", "LocationReviewsList"), None),
        (("Profile", "Autofill"), {"FirstName": secret, "Email": "x@example.com"}),
        (("Your Activity", "Watch History", "VideoList"), [WATCH]),
    )
    landed = land(tmp_path, {"export/a/user_data.json": doc})
    every_byte = b"".join(p.read_bytes() for p in (tmp_path / "build" / "landed").rglob("*") if p.is_file())
    tables = json.dumps([landed.table(t) for t in LANDED_TABLES], default=str)
    assert secret not in tables and secret.encode() not in every_byte and "tpu_friend" not in tables
    counts = {s["section_path"]: (s["item_count"], s["coverage_status"]) for s in landed.sections()}
    assert counts["Direct Message/Direct Messages"] == (3, "sensitive")
    assert counts["Your Activity/Login History"] == (2, "sensitive")
    assert counts["Your Activity/Status"] == (1, "sensitive")
    assert counts["Ads and data/Off TikTok Activity"] == (4, "sensitive")
    assert counts["TikTok Shop/Saved Address Information"] == (1, "sensitive")
    assert counts["Income Plus Wallet Transactions/TransactionsList"] == (1, "sensitive")
    assert counts["Location Review/LocationReviewsList"] == (0, "sensitive")
    assert counts["Profile/Autofill"][1] == "sensitive"
    assert counts["Your Activity/Watch History/VideoList"] == (1, "landed")


# ----------------------------------------------------------------------------- masking
@pytest.mark.parametrize(
    "text, masked",
    [
        ("call me +44 7700 900123 tonight", "call me [phone] tonight"),
        ("+1 (555) 123-4567", "[phone]"),
        ("555-123-4567", "[phone]"),
        ("(555) 123 4567", "[phone]"),
        ("06 12 34 56 78", "[phone]"),
        ("0612345678", "[phone]"),
        ("+33612345678", "[phone]"),
        ("+49 170.123.4567", "[phone]"),
        ("on 2024-05-01 call 555 123 4567", "on 2024-05-01 call [phone]"),
        # not phones
        ("2024-05-01 10:00:00", "2024-05-01 10:00:00"),
        ("2024-05-01", "2024-05-01"),
        ("01/05/2024", "01/05/2024"),
        ("12.05.2024", "12.05.2024"),
        (f"https://www.tiktok.com/@u/video/{VID}", f"https://www.tiktok.com/@u/video/{VID}"),
        (str(VID), str(VID)),
        ("1735000000", "1735000000"),
        ("best of 2023 2024", "best of 2023 2024"),
        ("top 10 songs 12345", "top 10 songs 12345"),
        ("pi is 3.14159265", "pi is 3.14159265"),
        ("at 10:30 - 11:45", "at 10:30 - 11:45"),
    ],
)
def test_phone_shaped_strings_are_masked_and_dates_and_ids_are_not(text, masked):
    assert mask_phones(text) == masked


@pytest.mark.parametrize(
    "text, masked",
    [
        ("write to jo.doe+tiktok@mail.example.co.uk!", "write to [email]!"),
        ("ALEX@EXAMPLE.COM is mine", "[email] is mine"),
        ("my number is 555 0101 9876, call", "my number is [phone], call"),
        ("born 17-Dec-2001", "born [personal]"),
        ("born 2001-12-17", "born [personal]"),
        ("I live at 12 Example Street, come by", "I live at [personal], come by"),
        ("Jane Roe says hi", "[personal] says hi"),
        ("no personal data here", "no personal data here"),
    ],
)
def test_the_values_the_export_names_are_masked_wherever_they_appear(text, masked):
    personal = PersonalValues()
    personal.add("email", "alex@example.com")
    personal.add("phone", "+1 555 0101 9876")
    personal.add("birth_date", "17-Dec-2001")
    personal.add("address", "12 Example Street, Springfield")
    personal.add("first_name", "Jane")
    personal.add("last_name", "Roe")
    assert Masker(personal)(text) == masked


def test_the_profile_values_are_masked_in_every_free_text_field_of_the_export():
    email, phone = "canary.alex@example.com", "+1-555-0101-CANARY"
    profile = {"userName": "alex", "emailAddress": email, "telephoneNumber": phone, "birthDate": "02-Feb-2001"}
    result = flat(
        "v2",
        (("Profile", "Profile Info", "ProfileMap"), profile),
        (("Comment", "Comments", "CommentsList"), [{"date": "d", "comment": f"text me {phone} or {email}"}]),
        (("Your Activity", "Searches", "SearchList"), [{"Date": "d", "SearchTerm": f"{email} 02-Feb-2001"}]),
        (("Your Activity", "Share History", "ShareHistoryList"), [{"Date": "d", "SharedContent": phone}]),
        (
            ("Post", "Posts", "VideoList"),
            [{"Date": "d", "Title": email, "AddYoursText": phone, "AlternateText": email}],
        ),
    )
    text = json.dumps(result.items)
    for canary in (email, phone, "02-Feb-2001", "555-0101"):
        assert canary not in text
    assert "[phone]" in text and "[email]" in text and "[personal]" in text
    # links and dates are not free text: never masked
    assert flat("v2", (("Your Activity", "Watch History", "VideoList"), [WATCH])).items[0]["link"] == LINK


# ----------------------------------------------------------------------------- TXT exports
# (file name, labels as written, expected list, expected landed columns): every TXT name of every era.
TXT_CASES = [
    (
        "Video Browsing History.txt",
        [("Date", "2020-05-01 10:00:00"), ("Video Link", LINK)],
        "watch_history",
        {"date_text", "link"},
    ),
    ("Browsing History.txt", [("Date", "2023-05-01 10:00:00"), ("Link", LINK)], "watch_history", {"link"}),
    ("Watch History.txt", [("Date", "2025-05-01 10:00:00 UTC"), ("Link", LINK)], "watch_history", {"link"}),
    (
        "Kijkgeschiedenis.txt",
        [("Datum", "2024-05-01 10:00:00"), ("Link", LINK)],
        "watch_history",
        {"date_text", "link"},
    ),
    ("Like List.txt", [("Date", "d"), ("Link", LINK)], "likes", {"date_text", "link"}),
    ("Likelijst.txt", [("Datum", "d"), ("Link", LINK)], "likes", {"date_text", "link"}),
    ("Favorite Videos.txt", [("Date", "d"), ("Link", LINK)], "favorite_videos", {"link"}),
    (
        "Favorite Sounds.txt",
        [("Date", "d"), ("Sound Link", "https://m.tiktok.com/h5/share/music/6800000000000000001.html")],
        "favorite_sounds",
        {"link"},
    ),
    ("Favorite Hashtags.txt", [("Date", "d"), ("Link", "https://www.tiktok.com/tag/x")], "favorite_hashtags", {"link"}),
    ("Favorite Effects.txt", [("Date", "d"), ("Effect Link", "e")], "favorite_effects", {"effect_link"}),
    ("Searches.txt", [("Date", "d"), ("Search Term", "pasta")], "searches", {"search_term"}),
    ("Search History.txt", [("Date", "d"), ("Search Term", "pasta")], "searches", {"search_term"}),
    (
        "Share History.txt",
        [("Date", "d"), ("Shared Content", "share_video"), ("Link", LINK), ("Method", "chat")],
        "shares",
        {"shared_content", "link", "share_method"},
    ),
    ("Comments.txt", [("Date", "d"), ("Comment", "nice")], "comments", {"comment_text"}),
    ("Follower.txt", [("Date", "d"), ("Username", "u")], "followers", {"user_name"}),
    ("Following.txt", [("Date", "d"), ("Username", "u")], "following", {"user_name"}),
    ("Follower List.txt", [("Date", "d"), ("Username", "u")], "followers", {"user_name"}),
    ("Following List.txt", [("Date", "d"), ("UserName", "u")], "following", {"user_name"}),
    (
        "Hashtag.txt",
        [("Hashtag Name", "pasta"), ("Hashtag Link", "h")],
        "hashtags_used",
        {"hashtag_name", "hashtag_link"},
    ),
    *(
        (
            name,
            [
                ("Date", "2024-06-01 12:00:00"),
                ("Link", "https://video-va.tiktokv.com/storage/v1/abc?x=1"),
                ("Like(s)", "12"),
                ("Who can view", "Everyone"),
                ("Allow comments", "Yes"),
                ("Allow stitches", "No"),
                ("Allow duets", "No"),
                ("Allow stickers", "Yes"),
                ("Allow sharing to story", "Yes"),
                ("Sound", "original sound - alex"),
                ("Location", "N/A"),
                ("Adds yours text", "N/A"),
            ],
            "posts",
            {
                "likes_text",
                "who_can_view",
                "allow_comments",
                "allow_stitches",
                "allow_duets",
                "allow_stickers",
                "allow_sharing_to_story",
                "sound",
                "location",
                "add_yours_text",
            },
        )
        for name in ("Post.txt", "Posts.txt", "Videos.txt")
    ),
]


def txt(blocks: list[list[tuple[str, str]]], nl: str = "\n", trailing: str = "\n\n\n") -> str:
    return nl.join(nl.join(f"{label}: {value}" for label, value in block) + nl for block in blocks) + trailing


@pytest.mark.parametrize("name, labels, list_name, fields", TXT_CASES, ids=[c[0] for c in TXT_CASES])
def test_every_txt_file_name_and_label_of_every_era(tmp_path, name, labels, list_name, fields):
    landed = land(tmp_path, {f"export/dana/Activity/{name}": txt([labels, labels])})
    items = landed.items(list_name)
    assert len(items) == 2, "trailing blank lines must not make a record"
    got = {k for k, v in items[0].items() if k in EXPORT_ITEM_FIELDS and v is not None}
    assert fields <= got, (fields, items[0])
    assert items[0]["export_root"] == "export/dana" and items[0]["export_layout"] == "txt"
    assert landed.manifest()[f"export/dana/Activity/{name}"]["file_status"] == "loaded"


def test_txt_crlf_bom_multiline_values_and_no_blank_line_between_records(tmp_path):
    text = (
        "\ufeffDate: 2024-05-01 10:00:00\r\nComment: first line\r\nsecond line\r\nLink: not a label here\r\n"
        "\r\n\r\nDate: 2024-05-02 10:00:00\r\nComment: a\r\nDate: 2024-05-03 10:00:00\r\nComment: b\r\n\r\n"
        "Date: 2024-05-04 10:00:00\r\nComment: para one\r\n\r\npara two\r\n\r\n\r\n"
    )
    landed = land(tmp_path, {"export/dana/Comments.txt": text.encode("utf-8")})
    comments = [i["comment_text"] for i in landed.items("comments")]
    assert comments == ["first line\nsecond line\nLink: not a label here", "a", "b", "para one\n\npara two"]
    assert landed.items("comments")[0]["date_text"] == "2024-05-01 10:00:00"


@pytest.mark.parametrize(
    "content",
    [b"", b"You have no data in this section\n", b"\r\n\r\n", b"\xef\xbb\xbfYou have no data in this section"],
)
def test_an_empty_txt_list_is_an_empty_list(tmp_path, content):
    landed = land(tmp_path, {"export/dana/Activity/Like List.txt": content})
    assert landed.items() == []
    (section,) = landed.sections()
    assert (section["list_name"], section["item_count"], section["coverage_status"]) == ("likes", 0, "empty")
    assert landed.manifest()["export/dana/Activity/Like List.txt"]["file_status"] == "loaded"


@pytest.mark.parametrize(
    "name, reason",
    [
        ("Login History.txt", "login history"),
        ("Status.txt", "device ids"),
        ("Off TikTok Activity.txt", "off-TikTok"),
        ("Chat History.txt", "direct messages"),
        ("Chat History with tpu_friend.txt", "direct messages"),
        ("Saved Address Information.txt", "addresses"),
    ],
)
def test_sensitive_txt_files_are_counted_never_read(tmp_path, name, reason):
    secret = "CANARY-TXT-SECRET"
    landed = land(tmp_path, {f"export/dana/Activity/{name}": txt([[("Date", "d"), ("IP", secret)]] * 3)})
    row = landed.manifest()[f"export/dana/Activity/{name}"]
    assert row["file_status"] == "not_analysed" and reason in row["status_reason"]
    (section,) = landed.sections()
    assert (section["item_count"], section["coverage_status"]) == (3, "sensitive")
    assert secret not in json.dumps([landed.table(t) for t in LANDED_TABLES], default=str)
    assert landed.items() == []


@pytest.mark.parametrize(
    "name, status",
    [
        ("Reposts.txt", "not_analysed"),
        ("Favorite Comments.txt", "not_analysed"),
        ("Favorite Collections.txt", "not_analysed"),
        ("Activity Summary.txt", "not_analysed"),
        ("Something New.txt", "unknown"),
    ],
)
def test_reported_and_unknown_txt_files_are_listed_with_a_count(tmp_path, name, status):
    landed = land(tmp_path, {f"export/dana/{name}": txt([[("Date", "d"), ("Link", LINK)]] * 2)})
    assert landed.manifest()[f"export/dana/{name}"]["file_status"] == status
    (section,) = landed.sections()
    assert section["item_count"] == 2 and section["coverage_status"] == status


def test_a_txt_export_masks_the_profile_values_in_its_lists(tmp_path):
    phone, email = "+1-555-0104-CANARY", "canary.dana@example.com"
    landed = land(
        tmp_path,
        {
            "export/dana/Profile/Profile Information.txt": txt(
                [
                    [
                        ("Username", "dana.sings"),
                        ("Birthdate", "05-May-2004"),
                        ("Email", email),
                        ("Telephone Number", phone),
                    ]
                ]
            ),
            "export/dana/Activity/Search History.txt": txt([[("Date", "d"), ("Search Term", f"{phone} {email}")]]),
            "export/dana/Comment/Comments.txt": txt([[("Date", "d"), ("Comment", "born 05-May-2004")]]),
        },
    )
    assert landed.items("searches")[0]["search_term"] == "[phone] [email]"
    assert landed.items("comments")[0]["comment_text"] == "born [personal]"
    (profile,) = landed.items("profile")
    assert profile["profile_user_name"] == "dana.sings" and profile["export_root"] == "export/dana"
    assert email not in json.dumps([landed.table(t) for t in LANDED_TABLES], default=str)


# ----------------------------------------------------------------------------- ZIPs
def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2024, 12, 24, 0, 0, 0)), data)
    return buffer.getvalue()


def test_every_zip_member_is_listed_and_unsafe_ones_are_not_unpacked(tmp_path):
    doc = export("v2", (("Your Activity", "Watch History", "VideoList"), [WATCH]))
    members = {
        "user_data_tiktok.json": doc.encode(),
        "Activity/Like List.txt": txt([[("Date", "d"), ("Link", LINK)]]).encode(),
        "media/picture.jpg": b"\xff\xd8\xff",
        "../escape.json": b"{}",
        "/etc/absolute.json": b"{}",
        "inner.zip": zip_bytes({"x.json": b"{}"}),
    }
    landed = land(tmp_path, {"export/eli/TikTok_Data.zip": zip_bytes(members)})
    manifest = landed.manifest()
    prefix = "export/eli/TikTok_Data.zip"
    assert manifest[prefix]["file_format"] == "zip" and manifest[prefix]["file_status"] == "loaded"
    status = {name: manifest[f"{prefix}/{name}"]["file_status"] for name in members}
    assert status == {
        "user_data_tiktok.json": "loaded",
        "Activity/Like List.txt": "loaded",
        "media/picture.jpg": "unknown",
        "../escape.json": "unreadable",
        "/etc/absolute.json": "unreadable",
        "inner.zip": "not_analysed",
    }
    assert "unsafe path" in manifest[f"{prefix}/../escape.json"]["status_reason"]
    assert not (tmp_path / "build" / "unpacked" / "export" / "eli" / "escape.json").exists()
    assert not any(p.name == "absolute.json" for p in tmp_path.rglob("*"))
    assert {i["source_file"] for i in landed.items()} == {
        f"{prefix}/user_data_tiktok.json",
        f"{prefix}/Activity/Like List.txt",
    }
    assert landed.items("likes")[0]["export_root"] == prefix


def test_a_zip_is_unpacked_again_only_when_its_bytes_change_and_removed_when_gone(tmp_path):
    doc = export("v2", (("Your Activity", "Watch History", "VideoList"), [WATCH]))
    landed = land(tmp_path, {"export/eli/a.zip": zip_bytes({"user_data.json": doc.encode()})})
    unpacked = tmp_path / "build" / "unpacked" / "export" / "eli" / "a.zip" / "user_data.json"
    first = unpacked.stat().st_mtime_ns
    assert landed.run().changed is False
    assert unpacked.stat().st_mtime_ns == first
    landed.write({"export/eli/a.zip": zip_bytes({"user_data.json": doc.replace("10:00", "11:00").encode()})})
    result = landed.run()
    assert result.changed_in_place == ["export/eli/a.zip/user_data.json"]
    assert landed.items("watch_history")[0]["date_text"] == "2024-05-01 11:00:00"
    (tmp_path / "raw" / "export" / "eli" / "a.zip").unlink()
    result = landed.run()
    assert set(result.removed) == {"export/eli/a.zip", "export/eli/a.zip/user_data.json"}
    assert not unpacked.parent.exists() and landed.items() == []


def test_a_broken_zip_is_unreadable(tmp_path):
    landed = land(tmp_path, {"export/eli/a.zip": b"PK\x03\x04 not really"})
    row = landed.manifest()["export/eli/a.zip"]
    assert row["file_status"] == "unreadable" and row["status_reason"].startswith("not a readable ZIP file")


# ----------------------------------------------------------------------------- the manifest
def test_every_file_is_a_manifest_row_with_a_status_and_reason(tmp_path):
    landed = land(
        tmp_path,
        {
            "export/a/user_data.json": export("v2", (("Your Activity", "Watch History", "VideoList"), [WATCH])),
            "export/a/notes.html": "<html>",
            "export/a/.DS_Store": b"\0\0",
            "claims/tiktok_dataset.csv": "#,claim_status,video_id,video_duration_sec,video_transcription_text,"
            "verified_status,author_ban_status,video_view_count,video_like_count,video_share_count,"
            "video_download_count,video_comment_count\n1,claim,7017666017,59,x,verified,active,1,1,1,1,1\n",
            "claims/readme.md": "hi",
            "README.txt": "mine",
            "other_folder/x.json": "{}",
        },
    )
    manifest = landed.manifest()
    assert set(manifest) == {
        "export/a/user_data.json",
        "export/a/notes.html",
        "export/a/.DS_Store",
        "claims/tiktok_dataset.csv",
        "claims/readme.md",
        "README.txt",
        "other_folder/x.json",
    }
    assert {k: v["file_status"] for k, v in manifest.items()} == {
        "export/a/user_data.json": "loaded",
        "export/a/notes.html": "unknown",
        "export/a/.DS_Store": "unknown",
        "claims/tiktok_dataset.csv": "loaded",
        "claims/readme.md": "unknown",
        "README.txt": "unknown",
        "other_folder/x.json": "unknown",
    }
    assert all(row["status_reason"] for row in manifest.values())
    row = manifest["export/a/user_data.json"]
    assert (row["raw_kind"], row["file_format"], row["export_layout"], row["landed_row_count"]) == (
        "export",
        "json",
        "v2",
        1,
    )
    assert (
        row["file_sha256"]
        == __import__("hashlib").sha256((tmp_path / "raw" / "export/a/user_data.json").read_bytes()).hexdigest()
    )
    assert manifest["claims/tiktok_dataset.csv"]["raw_kind"] == "claims"


def test_landed_files_are_typed_parquet_that_duckdb_reads_and_empty_files_exist(tmp_path):
    land(
        tmp_path, {"export/a/user_data.json": export("v2", (("Your Activity", "Watch History", "VideoList"), [WATCH]))}
    )
    con = duckdb.connect()
    for table, columns in LANDED_TABLES.items():
        folder = tmp_path / "build" / "landed" / table
        assert (folder / "empty.parquet").exists()
        described = con.execute(f"describe select * from read_parquet('{folder}/*.parquet')").fetchall()
        assert [(r[0], r[1]) for r in described] == list(columns)
        assert not any(p.name.startswith(("_", ".")) for p in folder.iterdir())
    n = con.execute(f"select count(*) from '{tmp_path}/build/landed/export_items/*.parquet'").fetchone()[0]
    assert n == 1


# ----------------------------------------------------------------------------- unreadable files
EXPORT_ERRORS = [c for c in CASES if c.kind == "export" and c.outcome == "error"]
EXPORT_ROWS = [c for c in CASES if c.kind == "export" and c.outcome != "error"]


@pytest.mark.parametrize("case", EXPORT_ERRORS, ids=lambda c: c.id)
def test_bad_input_corpus_unreadable_exports(tmp_path, case, capsys, monkeypatch):
    """The corpus's export error cases: unreadable in the manifest, one line per file naming it."""
    raw = tmp_path / "raw"
    case.write(raw)
    monkeypatch.setenv("TIKTOK_DBT_VARS", "")
    assert ingest_main(["--raw", str(raw), "--build", str(tmp_path / "build")]) == 1
    err = capsys.readouterr().err
    for name in case.files:
        assert re.search(case.error_regex(name), err), err
        assert len([line for line in err.splitlines() if f"raw file {case.prefix}{name} " in line]) == 1
    monkeypatch.setenv("TIKTOK_DBT_VARS", "{skip_unreadable_files: true}")
    assert ingest_main(["--raw", str(raw), "--build", str(tmp_path / "build")]) == 0
    manifest = Landed(tmp_path).manifest()
    assert {manifest[case.prefix + name]["file_status"] for name in case.files} == {"unreadable"}


@pytest.mark.parametrize("case", EXPORT_ROWS, ids=lambda c: c.id)
def test_bad_input_corpus_readable_exports_land_every_raw_item(tmp_path, case):
    """raw items = landed: the corpus's staged + quarantined + merged duplicates, all landed."""
    landed = Landed(tmp_path)
    case.write(landed.raw)
    landed.run()
    assert not landed.result.unreadable
    items = [i for i in landed.items() if i["list_name"] != "profile"]
    assert len(items) == case.staged + case.quarantined + case.duplicates


@pytest.mark.parametrize(
    "content, reason",
    [
        (b'{"Your Activity": {"Searches": "caf\xe9"}}', r"not UTF-8 text \(byte 0xE9 at offset 35"),
        ('{"Your Activity": {}}'.encode("utf-16"), r"UTF-16 text"),
        ('{"Your Activity": {}}'.encode("utf-16-le"), r"holds NUL bytes"),
    ],
)
def test_encodings_that_cannot_be_read_name_the_byte(tmp_path, content, reason):
    landed = land(tmp_path, {"export/a/user_data.json": content})
    ((path, why),) = landed.result.unreadable
    assert path == "export/a/user_data.json" and re.search(reason, why), why


def test_an_unreadable_file_is_reported_again_on_a_run_with_no_change(tmp_path):
    landed = land(tmp_path, {"export/a/user_data.json": "[]"})
    assert landed.result.unreadable and landed.run().changed is False
    assert landed.result.unreadable_lines() == [
        "raw file export/a/user_data.json cannot be read: the JSON document is an array, not an object "
        "(not a TikTok export)"
    ]


# ----------------------------------------------------------------------------- incremental
def test_only_new_or_changed_files_are_landed_again(tmp_path):
    a = export("v2", (("Your Activity", "Watch History", "VideoList"), [WATCH]))
    landed = land(tmp_path, {"export/a/user_data.json": a, "export/b/Activity/Like List.txt": txt([[("Link", LINK)]])})
    assert landed.result.load_id == 1 and len(landed.result.new) == 2
    assert landed.run().changed is False  # nothing changed: nothing written
    path = tmp_path / "raw" / "export" / "a" / "user_data.json"
    path.write_text(a)  # same bytes, a new mtime: hashed again, not landed again
    assert landed.run().changed is False
    landed.write({"export/c/user_data.json": a})
    result = landed.run()
    assert (result.load_id, result.landed, result.changed_in_place) == (2, ["export/c/user_data.json"], [])
    loads = {i["source_file"]: i["load_id"] for i in landed.items()}
    assert loads == {"export/a/user_data.json": 1, "export/b/Activity/Like List.txt": 1, "export/c/user_data.json": 2}
    path.write_text(a.replace("10:00", "12:00"))
    result = landed.run()
    assert (result.load_id, result.changed_in_place) == (3, ["export/a/user_data.json"])
    path.unlink()
    result = landed.run()
    assert result.removed == ["export/a/user_data.json"]
    assert "export/a/user_data.json" not in {i["source_file"] for i in landed.items()}
    assert "export/a/user_data.json" not in landed.manifest()
    files = {p.name for p in (tmp_path / "build" / "landed" / "export_items").iterdir()}
    assert files == {
        "empty.parquet",
        landing.file_key("export/b/Activity/Like List.txt") + ".parquet",
        landing.file_key("export/c/user_data.json") + ".parquet",
    }


def test_a_new_profile_lands_its_txt_export_again_with_its_masks(tmp_path):
    landed = land(tmp_path, {"export/dana/Searches.txt": txt([[("Date", "d"), ("Search Term", "dana@example.com x")]])})
    landed.write(
        {"export/dana/Profile Information.txt": txt([[("Username", "dana"), ("Telephone Number", "0612345")]])}
    )
    landed.write({"export/dana/Searches.txt": txt([[("Date", "d"), ("Search Term", "0612345 x")]])})
    landed.run()
    assert landed.items("searches")[0]["search_term"] == "[phone] x"


def test_a_build_dir_of_another_state_version_is_landed_from_scratch(tmp_path):
    landed = land(
        tmp_path, {"export/a/user_data.json": export("v2", (("Your Activity", "Watch History", "VideoList"), [WATCH]))}
    )
    state = json.loads(landing.state_path(landed.build).read_text())
    landing.state_path(landed.build).write_text(json.dumps({**state, "version": 0}))
    result = landed.run()
    assert result.changed and result.load_id == 2 and result.landed == ["export/a/user_data.json"]


# ----------------------------------------------------------------------------- file modes
def modes(root: Path) -> set[tuple[str, int]]:
    return {("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode)) for p in [root, *root.rglob("*")]}


def test_landed_and_unpacked_files_are_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("TIKTOK_FILE_MODE", raising=False)
    doc = export("v2", (("Your Activity", "Watch History", "VideoList"), [WATCH]))
    land(tmp_path, {"export/e/a.zip": zip_bytes({"sub/user_data.json": doc.encode()})})
    assert modes(tmp_path / "build") == {("dir", 0o700), ("file", 0o600)}


def test_file_mode_opt_in_for_a_bi_tool_of_another_user(tmp_path, monkeypatch):
    monkeypatch.setenv("TIKTOK_FILE_MODE", "0640")
    land(
        tmp_path, {"export/a/user_data.json": export("v2", (("Your Activity", "Watch History", "VideoList"), [WATCH]))}
    )
    assert modes(tmp_path / "build") == {("dir", 0o750), ("file", 0o640)}


@pytest.mark.parametrize("given", ["0644x", "0700", "0400", "0666a"])
def test_a_file_mode_that_makes_no_sense_is_refused(monkeypatch, given):
    monkeypatch.setenv("TIKTOK_FILE_MODE", given)
    with pytest.raises(ValueError, match="TIKTOK_FILE_MODE"):
        landing.file_mode()


# ----------------------------------------------------------------------------- inspect
def test_inspect_prints_the_skeleton_with_counts_and_no_values(tmp_path):
    doc = export(
        "v2",
        (("Your Activity", "Watch History", "VideoList"), [WATCH, WATCH]),
        (("Your Activity", "Searches", "SearchList"), [{"Date": "2024-01-01 00:00:00", "SearchTerm": "CANARY-SEARCH"}]),
        (
            ("Direct Message", "Direct Messages", "ChatHistory"),
            {"Chat History with CANARY-FRIEND:": [{"Content": "x"}]},
        ),
        (("Profile", "Profile Info", "ProfileMap"), {"userName": "CANARY-USER", "emailAddress": "c@example.com"}),
    )
    path = tmp_path / "user_data.json"
    path.write_text(doc)
    text = "\n".join(inspect_path(path))
    assert "layout v2" in text and "VideoList: [2 item(s)]" in text and "item fields: Date, Link" in text
    assert "SearchTerm" in text and "userName" in text
    for value in ("CANARY", "2024-", "c@example.com", "tiktokv.com"):
        assert value not in text, value


def test_inspect_a_txt_file_and_a_zip(tmp_path):
    path = tmp_path / "Like List.txt"
    path.write_text(txt([[("Date", "2024-01-01"), ("Link", LINK)]] * 3))
    text = "\n".join(inspect_path(path))
    assert "likes" in text and "3 block(s)" in text and "Date (3), Link (3)" in text and "tiktokv" not in text
    z = tmp_path / "a.zip"
    z.write_bytes(zip_bytes({"user_data.json": b"[1]"}))
    assert "the JSON document is an array" in "\n".join(inspect_path(z))


def test_landing_on_several_cores_lands_what_one_process_lands(tmp_path, monkeypatch):
    """Above a size ingest lands the files in worker processes: the landed tables (every row,
    in every file) and the state records equal one process's, on the whole sample."""
    from ingest import run as ingest_run

    sample = Path(__file__).resolve().parent.parent / "data" / "sample"
    outcomes = {}
    for name, threshold in (("serial", 10**15), ("workers", 0)):
        monkeypatch.setattr(ingest_run, "PARALLEL_MIN_BYTES", threshold)
        build = tmp_path / name
        result = run_ingest(sample, build)
        tables = {}
        for table in LANDED_TABLES:
            for path in sorted((build / "landed" / table).glob("*.parquet")):
                rows = pq.read_table(path).to_pylist()
                tables[f"{table}/{path.name}"] = [{k: v for k, v in r.items() if k != "ingested_at"} for r in rows]
        state = json.loads((build / "landed" / "ingest_state.json").read_text())["files"]
        outcomes[name] = (tables, state, sorted(result.landed))
    assert outcomes["serial"][2], "nothing landed"
    assert outcomes["workers"] == outcomes["serial"]
