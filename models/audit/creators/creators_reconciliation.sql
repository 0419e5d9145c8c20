{#- Per raw file of the creator sources: raw rows = staged + quarantined + exact duplicates +
    repeated handles (a later row of a creator already listed in the same file). -#}

with

ranking_rows as (
    select * from {{ ref('stg_top_creators__ranking_rows') }}
),

profile_rows as (
    select * from {{ ref('stg_creator_profiles__profile_rows') }}
),

rankings as (
    select * from {{ ref('stg_top_creators__rankings') }}
),

profiles as (
    select * from {{ ref('stg_creator_profiles__profiles') }}
),

all_rows as (
    select
        'top_creators' as source_name,
        source_file,
        row_status
    from ranking_rows
    union all
    select
        'creator_profiles' as source_name,
        source_file,
        row_status
    from profile_rows
),

staged_rows as (
    select
        source_file,
        count(*) as n_rows
    from rankings
    group by source_file
    union all
    select
        source_file,
        count(*) as n_rows
    from profiles
    group by source_file
),

counted as (
    select
        source_name,
        source_file,
        count(*) as raw_rows,
        count(case when row_status = 'quarantined' then 1 end) as quarantined_rows,
        count(case when row_status = 'exact_duplicate' then 1 end) as exact_duplicate_rows,
        count(case when row_status = 'repeated_handle' then 1 end) as repeated_handle_rows
    from all_rows
    group by source_name, source_file
),

final as (
    select
        counted.source_name,
        counted.source_file,
        counted.raw_rows,
        coalesce(staged_rows.n_rows, 0) as staged_rows,
        counted.quarantined_rows,
        counted.exact_duplicate_rows,
        counted.repeated_handle_rows
    from counted
    left join staged_rows
        on counted.source_file = staged_rows.source_file
)

select * from final
