{#- Per video-metadata file (the user's CSVs and the enrichment step's file): raw rows = staged
    + quarantined + duplicates (rows for a video another row already gives, a user row winning
    over an enriched one). Each count comes from a different model, so a filter that loses
    rows shows up here. -#}
with

-- each read twice: the columns counted and joined only, not the whole rows
video_rows as (
    select
        source_file,
        source_row,
        video_id,
        quarantine_reason,
        metadata_origin
    from {{ ref('stg_video_metadata__video_rows') }}
),

videos as (
    select
        source_file,
        source_row,
        video_id
    from {{ ref('stg_video_metadata__videos') }}
),

quarantined as (
    select * from {{ ref('tiktok_export_quarantined_items') }}
    where list_name = 'video_metadata'
),

duplicates as (
    -- identified rows that are not the row kept for their video
    select video_rows.source_file
    from video_rows
    inner join videos
        on video_rows.video_id = videos.video_id
    where
        video_rows.quarantine_reason is null
        and (
            video_rows.source_file <> videos.source_file
            or video_rows.source_row <> videos.source_row
        )
),

reconciled as (
    {{ reconciliation_counts('source_file', [
        ['raw_rows', 'video_rows'],
        ['staged_rows', 'videos'],
        ['quarantined_rows', 'quarantined'],
        ['duplicate_rows', 'duplicates'],
        ['metadata_origin', 'video_rows', 'max(metadata_origin)'],
    ]) }}
)

select * from reconciled
