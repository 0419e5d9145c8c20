{#-
  Counts reconcile per account and list: the items the raw lists hold (ingest's count of each
  list in each export file, summed over the account's files) = items landed = rows staged +
  copies merged away as duplicates of another export's item + rows quarantined. Grain: one row
  per (account_id, list_name) with any raw or landed item, plus one row for the video-metadata
  files (which belong to no account).
-#}

with

sections as (
    select * from {{ source('tiktok_export', 'export_sections') }}
),

accounts as (
    select * from {{ ref('base_tiktok_export__accounts') }}
),

items as (
    select * from {{ ref('stg_tiktok_export__list_items') }}
),

quarantined as (
    select * from {{ ref('tiktok_export_quarantined_items') }}
),

video_rows as (
    select * from {{ ref('stg_video_metadata__video_rows') }}
),

videos as (
    select * from {{ ref('stg_video_metadata__videos') }}
),

raw_counts as (
    select
        accounts.account_id,
        sections.list_name,
        cast(sum(sections.item_count) as bigint) as raw_item_count
    from sections
    inner join accounts
        on sections.export_root = accounts.export_root
    where sections.list_name is not null and sections.list_name <> 'profile'
    group by accounts.account_id, sections.list_name
),

landed_counts as (
    select
        account_id,
        list_name,
        count(*) as landed_item_count
    from items
    where list_name <> 'profile'
    group by account_id, list_name
),

staged_counts as (
    {{ export_staged_counts(export_list_relations()) }}
),

quarantined_counts as (
    select
        account_id,
        list_name,
        count(*) as quarantined_row_count
    from quarantined
    where list_name <> 'video_metadata'
    group by account_id, list_name
),

account_lists as (
    select
        account_id,
        list_name
    from raw_counts
    where raw_item_count > 0
    union
    select
        account_id,
        list_name
    from landed_counts
),

export_lists as (
    select
        account_lists.account_id,
        account_lists.list_name,
        coalesce(raw_counts.raw_item_count, 0) as raw_item_count,
        coalesce(landed_counts.landed_item_count, 0) as landed_item_count,
        coalesce(staged_counts.staged_row_count, 0) as staged_row_count,
        coalesce(staged_counts.duplicate_row_count, 0) as duplicate_row_count,
        coalesce(quarantined_counts.quarantined_row_count, 0) as quarantined_row_count
    from account_lists
    left join raw_counts
        on
            account_lists.account_id = raw_counts.account_id
            and account_lists.list_name = raw_counts.list_name
    left join landed_counts
        on
            account_lists.account_id = landed_counts.account_id
            and account_lists.list_name = landed_counts.list_name
    left join staged_counts
        on
            account_lists.account_id = staged_counts.account_id
            and account_lists.list_name = staged_counts.list_name
    left join quarantined_counts
        on
            account_lists.account_id = quarantined_counts.account_id
            and account_lists.list_name = quarantined_counts.list_name
),

video_metadata as (
    -- the optional metadata files belong to no account: one row for all of them
    select
        cast(null as {{ dbt.type_string() }}) as account_id,
        'video_metadata' as list_name,
        (select count(*) from video_rows) as raw_item_count,
        (select count(*) from video_rows) as landed_item_count,
        (select count(*) from videos) as staged_row_count,
        (select cast(coalesce(sum(file_copies), 0) - count(*) as bigint) from videos) as duplicate_row_count,
        (
            select count(*) from quarantined
            where list_name = 'video_metadata'
        ) as quarantined_row_count
),

final as (
    select
        ---------- ids
        account_id,
        list_name,
        ---------- counts
        raw_item_count,
        staged_row_count,
        duplicate_row_count,
        quarantined_row_count,
        landed_item_count
    from export_lists
    union all
    select
        account_id,
        list_name,
        raw_item_count,
        staged_row_count,
        duplicate_row_count,
        quarantined_row_count,
        landed_item_count
    from video_metadata
)

select * from final
