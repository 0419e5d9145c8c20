"""Ingest of the CSV kinds (ingest/csvs.py): every CSV shape of DATA_FORMATS §2-§4 as a fast test.

Each case writes a tiny file in a tmp dir, lands it and reads the Parquet back: the header
drifts and aliases, the November-2022 split header with its row of commas, rows wrapped whole
in quotes, the re-saved claims copies, Excel damage, BOMs, line endings, Latin-1 and the other
unreadable files (named errors), and the masking of contacts in free text.
"""

from __future__ import annotations

import csv
import io
import re
import stat
from pathlib import Path

import duckdb
import pytest

from ingest import csvs, privacy
from ingest.landing import landed_path
from ingest.schema import LANDED_TABLES

CLAIMS_HEADER = (
    "#,claim_status,video_id,video_duration_sec,video_transcription_text,verified_status,"
    "author_ban_status,video_view_count,video_like_count,video_share_count,video_download_count,"
    "video_comment_count"
)
HYPE_HEADER = (
    "Country,Rank,Account,Title,Link,Subscribers count,Views avg.,Likes avg.,Comments avg.,Shares avg.,Scraped"
)
HYPE_STRIPPED = "Country,Rank,Account,Title,Link,Subscriberscount,Viewsavg,Likesavg,Commentsavg,Sharesavg,Scraped"
NOVEMBER_HEADER = (
    'row-cell,Tiktoker name,Tiktok name,"\nFollowers",Views (Avg.),Likes (Avg.),Comments (Avg.),Shares (Avg.)'
)
OFFICIAL_PROFILE_COLUMNS = (
    "account_id nickname biography awg_engagement_rate comment_engagement_rate like_engagement_rate bio_link "
    "predicted_lang is_verified followers following likes videos_count create_time id url profile_pic_url "
    "like_count digg_count is_private profile_pic_url_hd secu_id short_id ftc relation open_favorite "
    "comment_setting duet_setting stitch_setting is_ad_virtual room_id is_under_age_18 region top_videos "
    "signature discovery_input"
).split()


def land(tmp_path: Path, kind: str, content: bytes | str, name: str = "file.csv", **kwargs):
    """Write `content` as <raw>/<kind>/<name>, land it; (result, landed rows as dicts)."""
    raw = tmp_path / "raw" / kind / name
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    source_file = f"{kind}/{name}"
    result = csvs.land_csv(kind, raw, source_file, tmp_path / "build", 7, **kwargs)
    return result, landed_rows(tmp_path / "build", kind, source_file)


def landed_rows(build: Path, kind: str, source_file: str) -> list[dict]:
    path = landed_path(build, csvs.KINDS[kind].table, source_file)
    rel = duckdb.sql(f"select * from read_parquet('{path}') order by source_row")
    return [dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()]


def crlf(*lines: str) -> str:
    return "".join(line + "\r\n" for line in lines)


def lf(*lines: str) -> str:
    return "".join(line + "\n" for line in lines)


def claim(n: int, text: str = "someone shared with me that x", counts: str = "343296,19425,241,1,0") -> str:
    return f"{n},claim,{7017666000 + n},59,{text},not verified,under review,{counts}"


def hype(n: int, title: str = "Creator") -> str:
    return (
        f"Brazil,{n},creator{n},{title},https://www.tiktok.com/@creator{n},33299999.999999996,"
        "17300000.0,2100000.0,20300.0,12100.0,2022-09-21 11:31:02.093100"
    )


def wrapped(line: str) -> str:
    return '"' + line.replace('"', '""') + '"'


# ----------------------------------------------------------------------------- header aliases
@pytest.mark.parametrize(
    "header,column",
    [
        ("Subscribers count", "followers"),
        ("Subscriberscount", "followers"),
        ("Subscribers", "followers"),
        ("\nFollowers", "followers"),
        ("followers", "followers"),
        ("Views avg.", "views_avg"),
        ("Views (Avg.)", "views_avg"),
        ("views(avg)", "views_avg"),
        ("Viewsavg", "views_avg"),
        ("Likes avg", "likes_avg"),
        ("Likes avg.", "likes_avg"),
        ("Likesavg", "likes_avg"),
        ("comments(avg)", "comments_avg"),
        ("Shares (Avg.)", "shares_avg"),
        ("S.no", "rank"),
        ("row-cell", "rank"),
        ("Rank", "rank"),
        ("Tiktoker name", "handle"),
        ("Account", "handle"),
        ("Tiktok name", "display_name"),
        ("Title", "display_name"),
        ("  Link ", "profile_url"),
        ("SCRAPED", "scraped"),
    ],
)
def test_top_creator_headers_match_on_the_normalised_form(header, column):
    assert csvs.map_header(csvs.KINDS["top_creators"], [header]).landed == [column]


