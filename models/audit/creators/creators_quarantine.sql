{#- Raw rows of the creator sources that could not be staged: file, position, the offending
    raw value and why. Nothing is dropped silently (see creators_reconciliation). -#}
with

ranking_rows as (
    select * from {{ ref('stg_top_creators__ranking_rows') }}
),

profile_rows as (
    select * from {{ ref('stg_creator_profiles__profile_rows') }}
),

quarantined as (
    select
        'top_creators' as source_name,
        source_file,
        source_row,
        raw_value,
        quarantine_reason
    from ranking_rows
    where row_status = 'quarantined'
    union all
    select
        'creator_profiles' as source_name,
        source_file,
        source_row,
        raw_value,
        quarantine_reason
    from profile_rows
    where row_status = 'quarantined'
)

select * from quarantined
