{#- The claim classifier's frame: every video, its features and its label (null for the
    course file's unlabelled rows, which are scored but never trained or evaluated on). -#}
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
        video_view_count,
        video_like_count,
        video_comment_count,
        video_share_count,
        video_download_count,
        ---------- label
        is_labelled,
        case when is_labelled then is_claim end as is_claim,
        ---------- nothing to score on (no counts and no transcript): sent to review
        (
            not has_counts
            and coalesce(trim(video_transcription_text), '') = ''
        ) as has_nothing_to_score
    from videos
)

select * from final