@pytest.mark.parametrize(
    "kind,header,column",
    [
        ("claims", "#", "original_row_number"),
        ("claims", "id", "original_row_number"),
        ("claims", "\ufeff#", "original_row_number"),
        ("claims", "Video_View_Count", "video_view_count"),
        ("profiles", "account_id", "account_id"),
        ("profiles", "signature", None),
        ("video_metadata", "video link", "video_link"),
        ("video_metadata", "id", None),
    ],
)
def test_headers_of_the_other_kinds(kind, header, column):
    assert csvs.map_header(csvs.KINDS[kind], [header]).landed == [column]


def test_alias_seed_is_consistent_with_the_landed_tables():
    aliases = csvs.header_aliases()
    assert set(aliases) == set(csvs.KINDS)
    for name, kind in csvs.KINDS.items():
        named = set(aliases[name].values())
        for field in kind.fields:
            base = field.removesuffix("__2")
            assert base in named, f"{name}.{base} has no alias in seeds/csv_header_aliases.csv"
        # the landed table holds provenance, then the kind's fields in order
        table = [c for c, _ in LANDED_TABLES[kind.table]]
        assert table[-len(kind.fields) :] == list(kind.fields)
        assert table[:6] == ["load_id", "source_file", "source_row", "row_problem", "row_text", "row_repair"]


def test_alias_seed_is_documented_for_analysts():
    text = (Path(csvs.ALIAS_SEED).parent / "_seeds.yml").read_text()
    assert "- name: csv_header_aliases" in text


def test_conflicting_aliases_in_the_seed_are_an_error(tmp_path):
    seed = tmp_path / "aliases.csv"
    seed.write_text("raw_kind,column_name,header,seen_in\ntop_creators,rank,Rank,\ntop_creators,handle,rank,\n")
    with pytest.raises(ValueError, match="names both rank and handle"):
        csvs.header_aliases(seed)


def test_repeated_header_lands_as_a_second_copy_and_a_third_is_named(tmp_path):
    text = lf(
        "Rank,Tiktoker name,followers,followers,Views avg.,Views avg.,Views avg.,Note",
        "1,ann,221.7K,221700,26M,26000000,x,hello",
    )
    result, rows = land(tmp_path, "top_creators", text)
    assert rows[0]["followers"] == "221.7K" and rows[0]["followers__2"] == "221700"
    assert rows[0]["views_avg"] == "26M" and rows[0]["views_avg__2"] == "26000000"
    assert result.not_landed_headers == ['"Views avg." again (column 7)', '"Note" (column 8)']
    assert "Note" in result.status_reason and "csv_header_aliases" in result.status_reason


# ----------------------------------------------------------------------------- real shapes
def test_november_2022_split_header_and_row_of_commas(tmp_path):
    """A quoted bare LF in the header of a CRLF file, then a row of commas, then 1,000 rows:
    DuckDB's sniffer gives up on it; the explicit dialect reads every row."""
    rows = [f"{n},creator{n},Creator {n},{n}.5M,1.2M,{n}K,726,2K" for n in range(1, 1001)]
    text = crlf(NOVEMBER_HEADER, ",,,,,,,", *rows)
    assert "\n" in NOVEMBER_HEADER and "\r\n" not in NOVEMBER_HEADER
    result, landed = land(tmp_path, "top_creators", text)
    assert result.landed_rows == 1001 and result.read_by == "duckdb"
    assert result.not_landed_headers == []
    blank = landed[0]
    assert blank["source_row"] == 1 and all(blank[c] is None for c in ("rank", "handle", "followers"))
    first = landed[1]
    assert (first["source_row"], first["rank"], first["handle"], first["display_name"]) == (
        2,
        "1",
        "creator1",
        "Creator 1",
    )
    assert (first["followers"], first["views_avg"], first["likes_avg"]) == ("1.5M", "1.2M", "1K")
    assert landed[-1]["handle"] == "creator1000" and landed[-1]["source_row"] == 1001


