{#- The engagement-rate regression's frame: every video with a rate. Its features are what is
    known before anyone engages (duration, author status, transcript). Views, likes, comments,
    shares and downloads are the target's own numerator and denominator: kept here only for the
    leakage check, never features (ml/claims.py). -#}
with

videos as (
    select * from {{ ref('claim_videos') }}
),

final as (
    select
        ---------- ids
        video_id,
        ---------- features
        video_duration_sec,
        video_transcription_text,
        verified_status,
        author_ban_status,
        ---------- target and its components (leakage check only)
        total_engagement_rate,
        video_view_count,
        video_like_count,
        video_comment_count,
        video_share_count,
        video_download_count
    from videos
    where total_engagement_rate is not null
)

select * from final
