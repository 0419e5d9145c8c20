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
