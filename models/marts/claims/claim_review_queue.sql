with

videos as (
    select * from {{ ref('claim_videos') }}
),

scores as (
    select * from {{ ref('stg_ml_scores__claim_scores') }}
),

scored as (
    select
        videos.*,
        scores.claim_probability,
        scores.predicted_label,
        scores.needs_review,
        scores.model_version,
        videos.is_labelled and scores.predicted_label <> videos.claim_status as is_label_disagreement
    from videos
    inner join scores
        on videos.video_id = scores.video_id
),

queued as (
    select
        *,
        case
            when needs_review and not has_counts and video_transcription_text is null
                then 'nothing to score on: no counts, no transcript'
            when needs_review then 'mid-confidence score'
            when is_label_disagreement then 'model disagrees with the label'
            when not is_labelled then 'unlabelled, predicted claim'
        end as review_reason
    from scored
    where
        needs_review
        or is_label_disagreement
        or (not is_labelled and predicted_label = 'claim')
),

final as (
    select
        ---------- queue order: most likely claims first, then the widest reach
        row_number() over (
            order by claim_probability desc, coalesce(video_view_count, -1) desc, video_id
        ) as queue_position,
        ---------- ids
        video_id,
        ---------- why it is here
        review_reason,
        needs_review,
        is_label_disagreement,
        ---------- model
        claim_probability,
        predicted_label,
        model_version,
        ---------- what the moderator sees
        claim_status,
        is_labelled,
        video_transcription_text,
        verified_status,
        author_ban_status,
        video_view_count,
        total_engagement_rate
    from queued
)

select * from final
order by queue_position
