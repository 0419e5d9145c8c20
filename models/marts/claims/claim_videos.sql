with

videos as (
    select * from {{ ref('stg_claims__videos') }}
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
        video_view_count is not null as has_counts,
        ---------- engagement rates: fractions of views (null without views)
        cast(video_like_count as double) / nullif(video_view_count, 0) as like_rate,
        cast(video_comment_count as double) / nullif(video_view_count, 0) as comment_rate,
        cast(video_share_count as double) / nullif(video_view_count, 0) as share_rate,
        cast(video_download_count as double) / nullif(video_view_count, 0) as download_rate,
        cast(
            video_like_count + video_comment_count + video_share_count + video_download_count as double
        ) / nullif(video_view_count, 0) as total_engagement_rate,
        ---------- provenance
        source_file,
        source_row
    from videos
)

select * from final
