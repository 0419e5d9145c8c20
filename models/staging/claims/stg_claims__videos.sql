with

source as (
    select * from {{ raw_source('claims', 'claims_videos') }}
),

renamed as (
    select
        ---------- ids
        try_cast(video_id as bigint) as video_id,
        ---------- attributes
        nullif(trim(claim_status), '') as claim_status,
        try_cast(video_duration_sec as integer) as video_duration_sec,
        nullif(trim(video_transcription_text), '') as video_transcription_text,
        nullif(trim(verified_status), '') as verified_status,
        nullif(trim(author_ban_status), '') as author_ban_status,
        ---------- counts
        try_cast(video_view_count as bigint) as video_view_count,
        try_cast(video_like_count as bigint) as video_like_count,
        try_cast(video_share_count as bigint) as video_share_count,
        try_cast(video_download_count as bigint) as video_download_count,
        try_cast(video_comment_count as bigint) as video_comment_count,
        ---------- provenance
        source_file,
        source_row
    from source
)

select * from renamed
