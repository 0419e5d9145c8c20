"""The landed tables and their columns: the contract between ingest and dbt's staging sources.

Every raw value lands as text; positions, counts and the load id as integers. The dbt sources
declare the same columns (tests/test_ingest_contract.py keeps them in step).
"""

from __future__ import annotations

TEXT = "VARCHAR"
INTEGER = "BIGINT"
TIMESTAMP = "TIMESTAMP"

# Fields of export items, in landed column order (docs/ingest.md, export_items).
EXPORT_ITEM_FIELDS = (
    "date_text",
    "link",
    "title",
    "effect_link",
    "search_term",
    "shared_content",
    "share_method",
    "user_name",
    "hashtag_name",
    "hashtag_link",
    "comment_text",
    "comment_photo",
    "comment_video",
    "comment_url",
    "original_post_url",
    "likes_text",
    "who_can_view",
    "allow_comments",
    "allow_stitches",
    "allow_duets",
    "allow_stickers",
    "allow_sharing_to_story",
    "content_disclosure",
    "ai_generated_content",
    "sound",
    "location",
    "add_yours_text",
    "alternate_text",
    "cover_image",
    "collections_text",
    "profile_user_name",
    "profile_display_name",
    "profile_bio",
    "profile_likes_received",
    "profile_follower_count",
    "profile_following_count",
    "profile_region",
)

PROVENANCE = (("load_id", INTEGER), ("source_file", TEXT))

LANDED_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "manifest": (
        *PROVENANCE,
        ("raw_kind", TEXT),
        ("file_format", TEXT),
        ("file_size", INTEGER),
        ("file_sha256", TEXT),
        ("file_modified_at", TIMESTAMP),
        ("export_layout", TEXT),
        ("file_status", TEXT),
        ("status_reason", TEXT),
        ("landed_row_count", INTEGER),
        ("ingested_at", TIMESTAMP),
    ),
    "export_items": (
        *PROVENANCE,
        ("export_root", TEXT),
        ("export_layout", TEXT),
        ("list_name", TEXT),
        ("item_position", INTEGER),
        ("list_item_count", INTEGER),
        *((field, TEXT) for field in EXPORT_ITEM_FIELDS),
    ),
    "export_sections": (
        *PROVENANCE,
        ("export_root", TEXT),
        ("export_layout", TEXT),
        ("section_path", TEXT),
        ("list_name", TEXT),
        ("item_count", INTEGER),
        ("coverage_status", TEXT),
        ("status_reason", TEXT),
    ),
}

# ----------------------------------------------------------------------------- CSV kinds
# One landed table per CSV kind (docs/ingest.md, "CSV kinds"): one row per data row of each
# file, its raw cells as text under the kind's canonical column names (header aliases:
# seeds/csv_header_aliases.csv). `row_problem` says why a row could not be split into columns
# (staging quarantines it) and `row_text` holds the row as read (masked like free text) for
# those rows only; `row_repair` says how ingest repaired one (`unwrapped`: the row was wrapped
# whole in quotes and has been split again).
CSV_ROW_PROVENANCE = (
    *PROVENANCE,
    ("source_row", INTEGER),
    ("row_problem", TEXT),
    ("row_text", TEXT),
    ("row_repair", TEXT),
)

CLAIMS_FIELDS = (
    "original_row_number",
    "claim_status",
    "video_id",
    "video_duration_sec",
    "video_transcription_text",
    "verified_status",
    "author_ban_status",
    "video_view_count",
    "video_like_count",
    "video_share_count",
    "video_download_count",
    "video_comment_count",
)

# A re-upload repeats each K/M count column with its exact number under the same header:
# the copy lands as `<column>__2`.
TOP_CREATOR_COUNT_FIELDS = ("followers", "views_avg", "likes_avg", "comments_avg", "shares_avg")
TOP_CREATOR_FIELDS = (
    "rank",
    "handle",
    "display_name",
    "country",
    "profile_url",
    "scraped",
    *(name for field in TOP_CREATOR_COUNT_FIELDS for name in (field, f"{field}__2")),
)

CREATOR_PROFILE_FIELDS = (
    "timestamp",
    "account_id",
    "nickname",
    "biography",
    "awg_engagement_rate",
    "comment_engagement_rate",
    "like_engagement_rate",
    "bio_link",
    "is_verified",
    "followers",
    "following",
    "likes",
    "videos_count",
    "create_time",
    "id",
    "top_videos",
    "url",
    "profile_pic_url",
    "region",
    "predicted_lang",
    "is_commerce_user",
)

VIDEO_METADATA_FIELDS = (
    "video_id",
    "video_link",
    "description",
    "hashtags",
    "sound_title",
    "sound_id",
    "author_handle",
    "fetched_at",
    "fetch_source",
)

LANDED_TABLES.update(
    {
        "claims_rows": (*CSV_ROW_PROVENANCE, *((field, TEXT) for field in CLAIMS_FIELDS)),
        "top_creator_rows": (*CSV_ROW_PROVENANCE, *((field, TEXT) for field in TOP_CREATOR_FIELDS)),
        "creator_profile_rows": (*CSV_ROW_PROVENANCE, *((field, TEXT) for field in CREATOR_PROFILE_FIELDS)),
        # `metadata_origin`: `user` (a CSV under video_metadata/) or `enrichment` (the file the
        # enrichment step writes into the build dir).
        "video_metadata_rows": (
            *CSV_ROW_PROVENANCE,
            ("metadata_origin", TEXT),
            *((field, TEXT) for field in VIDEO_METADATA_FIELDS),
        ),
    }
)
