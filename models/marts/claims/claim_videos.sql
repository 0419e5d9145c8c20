with

rated as (
    select * from {{ ref('int_claim_videos_rated') }}
),

final as (
    select
        ---------- ids
        video_id,
        ---------- label
        claim_status,
        is_labelled,
        is_claim,
        ---------- video
        video_duration_sec,
        video_transcription_text,
        ---------- author
        verified_status,
        is_verified,
        author_ban_status,
        ---------- counts
        video_view_count,
        video_like_count,
        video_comment_count,
        video_share_count,
        video_download_count,
        has_counts,
        ---------- engagement rates
        like_rate,
        comment_rate,
        share_rate,
        download_rate,
        total_engagement_rate,
        ---------- provenance
        source_file,
        source_row
    from rated
)

select * from final
