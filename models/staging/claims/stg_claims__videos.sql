with

video_rows as (
    select * from {{ ref('stg_claims__video_rows') }}
),

kept as (
    select
        ---------- ids
        video_id,
        ---------- label (null on the course file's unlabelled rows: those are what a model scores)
        claim_status,
        claim_status is not null as is_labelled,
        case claim_status
            when 'claim' then true
            when 'opinion' then false
        end as is_claim,
        ---------- video
        video_duration_sec,
        video_transcription_text,
        ---------- author
        verified_status,
        verified_status = 'verified' as is_verified,
        author_ban_status,
        ---------- counts
        video_view_count,
        video_like_count,
        video_share_count,
        video_download_count,
        video_comment_count,
        ---------- provenance
        source_file,
        source_row,
        original_row_number,
        video_row_count
    from video_rows
    where is_kept
)

select * from kept
