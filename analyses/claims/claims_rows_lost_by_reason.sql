-- Which claims rows did not make it into stg_claims__videos, and why: run with
-- `dbt compile --select claims_rows_lost_by_reason` and paste the SQL into a DuckDB shell.
with

quarantined as (
    select * from {{ ref('claims_videos_quarantined') }}
),

duplicates as (
    select * from {{ ref('claims_videos_duplicates') }}
),

lost as (
    select
        source_file,
        reason,
        count(*) as n_rows,
        min(source_row) as first_source_row
    from quarantined
    group by source_file, reason
    union all
    select
        source_file,
        case
            when is_exact_duplicate then 'exact duplicate of a kept row'
            else 'older or other copy of a kept video (values differ)'
        end as reason,
        count(*) as n_rows,
        min(source_row) as first_source_row
    from duplicates
    group by source_file, is_exact_duplicate
)

select * from lost
order by source_file asc, n_rows desc