def test_hypeauditor_copy_with_stripped_headers_and_wrapped_rows(tmp_path):
    rows = [hype(n) for n in range(1, 1001)]
    rows[10] = wrapped(rows[10])
    rows[500] = wrapped(hype(501, title='"Zach, K"'))  # a quoted comma inside the wrapped row
    rows[999] = wrapped(rows[999])
    result, landed = land(tmp_path, "top_creators", lf(HYPE_STRIPPED, *rows))
    assert result.landed_rows == 1000 and result.unwrapped_rows == 3 and result.problem_rows == 0
    assert result.not_landed_headers == []
    repaired = [r for r in landed if r["row_repair"]]
    assert [r["source_row"] for r in repaired] == [11, 501, 1000]
    assert all(r["row_repair"] == "unwrapped" for r in repaired)
    assert repaired[1]["display_name"] == "Zach, K" and repaired[1]["handle"] == "creator501"
    assert all(r["followers"] == "33299999.999999996" and r["scraped"].startswith("2022-09-21") for r in landed)


def test_june_2022_shape_without_rank_column(tmp_path):
    rows = sorted(f"creator{n},Creator {n},{n}M,1M,10K,100,1K" for n in range(1, 40))
    rows += rows[:14]
    header = "Tiktoker name,Tiktok name,Subscribers count,Views avg.,Likes avg.,Comments avg.,Shares avg."
    result, landed = land(tmp_path, "top_creators", lf(header, *rows))
    assert result.landed_rows == 53 and result.not_landed_headers == []
    assert all(r["rank"] is None for r in landed) and landed[0]["handle"] == "creator1"


@pytest.mark.parametrize("ending", ["\r\n", "\n", "\r"])
def test_line_endings_are_the_files_own(tmp_path, ending):
    text = ending.join([CLAIMS_HEADER, claim(1), claim(2), ""])
    _, landed = land(tmp_path, "claims", text)
    assert [r["video_id"] for r in landed] == ["7017666001", "7017666002"]
    assert landed[1]["video_comment_count"] == "0"


def test_pandas_resave_index_column_float_counts_and_empty_nan(tmp_path):
    """`df.to_csv()`: an unnamed index column first, counts as floats, NaN as empty."""
    import pandas as pd

    course = crlf(CLAIMS_HEADER, claim(1), "2,,4380513697,39,,not verified,active,#N/A,#N/A,#N/A,#N/A,#N/A")
    frame = pd.read_csv(io.StringIO(course))
    resaved = frame.to_csv()
    assert resaved.startswith(",#,claim_status")
    result, landed = land(tmp_path, "claims", resaved)
    assert result.not_landed_headers == ["column 1 (no name)"]
    assert landed[0]["original_row_number"] == "1" and landed[0]["video_view_count"] == "343296.0"
    assert landed[1]["claim_status"] is None and landed[1]["video_view_count"] is None


def test_claims_copy_with_id_instead_of_hash(tmp_path):
    _, landed = land(tmp_path, "claims", crlf(CLAIMS_HEADER.replace("#", "id", 1), claim(5)))
    assert landed[0]["original_row_number"] == "5"


def test_claims_wrapped_lines_split_again(tmp_path):
    text = crlf(
        CLAIMS_HEADER,
        claim(1),
        # the writer quoted the transcript, then the whole line
        wrapped(claim(2, text='"i think, frankly, that ""x"" is fine"')),
        # the writer did not quote the transcript: its commas go back into it
        wrapped(claim(3, text="someone shared, with me, that z")),
        # not the course's 12 fields whatever is done
        wrapped("4,claim,a,b"),
    )
    result, landed = land(tmp_path, "claims", text)
    assert (result.unwrapped_rows, result.problem_rows) == (2, 1)
    assert landed[1]["video_transcription_text"] == 'i think, frankly, that "x" is fine'
    assert landed[1]["video_comment_count"] == "0" and landed[1]["row_repair"] == "unwrapped"
    assert landed[2]["video_transcription_text"] == "someone shared, with me, that z"
    bad = landed[3]
    assert bad["row_repair"] is None and bad["original_row_number"] == "4,claim,a,b"
    assert bad["row_problem"] == "row wrapped whole in quotes could not be split: 4 cells, the header has 12"
    assert bad["row_text"] == "4,claim,a,b" and landed[1]["row_text"] is None
    assert "could not be split" in result.status_reason


