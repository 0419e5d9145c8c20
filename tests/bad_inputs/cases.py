"""The bad-input corpus: one declarative list, one place per case.

Each case is a few tiny files of one raw kind with its expected outcome:

- ``error``: the file cannot be read at all. The build stops with one line
  ``raw file <kind>/<case id>/<file> cannot be read: <reason>. ...`` (``reason`` is a regex),
  the published warehouse stays as it was; with ``--vars '{skip_unreadable_files: true}'`` the
  file is skipped and listed in ``audit.skipped_raw_files`` instead.
- ``quarantine``: the good rows load, the bad ones land in the domain's audit quarantine table
  with file, position, raw value and ``reason``; reconciliation holds.
- ``loads``: everything loads (the quirk is handled), nothing quarantined.

``staged`` / ``quarantined`` / ``duplicates`` are the expected row counts for the case's files
(see ``tests/test_bad_inputs.py`` for where each kind counts them); ``checks`` are extra
``(sql, expected)`` pairs where ``{prefix}`` is the case's folder (``<kind>/<case id>/``).
Files are written to ``<raw>/<kind>/<case id>/<name>``. ``python -m tests.bad_inputs.cases``
writes docs/bad_inputs.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("export", "video_metadata", "claims", "top_creators", "profiles")
OUTCOMES = ("error", "quarantine", "loads")


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    files: dict  # name (may hold sub-folders) -> bytes or str (written as UTF-8)
    outcome: str
    problem: str  # what is wrong with the input (docs)
    fix: str  # what the user does about it (docs)
    reason: str = ""  # regex: error reason, or a quarantine reason
    staged: int | None = None
    quarantined: int = 0
    duplicates: int = 0
    checks: tuple = field(default_factory=tuple)

    @property
    def prefix(self) -> str:
        return f"{self.kind}/{self.id}/"

    def error_regex(self, name: str | None = None) -> str:
        """The one line the build stops with: it names the file and the problem."""
        name = name or next(iter(self.files))
        return re.escape(f"raw file {self.prefix}{name} cannot be read: ") + self.reason

    def write(self, raw: Path) -> None:
        for name, content in self.files.items():
            path = raw / self.kind / self.id / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


# ----------------------------------------------------------------------------- file builders
VID = 7301234567890123456


def link(n: int) -> str:
    return f"https://www.tiktokv.com/share/video/{VID + n}/"


def export_v2(watch=None, likes=None, searches=None, **extra_lists) -> str:
    """A minimal v2 export (`Your Activity` layout) with the given lists."""
    activity = {
        "Watch History": {"VideoList": watch},
        "Like List": {"ItemFavoriteList": likes},
        "Searches": {"SearchList": searches},
    }
    for _key, (section, list_key, items) in extra_lists.items():
        activity[section] = {list_key: items}
    return json.dumps({"Your Activity": activity, "App Settings": {}}, ensure_ascii=False)


def watch(n: int, date: str = "2024-05-01 10:00:00", link_text: str | None = None) -> dict:
    return {"Date": date, "Link": link_text if link_text is not None else link(n)}


CLAIMS_HEADER = (
    "#,claim_status,video_id,video_duration_sec,video_transcription_text,verified_status,"
    "author_ban_status,video_view_count,video_like_count,video_share_count,"
    "video_download_count,video_comment_count"
)


def claims_csv(*rows: str, header: str = CLAIMS_HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def claim_row(
    n: int,
    video_id: str | int | None = None,
    counts: str = "1000,50,5,2,1",
    text: str = "someone told me that the moon is hollow",
    status: str = "claim",
) -> str:
    vid = video_id if video_id is not None else 7000000000 + n
    return f"{n},{status},{vid},30,{text},not verified,active,{counts}"


VM_HEADER = "video_id,video_link,description,hashtags,sound_title,author_handle"
TC_HEADER = "Country,Rank,Account,Title,Link,Subscribers count,Views avg.,Likes avg.,Comments avg.,Shares avg.,Scraped"
PR_HEADER = (
    "timestamp,account_id,nickname,biography,awg_engagement_rate,comment_engagement_rate,"
    "like_engagement_rate,bio_link,is_verified,followers,following,likes,videos_count,"
    "create_time,id,top_videos,url,profile_pic_url"
)


def tc_row(n: int, followers: str = "150900000.0", handle: str | None = None) -> str:
    handle = handle or f"creator{n}"
    return (
        f"Brazil,{n},{handle},Creator {n},https://www.tiktok.com/@{handle},{followers},"
        "34400000.0,4500000.0,219700.0,246000.0,2022-09-21 11:31:00"
    )


def pr_row(
    n: int,
    followers: str = "12300",
    timestamp: str = "2023-06-27",
    biography: str = "hi",
    bio_link: str = "https://example.com",
    create_time: str = "2020-01-02T03:04:05Z",
    user_id: str = "6794440000000000000",
    is_verified: str = "false",
    nickname: str | None = None,
) -> str:
    nickname = f"Maker {n}" if nickname is None else nickname
    return (
        f"{timestamp},maker{n},{nickname},{biography},0.05,0.01,0.04,{bio_link},{is_verified},"
        f'{followers},100,50000,42,{create_time},{user_id},"[]",https://www.tiktok.com/@maker{n},'
        "https://p16.example/pic.jpg"
    )


def utf16(text: str) -> bytes:
    return text.encode("utf-16")  # with a byte-order mark, as Windows tools write it


BOM = b"\xef\xbb\xbf"

# ----------------------------------------------------------------------------- the corpus
CASES: list[Case] = [
    # ------------------------------------------------------------------ export/ (JSON + TXT)
    Case(
        "export_truncated_json",
        "export",
        {"user_data.json": export_v2(watch=[watch(1)])[:60]},
        "error",
        "JSON export cut off mid-download (truncated)",
        "Download the export again (or re-extract the ZIP); the file must end with `}`.",
        reason=r"not valid JSON \(truncated",
    ),
    Case(
        "export_utf16",
        "export",
        {"user_data.json": utf16(export_v2(watch=[watch(1)]))},
        "error",
        "JSON export re-saved as UTF-16 by a Windows editor",
        "Re-save the file as UTF-8 (Notepad: Save as > Encoding UTF-8) or use the original download.",
        reason=r"UTF-16 text",
    ),
    Case(
        "export_empty_file",
        "export",
        {"user_data.json": b""},
        "error",
        "0-byte JSON export",
        "Download the export again; an interrupted download leaves an empty file.",
        reason=r"the file is empty \(0 bytes\)",
    ),
    Case(
        "export_json_array",
        "export",
        {"user_data.json": json.dumps([watch(1), watch(2)])},
        "error",
        "JSON is an array, not an export object (a list copied out of an export)",
        "Use the whole `user_data.json`, not a list cut out of it.",
        reason=r"the JSON document is an array, not an object",
    ),
    Case(
        "export_json_string",
        "export",
        {"user_data.json": '"user data"'},
        "error",
        "JSON is a bare string, not an export object",
        "Use the `user_data.json` TikTok delivered.",
        reason=r"the JSON document is a string, not an object",
    ),
    Case(
        "export_unknown_layout",
        "export",
        {"user_data.json": '{"Foo Section": {}, "Bar": []}'},
        "error",
        "JSON object whose top-level sections match none of the known layouts (v1/v2/v3)",
        "Check it is a TikTok export; if TikTok changed its layout, send the output of "
        "`python -m ingest inspect FILE` (docs/ingest.md: adding a layout).",
        reason=r"unknown TikTok export layout; top-level keys found: Foo Section, Bar",
    ),
    Case(
        "export_txt_utf16",
        "export",
        {"Activity/Like List.txt": utf16("Date: 2024-05-01 10:00:00\nLink: " + link(1) + "\n")},
        "error",
        "TXT export list saved as UTF-16",
        "Re-save the file as UTF-8.",
        reason=r"UTF-16 text",
    ),
    Case(
        "export_utf8_bom",
        "export",
        {"user_data.json": BOM + export_v2(watch=[watch(1), watch(2)]).encode()},
        "loads",
        "JSON export with a UTF-8 byte-order mark (crashed the parser before)",
        "Nothing to do: the mark is stripped.",
        staged=2,
    ),
    Case(
        "export_empty_lists",
        "export",
        {
            "user_data.json": export_v2(
                watch=None,
                likes=[],
                searches=[{"Date": "2024-05-01 10:00:00", "SearchTerm": "pasta"}],
                favs=("Favorite Videos", "FavoriteVideoList", {}),
            )
        },
        "loads",
        "lists that are null, [] and {} (real Dec-2024 files are mostly null)",
        "Nothing to do: an empty list in any form is an empty list.",
        staged=1,
    ),
    Case(
        "export_list_is_string",
        "export",
        {
            "user_data.json": export_v2(
                watch="No data", searches=[{"Date": "2024-05-01 10:00:00", "SearchTerm": "pasta"}]
            )
        },
        "loads",
        "a list that is a string instead of an array",
        "Nothing to do: it holds no items.",
        staged=1,
    ),
    Case(
        "export_mixed_key_case",
        "export",
        {
            "user_data.json": export_v2(
                likes=[
                    {"date": "2024-05-01 10:00:00", "link": link(1)},
                    {"Date": "2024-05-02 10:00:00", "Link": link(2)},
                ]
            )
        },
        "loads",
        "lowercase and capitalised keys (`date`/`Date`) in one list",
        "Nothing to do: both casings are read.",
        staged=2,
        checks=(
            (
                "select count(video_id) from staging.stg_tiktok_export__likes "
                "where account_id = 'export_mixed_key_case'",
                2,
            ),
        ),
    ),
    Case(
        "export_odd_dates",
        "export",
        {
            "user_data.json": export_v2(
                watch=[watch(1, "2024-05-01 10:00:00 UTC"), watch(2, "01/05/2024 10:00"), watch(3, ""), watch(4)]
            )
        },
        "quarantine",
        "dates with ` UTC`, in `DD/MM/YYYY` and empty",
        "` UTC` is read; fix or accept the quarantined items (audit.tiktok_export_quarantined_items).",
        reason=r"unparseable date|missing date",
        staged=2,
        quarantined=2,
    ),
    Case(
        "export_link_without_id",
        "export",
        {
            "user_data.json": export_v2(
                watch=[watch(1, link_text="https://www.tiktok.com/@someone"), watch(2, link_text="N/A"), watch(3)]
            )
        },
        "quarantine",
        "watch links with no video id (a profile link, `N/A`)",
        "Nothing to fix in the file: such items cannot be joined and are quarantined.",
        reason=r"link holds no video id",
        staged=1,
        quarantined=2,
    ),
    Case(
        "export_same_file_twice",
        "export",
        {
            "a/user_data.json": export_v2(watch=[watch(1), watch(2)]),
            "b/user_data.json": export_v2(watch=[watch(1), watch(2)]),
        },
        "loads",
        "the same export dropped in twice",
        "Nothing to do: overlapping items are merged once.",
        staged=2,
        duplicates=2,
        checks=(
            ("select count(*) from staging.stg_tiktok_export__watches where account_id = 'export_same_file_twice'", 2),
        ),
    ),
    Case(
        "export_txt_bom_crlf",
        "export",
        {
            "Activity/Like List.txt": BOM
            + (
                "Date: 2024-05-01 10:00:00\r\nLink: "
                + link(1)
                + "\r\n\r\nDate: 2024-05-02 10:00:00\r\nLink: "
                + link(2)
                + "\r\n"
            ).encode()
        },
        "loads",
        "TXT export list with a byte-order mark and CRLF line ends",
        "Nothing to do.",
        staged=2,
    ),
    Case(
        "export_txt_empty_list",
        "export",
        {"Activity/Like List.txt": b"", "Activity/Searches.txt": "Date: 2024-05-01 10:00:00\nSearch Term: soup\n"},
        "loads",
        "a 0-byte TXT list (an empty list) beside a non-empty one",
        "Nothing to do: a 0-byte list file is an empty list.",
        staged=1,
    ),
    Case(
        "export_emoji_newline",
        "export",
        {"user_data.json": export_v2(searches=[{"Date": "2024-05-01 10:00:00", "SearchTerm": "🍕 pizza\nrecipe"}])},
        "loads",
        "emoji and an embedded newline in a value",
        "Nothing to do.",
        staged=1,
        checks=(
            (
                "select count(*) from staging.stg_tiktok_export__searches "
                "where account_id = 'export_emoji_newline' and search_term like '%🍕%' "
                "and search_term like '%' || chr(10) || '%'",
                1,
            ),
        ),
    ),
    # ------------------------------------------------------------------ video_metadata/
    Case(
        "video_metadata_empty_file",
        "video_metadata",
        {"videos.csv": b""},
        "error",
        "0-byte CSV",
        "Export the CSV again.",
        reason=r"the file is empty \(0 bytes\)",
    ),
    Case(
        "video_metadata_renamed_header",
        "video_metadata",
        {"videos.csv": "id,url,caption\n1,x,y\n"},
        "error",
        "header renamed: neither `video_id` nor `video_link`",
        "Rename the id column to `video_id` or the link column to `video_link`.",
        reason=r"header lacks video_id or video_link \(found: id, url, caption\)",
    ),
    Case(
        "video_metadata_excel_ids",
        "video_metadata",
        {
            "videos.csv": "\n".join(
                [
                    VM_HEADER,
                    f"7.30123E+18,{link(11)},mangled id but a link,#a,s,a",
                    "7.30123E+18,,mangled id and no link,#a,s,a",
                    f"{VID + 13},,good row,#a,s,a",
                    "",
                ]
            )
        },
        "quarantine",
        "Excel re-save: ids in scientific notation (`7.30123E+18`), which used to cast to a wrong id",
        "Re-export without Excel, or format the id column as text; rows with a link still load.",
        reason=r"scientific notation",
        staged=2,
        quarantined=1,
        checks=(
            (
                "select count(*) from staging.stg_video_metadata__videos "
                f"where source_file like '{{prefix}}%' and video_id in ({VID + 11}, {VID + 13})",
                2,
            ),
        ),
    ),
    Case(
        "video_metadata_link_without_id",
        "video_metadata",
        {
            "videos.csv": "\n".join(
                [VM_HEADER, ",https://www.tiktok.com/@someone,profile link,#a,s,a", f",{link(22)},good,#a,s,a", ""]
            )
        },
        "quarantine",
        "a link with no video id and an empty id",
        "Fill in the video id or a video link.",
        reason=r"no video id in id or link",
        staged=1,
        quarantined=1,
    ),
    Case(
        "video_metadata_duplicate_ids",
        "video_metadata",
        {
            "videos.csv": "\n".join(
                [VM_HEADER, f"{VID + 31},,first caption,#a,s,a", f"{VID + 31},,second caption,#b,s,a", ""]
            )
        },
        "loads",
        "the same video twice with different captions",
        "Nothing to do: the first row wins (counted).",
        staged=1,
        duplicates=1,
    ),
    Case(
        "video_metadata_bom_extra_column",
        "video_metadata",
        {"videos.csv": BOM + "\n".join([VM_HEADER + ",scraped_by", f"{VID + 41},,caption 🎮,#a,s,a,bot", ""]).encode()},
        "loads",
        "UTF-8 byte-order mark and an extra unknown column",
        "Nothing to do.",
        staged=1,
    ),
    # ------------------------------------------------------------------ claims/
    Case(
        "claims_missing_column",
        "claims",
        {
            "tiktok_dataset.csv": claims_csv(
                "1,claim,7000000001,30,text,not verified,active,1,2,3,4",
                header=CLAIMS_HEADER.replace(",video_view_count", ""),
            )
        },
        "error",
        "header missing a course column (`video_view_count`)",
        "Use the course file's header; only `#` may be missing.",
        reason=r"header lacks video_view_count",
    ),
    Case(
        "claims_latin1",
        "claims",
        {"tiktok_dataset.csv": claims_csv(claim_row(1, text="caf\xe9 au lait")).replace(b"\xc3\xa9", b"\xe9")},
        "error",
        "CSV re-saved as Latin-1 (`café` as byte E9)",
        "Re-save the file as UTF-8.",
        reason=r"not UTF-8 text \(byte 0xE9 at offset \d+;",
    ),
    Case(
        "claims_celebrity_dataset",
        "claims",
        {"tiktok_dataset.csv": b"Name,Celebrity,Category,Followers\r\nBeyonc\xe9,yes,music,1M\r\n"},
        "error",
        "the other dataset published as `tiktok_dataset.csv` (celebrity columns, Latin-1)",
        "Use the Google course's `tiktok_dataset.csv` (columns `#`, `claim_status`, `video_id`, ...).",
        reason=r"a different dataset published under the same file name \(celebrity columns",
    ),
    Case(
        "claims_unterminated_quote",
        "claims",
        {"tiktok_dataset.csv": claims_csv(claim_row(81), '82,claim,7000000082,30,"the download stopped here')},
        "error",
        "a quoted transcript that is never closed (a cut-off download)",
        "Download or export the file again.",
        reason=r"a quoted value is never closed",
    ),
    Case(
        "claims_pandas_resave",
        "claims",
        {
            "tiktok_dataset.csv": "\n".join(
                [
                    "," + CLAIMS_HEADER,
                    "0," + claim_row(91, counts="343296.0,19425.0,241.0,1.0,0.0"),
                    "1," + claim_row(92, counts=",,,,", status="", text=""),
                    "",
                ]
            )
        },
        "loads",
        "a pandas re-save: an unnamed index column, counts as floats (`343296.0`), NaN as empty",
        "Nothing to do: the index column is named in the manifest and not landed; float counts are whole numbers.",
        staged=2,
        checks=(
            (
                "select string_agg(coalesce(video_view_count::varchar, 'null'), ',' order by source_row) "
                "from staging.stg_claims__videos where source_file like '{prefix}%'",
                "343296,null",
            ),
            (
                "select count(*) from audit.raw_files where source_file like '{prefix}%' "
                "and status_reason like '%column 1 (no name)%'",
                1,
            ),
        ),
    ),
    Case(
        "claims_id_header",
        "claims",
        {"tiktok_dataset.csv": claims_csv(claim_row(95), header=CLAIMS_HEADER.replace("#", "id", 1))},
        "loads",
        "a copy whose first header is `id` instead of `#`",
        "Nothing to do: `id` is an alias of `#` (seeds/csv_header_aliases.csv).",
        staged=1,
        checks=(("select original_row_number from staging.stg_claims__videos where source_file like '{prefix}%'", 95),),
    ),
    Case(
        "claims_wrapped_lines",
        "claims",
        {
            "tiktok_dataset.csv": claims_csv(
                claim_row(11),
                '"' + claim_row(12, text="a claim, with commas, inside").replace('"', '""') + '"',
                claim_row(13),
            )
        },
        "loads",
        "lines wrapped whole in quotes when the text holds commas",
        "Nothing to do: such lines are split back into fields.",
        staged=3,
        checks=(
            ("select wrapped_line_rows from audit.claims_videos_reconciliation where source_file like '{prefix}%'", 1),
        ),
    ),
    Case(
        "claims_bad_counts",
        "claims",
        {
            "tiktok_dataset.csv": claims_csv(
                claim_row(21),
                claim_row(22, counts="#N/A,#N/A,#N/A,#N/A,#N/A", status="", text=""),
                claim_row(23, counts=",50,5,2,1"),
                claim_row(24, counts="-10,50,5,2,1"),
            )
        },
        "quarantine",
        "`#N/A`, empty and negative counts",
        "`#N/A` and empty load as unknown; fix negative counts or accept the quarantine.",
        reason=r"a count is neither a whole number nor #N/A",
        staged=3,
        quarantined=1,
    ),
    Case(
        "claims_null_markers",
        "claims",
        {
            "tiktok_dataset.csv": claims_csv(
                claim_row(31, counts="NaN,50,5,2,1"),
                claim_row(32, counts="null,50,5,2,1"),
                claim_row(33, counts="None,50,5,2,1"),
            )
        },
        "loads",
        "literal `NaN`, `null` and `None` counts",
        "Nothing to do: they load as unknown counts.",
        staged=3,
        checks=(
            ("select count(video_view_count) from staging.stg_claims__videos where source_file like '{prefix}%'", 0),
        ),
    ),
    Case(
        "claims_duplicate_ids",
        "claims",
        {
            "tiktok_dataset.csv": claims_csv(
                claim_row(1, video_id=7000000042), claim_row(2, video_id=7000000042, counts="2000,60,5,2,1")
            )
        },
        "loads",
        "the same video id twice with different counts",
        "Nothing to do: the first row is kept, the other listed in audit.claims_videos_duplicates.",
        staged=1,
        duplicates=1,
    ),
    Case(
        "claims_reordered_extra_column",
        "claims",
        {
            "tiktok_dataset.csv": claims_csv(
                "note,7000000051,claim,1,30,text,not verified,active,1,2,3,4,5",
                header="notes,video_id,claim_status,#,video_duration_sec,video_transcription_text,verified_status,"
                "author_ban_status,video_view_count,video_like_count,video_share_count,video_download_count,"
                "video_comment_count",
            )
        },
        "loads",
        "columns reordered plus an extra unknown column",
        "Nothing to do: columns are matched by name.",
        staged=1,
        checks=(("select video_view_count from staging.stg_claims__videos where source_file like '{prefix}%'", 1),),
    ),
    Case(
        "claims_sci_notation_id",
        "claims",
        {"tiktok_dataset.csv": claims_csv(claim_row(61), claim_row(62, video_id="7.00000E+09"))},
        "quarantine",
        "Excel scientific-notation video id",
        "Re-export without Excel or format the id column as text.",
        reason=r"video_id is not a whole number",
        staged=1,
        quarantined=1,
    ),
    Case(
        "claims_emoji_newline",
        "claims",
        {"tiktok_dataset.csv": claims_csv(claim_row(71, text='"a video 🎬 about\nthe weather"'))},
        "loads",
        "emoji and an embedded newline in a quoted transcript",
        "Nothing to do.",
        staged=1,
        checks=(
            (
                "select count(*) from staging.stg_claims__videos where source_file like '{prefix}%' "
                "and video_transcription_text like '%🎬%' || chr(10) || '%'",
                1,
            ),
        ),
    ),
    Case(
        "claims_zero_rows",
        "claims",
        {"tiktok_dataset.csv": claims_csv()},
        "loads",
        "a header-only file (0 rows)",
        "Nothing to do.",
        staged=0,
    ),
    # ------------------------------------------------------------------ top_creators/
    Case(
        "top_creators_utf16",
        "top_creators",
        {"tiktok_top_1000.csv": utf16(TC_HEADER + "\n" + tc_row(1) + "\n")},
        "error",
        "ranking CSV saved as UTF-16",
        "Re-save the file as UTF-8.",
        reason=r"UTF-16 text",
    ),
    Case(
        "top_creators_no_follower_column",
        "top_creators",
        {"ranking.csv": "Name,Views\nabc,12\n"},
        "error",
        "no follower column (or no creator-name column)",
        "Rename the columns to a known header (e.g. `Subscribers count`, `Account`).",
        reason=r"cannot find a follower and a creator-name column among its headers \(Name, Views\)",
    ),
    Case(
        "top_creators_km_strings",
        "top_creators",
        {
            "Top 1000 TikTokers - 2022-09.csv": "\n".join(
                [
                    "S.no,Tiktoker name,Tiktok name,Subscribers count,Views avg.,Likes avg.,Comments avg.,Shares avg.",
                    "1,bigone,Big One,1.2B,54.9M,4.5M,314.3K,121K",
                    '2,comma_k,Comma K,"12,3K",1K,100,10,1',
                    "3,dash,Dash,-,1K,100,10,1",
                    "4,small,Small,726,1K,100,10,1",
                    "",
                ]
            )
        },
        "quarantine",
        "K/M/B strings (`1.2B`, `12,3K` with a decimal comma, which used to read as 123K) and `-`",
        "`-` has no number: fill it in or accept the quarantine.",
        reason=r"unparseable followers|missing followers",
        staged=3,
        quarantined=1,
        checks=(
            (
                "select string_agg(followers::varchar, ',' order by followers) from "
                "staging.stg_top_creators__rankings where source_file like '{prefix}%'",
                "726,12300,1200000000",
            ),
        ),
    ),
    Case(
        "top_creators_negative_count",
        "top_creators",
        {"tiktok_top_1000.csv": "\n".join([TC_HEADER, tc_row(11), tc_row(12, followers="-5000"), ""])},
        "quarantine",
        "a negative follower count (used to load as -5000)",
        "Fix the count or accept the quarantine.",
        reason=r"unparseable followers|missing followers",
        staged=1,
        quarantined=1,
    ),
    Case(
        "top_creators_drifted_header",
        "top_creators",
        {
            "Top 1000 TikTokers - 2022-11.csv": "\n".join(
                ['views(avg),Tiktok name,Rank,"\nFollowers",Tiktoker name', "1M,Some One,1,2.5M,some_one", ""]
            )
        },
        "loads",
        'headers renamed (`"\\nFollowers"`, `views(avg)`) and reordered',
        "Nothing to do: header synonyms are mapped.",
        staged=1,
        checks=(
            ("select followers from staging.stg_top_creators__rankings where source_file like '{prefix}%'", 2500000),
        ),
    ),
    Case(
        "top_creators_split_header",
        "top_creators",
        {
            "Top 1000 TikTokers - 2022-11.csv": (
                'row-cell,Tiktoker name,Tiktok name,"\nFollowers",Views (Avg.),Likes (Avg.)\r\n'
                ",,,,,\r\n1,khaby.lame,Khaby Lame,153.3M,17.3M,2.1M\r\n2,charli,Charli D,150M,10M,1M\r\n"
            )
        },
        "quarantine",
        "the November-2022 shape: a quoted line break in the header of a CRLF file, then a row of commas "
        "(DuckDB's sniffer gives up on it)",
        "Nothing to do: the dialect is explicit; the row of commas is quarantined as a blank row.",
        reason=r"blank row",
        staged=2,
        quarantined=1,
        checks=(
            (
                "select followers from staging.stg_top_creators__rankings where source_file like '{prefix}%' "
                "and creator_handle = 'khaby.lame'",
                153300000,
            ),
        ),
    ),
    Case(
        "top_creators_stripped_headers_wrapped_rows",
        "top_creators",
        {
            "tiktok_top_1000.csv": "\n".join(
                [
                    TC_HEADER.replace(" ", "").replace(".", ""),
                    tc_row(31),
                    '"' + tc_row(32).replace("Creator 32", '""Creator, 32""') + '"',
                    tc_row(33),
                    "",
                ]
            )
        },
        "loads",
        "a HypeAuditor copy with every space and dot stripped from the headers (`Subscriberscount`, "
        "`Viewsavg`) and a row wrapped whole in quotes",
        "Nothing to do: headers match on a normalised form; the wrapped row is split again.",
        staged=3,
        checks=(
            (
                "select display_name from staging.stg_top_creators__rankings where source_file like '{prefix}%' "
                "and creator_handle = 'creator32'",
                "Creator, 32",
            ),
        ),
    ),
    Case(
        "top_creators_blank_and_duplicate_rows",
        "top_creators",
        {"tiktok_top_1000.csv": "\n".join([TC_HEADER, ",,,,,,,,,,", tc_row(21), tc_row(21), ""])},
        "quarantine",
        "a blank first data row and a duplicated row",
        "Nothing to do: the blank row is quarantined, the copy counted as a duplicate.",
        reason=r"blank row",
        staged=1,
        quarantined=1,
        duplicates=1,
    ),
    # ------------------------------------------------------------------ profiles/
    Case(
        "profiles_no_handle_column",
        "profiles",
        {"profiles.csv": "nickname,followers\nAbc,12\n"},
        "error",
        "neither `account_id` nor `url`: no row can name its creator",
        "Keep the `account_id` (or `url`) column when exporting a subset.",
        reason=r"header lacks account_id or url",
    ),
    Case(
        "profiles_excel_resave",
        "profiles",
        {
            "profiles.csv": "\n".join(
                [
                    PR_HEADER,
                    pr_row(
                        11, timestamp="6/27/2023", create_time="02-01-2020", user_id="6.79444E+18", is_verified="TRUE"
                    ).replace("0.05,0.01,0.04", "1E-05,0,1E-05"),
                    "",
                ]
            )
        },
        "loads",
        "Excel re-save: `6.79444E+18` ids, `M/D/YYYY` and `DD-MM-YYYY` dates, `TRUE`, `1E-05`",
        "Nothing to do: the mangled id is flagged (has_mangled_user_id), not used.",
        staged=1,
        checks=(
            (
                "select count(*) from staging.stg_creator_profiles__profiles where source_file like '{prefix}%' "
                "and tiktok_user_id is null and is_verified",
                1,
            ),
        ),
    ),
    Case(
        "profiles_null_newline_emoji",
        "profiles",
        {
            "profiles.csv": "\n".join(
                [PR_HEADER, pr_row(21, biography='"line one 🐶\nnull"', bio_link="null", create_time="null"), ""]
            )
        },
        "loads",
        "literal `null`, embedded newlines and emoji in the biography",
        "Nothing to do: `null` is read as missing.",
        staged=1,
        checks=(
            (
                "select count(*) from staging.stg_creator_profiles__profiles where source_file like '{prefix}%' "
                "and bio_link is null and biography like '%🐶%' || chr(10) || '%'",
                1,
            ),
        ),
    ),
    Case(
        "profiles_unparseable_values",
        "profiles",
        {
            "profiles.csv": "\n".join(
                [PR_HEADER, pr_row(31), pr_row(32, followers="lots"), pr_row(33, timestamp="31/31/2023"), ""]
            )
        },
        "quarantine",
        "a follower count that is text and an impossible date",
        "Fix the values or accept the quarantine (audit.creators_quarantine).",
        reason=r"unparseable followers|unparseable timestamp",
        staged=1,
        quarantined=2,
    ),
    Case(
        "profiles_official_sample",
        "profiles",
        {
            "tiktok_profiles_sample.csv": '"account_id","nickname","biography","followers","url","profile_pic_url",'
            '"signature"\n"mia.b████","None","collabs 📩 mia.bakes@example.com\nWhatsApp +55 11 91234-5678",'
            '"51200","https://www.tiktok.com/@mia.bakes","https://p16-sign-va.tiktokcdn.com/a.jpeg?x-expires='
            '1719450000&x-signature=abc","collabs 📩 mia.bakes@example.com"\n'
        },
        "loads",
        "the official 36-column sample's shape: every field quoted, a handle masked with `█`, `None` empties, "
        "a biography spanning lines with an e-mail address and a phone number, no timestamp column",
        "Nothing to do: contacts are masked in ingest (bio_has_contact), the handle comes from the url, the "
        "avatar URL's expiry dates the scrape.",
        staged=1,
        checks=(
            (
                "select count(*) from staging.stg_creator_profiles__profiles where source_file like '{prefix}%' "
                "and creator_handle = 'mia.bakes' and bio_has_contact and display_name is null "
                "and scraped_at_source = 'picture_url_expiry' and biography not like '%example%'",
                1,
            ),
        ),
    ),
    Case(
        "profiles_exact_copies",
        "profiles",
        {
            "profiles.csv": "\n".join(
                [
                    PR_HEADER,
                    pr_row(41),
                    pr_row(41),
                    pr_row(42, nickname="", biography="Maker 42"),
                    pr_row(42, nickname="Maker 42", biography=""),
                    "",
                ]
            )
        },
        "loads",
        "a row repeated verbatim, and two rows of one creator whose one value moved to the next, empty, cell",
        "Nothing to do: the verbatim copy is an exact duplicate; the other creator's second row is a "
        "repeated handle (the latest scrape is kept).",
        staged=2,
        duplicates=2,
        checks=(
            (
                "select string_agg(row_status, ',' order by source_row) "
                "from staging.stg_creator_profiles__profile_rows where source_file like '{prefix}%'",
                "staged,exact_duplicate,staged,repeated_handle",
            ),
        ),
    ),
    Case(
        "profiles_subset_extra_column",
        "profiles",
        {"profiles.csv": "account_id,followers,favourite_colour\nmaker9,1.5M,teal\n"},
        "loads",
        "a subset of the columns plus an unknown one",
        "Nothing to do.",
        staged=1,
    ),
]


# ----------------------------------------------------------------------------- docs
def markdown() -> str:
    lines = [
        "# Bad input: what the build does with it",
        "",
        "Generated from `tests/bad_inputs/cases.py` (`python -m tests.bad_inputs.cases`); every case is",
        "a test fixture in `tests/test_bad_inputs.py`.",
        "",
        "- **error**: the file cannot be read at all. The build stops with one line per file,",
        "  `raw file <path> cannot be read: <problem>. ...`, and the published warehouse is left as",
        "  it was. With `TIKTOK_DBT_VARS='{skip_unreadable_files: true}'` (or",
        "  `dbt build --vars '{skip_unreadable_files: true}'`) such files are skipped instead, listed in",
        "  `audit.skipped_raw_files`, and the build ends with a warning. Ingest names the problem",
        '  (docs/ingest.md, "Unreadable files"); a CSV\'s encoding is checked whole, streaming,',
        "  whatever its size (a non-UTF-8 byte is named with its offset).",
        "- **quarantine**: the good rows load; the bad ones are in the domain's audit table with file,",
        "  position, raw value and reason (`audit.tiktok_export_quarantined_items` for exports and",
        "  video metadata, `audit.claims_videos_quarantined`, `audit.creators_quarantine`), a warn",
        "  test counts them, and `audit.*_reconciliation` proves nothing vanished.",
        "- **loads**: the quirk is handled; nothing is lost.",
        "",
        "| case | raw kind | input | outcome | what you do |",
        "|---|---|---|---|---|",
    ]
    for c in CASES:
        outcome = c.outcome + (f" (`{c.reason.replace('|', ' or ')}`)" if c.outcome != "loads" and c.reason else "")
        outcome = outcome.replace("\\", "")
        lines.append(f"| `{c.id}` | `{c.kind}/` | {c.problem} | {outcome} | {c.fix} |")
    return "\n".join(lines) + "\n"


DOC = Path(__file__).resolve().parents[2] / "docs" / "bad_inputs.md"

if __name__ == "__main__":
    DOC.write_text(markdown())
    print(f"wrote {DOC} ({len(CASES)} cases)")
