{#- Per raw file: every row is staged, quarantined or a duplicate of a staged row. Each count
    comes from a different model, so a filter that loses rows shows up here. -#}
with

video_rows as (
    select * from {{ ref('stg_claims__video_rows') }}
),

videos as (
    select * from {{ ref('stg_claims__videos') }}
),

quarantined as (
    select * from {{ ref('claims_videos_quarantined') }}
),

duplicates as (
    select * from {{ ref('claims_videos_duplicates') }}
),

raw_counts as (
    select
        source_file,
        count(*) as raw_rows,
        count(case when is_wrapped_line then 1 end) as wrapped_line_rows
    from video_rows
    group by source_file
),

staged_counts as (
    select
        source_file,
        count(*) as staged_rows,
        count(case when not is_labelled then 1 end) as unlabelled_rows
    from videos
    group by source_file
),

quarantined_counts as (
    select
        source_file,
        count(*) as quarantined_rows
    from quarantined
    group by source_file
),

duplicate_counts as (
    select
        source_file,
        count(*) as duplicate_rows,
        count(case when is_exact_duplicate then 1 end) as exact_duplicate_rows,
        count(case when not is_exact_duplicate then 1 end) as conflicting_duplicate_rows
    from duplicates
    group by source_file
),

reconciled as (
    select
        raw_counts.source_file,
        raw_counts.raw_rows,
        coalesce(staged_counts.staged_rows, 0) as staged_rows,
        coalesce(quarantined_counts.quarantined_rows, 0) as quarantined_rows,
        coalesce(duplicate_counts.duplicate_rows, 0) as duplicate_rows,
        coalesce(duplicate_counts.exact_duplicate_rows, 0) as exact_duplicate_rows,
        coalesce(duplicate_counts.conflicting_duplicate_rows, 0) as conflicting_duplicate_rows,
        coalesce(staged_counts.unlabelled_rows, 0) as unlabelled_rows,
        raw_counts.wrapped_line_rows
    from raw_counts
    left join staged_counts
        on raw_counts.source_file = staged_counts.source_file
    left join quarantined_counts
        on raw_counts.source_file = quarantined_counts.source_file
    left join duplicate_counts
        on raw_counts.source_file = duplicate_counts.source_file
)

select * from reconciled