def test_a_row_with_more_cells_than_the_header_is_named_not_truncated_silently(tmp_path):
    text = lf(CLAIMS_HEADER, claim(1), claim(2) + ",surplus", claim(3))
    result, landed = land(tmp_path, "claims", text)
    assert result.read_by == "python" and result.landed_rows == 3
    assert landed[0]["row_problem"] is None and landed[2]["row_problem"] is None
    assert landed[1]["row_problem"] == "the row has 13 cells, the header 12: the extra cells are not landed"
    assert landed[1]["row_text"] == claim(2) + ",surplus"
    assert landed[1]["video_comment_count"] == "0"


def test_short_rows_are_padded_and_empty_lines_are_no_rows(tmp_path):
    _, landed = land(tmp_path, "claims", lf(CLAIMS_HEADER, "", claim(1), "2,claim", "", claim(3)))
    assert [r["source_row"] for r in landed] == [1, 2, 3]
    assert landed[1]["claim_status"] == "claim" and landed[1]["video_id"] is None


def test_excel_damage_lands_as_written(tmp_path):
    header = "timestamp,account_id,id,create_time,is_verified,comment_engagement_rate"
    _, landed = land(tmp_path, "profiles", crlf(header, "6/19/2023,ivy,6.79444E+18,09-05-2017,TRUE,1E-05"))
    row = landed[0]
    assert (row["timestamp"], row["id"], row["create_time"]) == ("6/19/2023", "6.79444E+18", "09-05-2017")
    assert (row["is_verified"], row["comment_engagement_rate"]) == ("TRUE", "1E-05")


