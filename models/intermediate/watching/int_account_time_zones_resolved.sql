{#-
  The time zone each account's local times are read in. First the var local_time_zone (one IANA
  name, or one per account); else the profile's region when the region has one time zone (seed
  region_time_zones); else UTC. An account with several exports may show several regions: the
  one of the export whose file path sorts last (export folders are usually named by date or
  timestamp) counts.
  Grain: one row per account with a profile or any export event.
-#}

with

profiles as (
    select * from {{ ref('stg_tiktok_export__profiles') }}
),

events as (
    select * from {{ ref('int_export_events_unioned') }}
),

region_time_zones as (
    select * from {{ ref('region_time_zones') }}
),

accounts as (
    select account_id from profiles
    union
    select account_id from events
),

profile_regions as (
    select
        account_id,
        upper(trim(account_region)) as region_code,
        row_number() over (partition by account_id order by source_file desc) as region_rank
    from profiles
    where trim(account_region) <> ''
),

account_regions as (
    select
        account_id,
        region_code
    from profile_regions
    where region_rank = 1
),

candidates as (
    select
        accounts.account_id,
        account_regions.region_code,
        {{ local_time_zone_override('accounts.account_id') }} as var_time_zone,
        region_time_zones.time_zone as region_time_zone
    from accounts
    left join account_regions
        on accounts.account_id = account_regions.account_id
    left join region_time_zones
        on account_regions.region_code = region_time_zones.region_code
),

final as (
    select
        ---------- ids
        account_id,
        ---------- attributes
        region_code as account_region,
        coalesce(var_time_zone, region_time_zone, 'UTC') as time_zone,
        case
            when var_time_zone is not null then 'var'
            when region_time_zone is not null then 'profile region'
            else 'UTC fallback'
        end as time_zone_source
    from candidates
)

select * from final
