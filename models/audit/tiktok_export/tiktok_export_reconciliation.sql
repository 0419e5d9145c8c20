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

-- the CTEs read twice name their columns: the engine keeps a copy of a CTE read twice, and
-- the item and video tables are the widest of the build
quarantined as (
    select
        account_id,
        list_name
    from {{ ref('tiktok_export_quarantined_items') }}
),

video_rows as (
    select source_row from {{ ref('stg_video_metadata__video_rows') }}
),

videos as (
    select file_copies from {{ ref('stg_video_metadata__videos') }}
),

raw_lists as (
    -- ingest's count of each list in each export file, attributed to the file's account
    select
        accounts.account_id,
        sections.list_name,
        sections.item_count
    from sections
    inner join accounts
        on sections.export_root = accounts.export_root
    where sections.list_name is not null and sections.list_name <> 'profile'
),

landed_items as (
    select
        account_id,
        list_name
    from items
    where list_name <> 'profile'
),

staged_lists as (
    {{ export_staged_counts(export_list_relations()) }}
),

quarantined_items as (
    select
        account_id,
        list_name
    from quarantined
    where list_name <> 'video_metadata'
),

account_lists as (
    -- every list with a raw item or a landed item (an empty raw list has no row)
    select
        account_id,
        list_name
    from raw_lists
    group by account_id, list_name
    having sum(item_count) > 0
    union
    select
        account_id,
        list_name
    from landed_items
),

export_lists as (
    {{ reconciliation_counts(['account_id', 'list_name'], [
        ['raw_item_count', 'raw_lists', 'cast(sum(item_count) as bigint)'],
        ['landed_item_count', 'landed_items'],
        ['staged_row_count', 'staged_lists', 'cast(sum(staged_row_count) as bigint)'],
        ['duplicate_row_count', 'staged_lists', 'cast(sum(duplicate_row_count) as bigint)'],
        ['quarantined_row_count', 'quarantined_items'],
    ], keys_from='account_lists') }}
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
