{#-
  Counts reconcile: per account and list, the items in the raw lists (array lengths / TXT
  blocks, summed over every export file) = rows staged + copies merged away as duplicates of
  another export's item + rows quarantined. Grain: one row per (account_id, list_name).
-#}
{%- set staged = {
    'watch_history': 'stg_tiktok_export__watches',
    'likes': 'stg_tiktok_export__likes',
    'favorite_videos': 'stg_tiktok_export__favorite_videos',
    'favorite_sounds': 'stg_tiktok_export__favorite_sounds',
    'favorite_hashtags': 'stg_tiktok_export__favorite_hashtags',
    'favorite_effects': 'stg_tiktok_export__favorite_effects',
    'searches': 'stg_tiktok_export__searches',
    'shares': 'stg_tiktok_export__shares',
    'following': 'stg_tiktok_export__followings',
    'followers': 'stg_tiktok_export__followers',
    'hashtags_used': 'stg_tiktok_export__used_hashtags',
    'posts': 'stg_tiktok_export__posts',
    'deleted_posts': 'stg_tiktok_export__deleted_posts',
    'comments': 'stg_tiktok_export__comments',
} -%}
{%- set staged_relations = {} -%}
{%- for list_name, model in staged.items() -%}
    {%- do staged_relations.update({list_name: ref(model)}) -%}
{%- endfor -%}

with

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
    -- the list length each file declares, once per file and list
    select
        account_id,
        list_name,
        cast(sum(list_item_count) as bigint) as raw_item_count
    from (
        select distinct
            account_id,
            source_file,
            list_name,
            list_item_count
        from items
        where list_name <> 'profile'
    ) as per_file
    group by account_id, list_name
),

staged_counts as (
    {{ export_staged_counts(staged_relations) }}
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

export_lists as (
    select
        raw_counts.account_id,
        raw_counts.list_name,
        raw_counts.raw_item_count,
        coalesce(staged_counts.staged_row_count, 0) as staged_row_count,
        coalesce(staged_counts.duplicate_row_count, 0) as duplicate_row_count,
        coalesce(quarantined_counts.quarantined_row_count, 0) as quarantined_row_count
    from raw_counts
    left join staged_counts
        on
            raw_counts.account_id = staged_counts.account_id
            and raw_counts.list_name = staged_counts.list_name
    left join quarantined_counts
        on
            raw_counts.account_id = quarantined_counts.account_id
            and raw_counts.list_name = quarantined_counts.list_name
),

video_metadata as (
    -- the optional metadata files belong to no account: one row for all of them
    select
        cast(null as {{ dbt.type_string() }}) as account_id,
        'video_metadata' as list_name,
        (select count(*) from video_rows) as raw_item_count,
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
        quarantined_row_count
    from export_lists
    union all
    select
        account_id,
        list_name,
        raw_item_count,
        staged_row_count,
        duplicate_row_count,
        quarantined_row_count
    from video_metadata
)

select * from final