def test_official_36_column_profiles_sample(tmp_path):
    """Every field quoted, a biography spanning lines with contacts, `None` and `null` empties,
    no `timestamp` column; the columns the warehouse does not use are named, not landed."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(OFFICIAL_PROFILE_COLUMNS)
    values = dict.fromkeys(OFFICIAL_PROFILE_COLUMNS, "None")
    values.update(
        account_id="mia.b█████",
        biography="bookings 📩 mia.bakes@example.com\nWhatsApp +55 11 91234-5678\nsince 2019-05-04",
        signature="bookings 📩 mia.bakes@example.com",
        bio_link="null",
        url="https://www.tiktok.com/@mia.bakes",
        top_videos='["https://www.tiktok.com/@mia.bakes/video/7216327279075544179"]',
        profile_pic_url="https://p16-sign-va.tiktokcdn.com/a.jpeg?x-expires=1719450000&x-signature=abc",
        id="6980705716027100526",
    )
    writer.writerow([values[c] for c in OFFICIAL_PROFILE_COLUMNS])
    result, landed = land(tmp_path, "profiles", out.getvalue())
    row = landed[0]
    assert row["biography"] == "bookings 📩 [email]\nWhatsApp [phone]\nsince 2019-05-04"
    assert row["account_id"] == "mia.b█████" and row["bio_link"] == "null" and row["nickname"] == "None"
    assert row["timestamp"] is None and row["id"] == "6980705716027100526"
    assert result.masked_cells == 1
    not_landed = " ".join(result.not_landed_headers)
    for column in ("signature", "secu_id", "discovery_input", "like_count"):
        assert f'"{column}"' in not_landed
    assert '"region"' not in not_landed and '"predicted_lang"' not in not_landed
    # the unlanded columns carry the same contacts: nothing of them is in the landed file
    data = landed_path(tmp_path / "build", "creator_profile_rows", "profiles/file.csv").read_bytes()
    assert b"example.com" not in data and b"91234" not in data


def test_bom_is_not_part_of_the_first_header(tmp_path):
    result, landed = land(tmp_path, "claims", b"\xef\xbb\xbf" + crlf(CLAIMS_HEADER, claim(1)).encode())
    assert result.not_landed_headers == [] and landed[0]["original_row_number"] == "1"


def test_emoji_and_quoted_line_breaks_survive(tmp_path):
    _, landed = land(tmp_path, "claims", crlf(CLAIMS_HEADER, claim(1, text='"a video 🎬 about\nthe weather"')))
    assert landed[0]["video_transcription_text"] == "a video 🎬 about\nthe weather"


def test_header_only_file_lands_zero_rows(tmp_path):
    result, landed = land(tmp_path, "claims", crlf(CLAIMS_HEADER))
    assert result.landed_rows == 0 and landed == []


def test_leading_empty_lines_before_the_header(tmp_path):
    _, landed = land(tmp_path, "claims", lf("", "", CLAIMS_HEADER, claim(1)))
    assert [r["video_id"] for r in landed] == ["7017666001"]


def test_enrichment_file_is_marked_and_named_relative_to_the_build_dir(tmp_path):
    path = tmp_path / "build" / "enrichment" / "video_metadata.csv"
    path.parent.mkdir(parents=True)
    path.write_text(
        lf(
            "video_id,video_link,description,hashtags,sound_title,sound_id,author_handle,fetched_at,fetch_source",
            "7300000000000000002,,cat vs cucumber #pets,#pets,original sound - finn,66898,finn,"
            "2026-11-01T10:00:00Z,oembed",
        )
    )
    csvs.land_csv(
        "video_metadata", path, csvs.ENRICHMENT_SOURCE_FILE, tmp_path / "build", 3, metadata_origin="enrichment"
    )
    rows = landed_rows(tmp_path / "build", "video_metadata", "enrichment/video_metadata.csv")
    assert rows[0]["metadata_origin"] == "enrichment" and rows[0]["source_file"] == "enrichment/video_metadata.csv"
    assert (rows[0]["load_id"], rows[0]["sound_id"], rows[0]["fetch_source"]) == (3, "66898", "oembed")
    _, user = land(tmp_path, "video_metadata", lf("video_link,description", "https://x/video/1,hi"))
    assert user[0]["metadata_origin"] == "user" and user[0]["sound_id"] is None


def test_landed_file_is_owner_only_and_written_atomically(tmp_path, monkeypatch):
    monkeypatch.delenv("TIKTOK_FILE_MODE", raising=False)
    land(tmp_path, "claims", crlf(CLAIMS_HEADER, claim(1)))
    folder = landed_path(tmp_path / "build", "claims_rows", "claims/file.csv").parent
    files = list(folder.iterdir())
    assert [f.suffix for f in files] == [".parquet"], files
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


# ----------------------------------------------------------------------------- unreadable files
UNREADABLE = [
    (
        "claims",
        "claims_latin1",
        crlf(CLAIMS_HEADER, claim(1, text="caf\xe9")).encode("latin-1"),
        r"not UTF-8 text \(byte 0xE9 at offset \d+;",
    ),
    ("claims", "empty", b"", r"^the file is empty \(0 bytes\)$"),
    ("top_creators", "utf16", (HYPE_HEADER + "\n" + hype(1) + "\n").encode("utf-16"), r"^UTF-16 text"),
    ("profiles", "nul_bytes", b"account_id,followers\nab\x00c,1\n", r"holds NUL bytes \(first at offset 23;"),
    (
        "claims",
        "missing_column",
        crlf(CLAIMS_HEADER.replace(",video_view_count", ""), "1,claim,1,30,t,not verified,active,1,2,3,4"),
        r"^header lacks video_view_count \(found: #, claim_status, ",
    ),
    (
        "top_creators",
        "no_follower_column",
        lf("Name,Views", "abc,12"),
        r"^cannot find a follower and a creator-name column among its headers \(Name, Views\)",
    ),
    (
        "profiles",
        "no_handle_column",
        lf("nickname,followers", "Abc,12"),
        r"^header lacks account_id or url \(found: nickname, followers\)$",
    ),
    (
        "video_metadata",
        "renamed_header",
        lf("id,url,caption", "1,x,y"),
        r"^header lacks video_id or video_link \(found: id, url, caption\)$",
    ),
    (
        "claims",
        "unterminated_quote",
        lf(CLAIMS_HEADER, claim(1), '2,claim,7017666002,59,"never closed'),
        r"a quoted value is never closed",
    ),
    (
        "claims",
        "celebrity_dataset",
        lf("Name,Celebrity,Category,Followers", "Beyonc\xe9,yes,music,1M").encode("latin-1"),
        r"^a different dataset published under the same file name \(celebrity columns.*\(found: Name, Celebrity, "
        r"Category, Followers\); not UTF-8 text \(byte 0xE9 at offset 40;",
    ),
    ("claims", "celebrity_utf8", lf("celebrity,brand,c_tiktok,b_tiktok", "x,y,1,2"), r"^a different dataset"),
]


@pytest.mark.parametrize("kind,case,content,reason", UNREADABLE, ids=[c[1] for c in UNREADABLE])
def test_unreadable_files_are_a_named_error(tmp_path, kind, case, content, reason):
    with pytest.raises(csvs.UnreadableCsv) as error:
        land(tmp_path, kind, content)
    assert re.search(reason, str(error.value)), str(error.value)
    assert not list((tmp_path / "build").rglob("*.parquet")), "nothing lands from an unreadable file"


def test_not_utf8_names_the_first_bad_byte_across_read_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(csvs, "READ_CHUNK", 7)
    path = tmp_path / "x.csv"
    path.write_bytes("a,b\nü,€\n".encode() + b"ok,\xff\n")
    assert (
        csvs.text_problem(path)
        == "not UTF-8 text (byte 0xFF at offset 14; Latin-1 or another encoding?): re-save it as UTF-8"
    )
    path.write_bytes("a,b\nü,€€€€€€\n".encode())
    assert csvs.text_problem(path) is None
    path.write_bytes(b"a,b\n\xe2\x82")  # cut inside the last character
    assert (
        csvs.text_problem(path)
        == "not UTF-8 text (byte 0xE2 at offset 4; Latin-1 or another encoding?): re-save it as UTF-8"
    )


# ----------------------------------------------------------------------------- masking
CONTACT_TEXTS = [
    "mail me: mia.bakes@example.com!",
    "biz -> first.last+tiktok@sub.example.co.uk",
    "WhatsApp +55 11 91234-5678",
    "call (555) 014-2233 now",
    "0812-3456-7890 / 0812 3456 7890",
    "+1-555-0142-CANARY",
    "tel. 555.014.2233.",
    "081234567890",
    "+4915112345678",
    "bookings 📩 mia@x.io\nWhatsApp +55 11 91234-5678",
]
PLAIN_TEXTS = [
    "since 2019-05-04 🎂",
    "on 04/05/2019 and 4.5.19",
    "road to 1000000 followers",
    "video 7216327279075544179",
    "2019 - 2024",
    "at 10:30, 25 years",
    "@mia.bakes on insta",
    "5551234567",
]


@pytest.mark.parametrize("text", CONTACT_TEXTS + PLAIN_TEXTS)
def test_the_sql_prefilter_lets_through_everything_the_masker_changes(text):
    """CSV landing sends only the values the DuckDB pre-filter passes to the Python masker: it
    must pass every value the masker would change."""
    passes = duckdb.connect().execute(f"select {privacy.might_hold_contact_sql('$1')}", [text]).fetchone()[0]
    changed = privacy.GENERIC(text) != text
    assert changed == (text in CONTACT_TEXTS), privacy.GENERIC(text)
    assert passes or not changed


def test_masked_free_text_of_each_kind(tmp_path):
    _, landed = land(
        tmp_path,
        "video_metadata",
        lf("video_id,description,author_handle", "1,collabs: team@brand.example / +44 20 7946 0958,brand"),
    )
    assert landed[0]["description"] == "collabs: [email] / [phone]"
    _, landed = land(
        tmp_path, "claims", crlf(CLAIMS_HEADER, claim(1, text="call 555-014-2233 to hear that x")), "b.csv"
    )
    assert landed[0]["video_transcription_text"] == "call [phone] to hear that x"
    assert landed[0]["video_id"] == "7017666001", "ids are not free text"
