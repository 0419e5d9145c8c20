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

staged as (
    select
        'top_creators' as source_name,
        source_file
    from rankings
    union all
    select
        'creator_profiles' as source_name,
        source_file
    from profiles
),

final as (
    {{ reconciliation_counts(['source_name', 'source_file'], [
        ['raw_rows', 'all_rows'],
        ['staged_rows', 'staged'],
        ['quarantined_rows', 'all_rows', "count(case when row_status = 'quarantined' then 1 end)"],
        ['exact_duplicate_rows', 'all_rows', "count(case when row_status = 'exact_duplicate' then 1 end)"],
        ['repeated_handle_rows', 'all_rows', "count(case when row_status = 'repeated_handle' then 1 end)"],
    ]) }}
)

select * from final
