{#- the values two rows of one video are compared on (the file's own row number `#` is not) -#}
{%- set compared_columns = [
    'claim_status', 'video_duration_sec', 'video_transcription_text', 'verified_status',
    'author_ban_status', 'video_view_count', 'video_like_count', 'video_share_count',
    'video_download_count', 'video_comment_count',
] -%}

with

-- read twice (kept, superseded): the columns compared only, not the whole row
video_rows as (
    select
        {%- for column in compared_columns %}
            {{ column }},
        {%- endfor %}
        source_file,
        source_row,
        video_id,
        is_kept,
        is_valid
    from {{ ref('stg_claims__video_rows') }}
),

kept as (
    select * from video_rows
    where is_kept
),

superseded as (
    select * from video_rows
    where is_valid and not is_kept
),

compared as (
    select
        ---------- where
        superseded.source_file,
        superseded.source_row,
        superseded.video_id,
        ---------- the row kept instead
        kept.source_file as kept_source_file,
        kept.source_row as kept_source_row,
        ---------- how it differs (the file's own row number `#` is ignored)
        {{ claims_null_safe_equal_all('superseded', 'kept', compared_columns) }} as is_exact_duplicate,
        superseded.video_view_count - kept.video_view_count as view_count_difference,
        not coalesce(
            superseded.claim_status = kept.claim_status,
            superseded.claim_status is null and kept.claim_status is null
        ) as has_conflicting_label
    from superseded
    inner join kept
        on superseded.video_id = kept.video_id
)

select * from compared
