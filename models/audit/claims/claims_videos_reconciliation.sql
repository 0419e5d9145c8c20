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

reconciled as (
    {{ reconciliation_counts('source_file', [
        ['raw_rows', 'video_rows'],
        ['staged_rows', 'videos'],
        ['quarantined_rows', 'quarantined'],
        ['duplicate_rows', 'duplicates'],
        ['exact_duplicate_rows', 'duplicates', 'count(case when is_exact_duplicate then 1 end)'],
        ['conflicting_duplicate_rows', 'duplicates', 'count(case when not is_exact_duplicate then 1 end)'],
        ['unlabelled_rows', 'videos', 'count(case when not is_labelled then 1 end)'],
        ['wrapped_line_rows', 'video_rows', 'count(case when is_wrapped_line then 1 end)'],
    ]) }}
)

select * from reconciled
