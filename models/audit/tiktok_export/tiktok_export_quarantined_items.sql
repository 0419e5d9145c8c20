{#-
  Export items (and video-metadata rows) that could not be staged, with the reason: nothing
  vanishes silently. Grain: one row per (source_file, list_name, item_position).
-#}
with

items as (
    select * from {{ ref('stg_tiktok_export__list_items') }}
    where quarantine_reason is not null
),

video_metadata as (
    select * from {{ ref('stg_video_metadata__video_rows') }}
    where quarantine_reason is not null
),

export_items as (
    select
        account_id,
        source_file,
        export_layout,
        list_name,
        item_position,
        case
            when quarantine_reason in ('missing date', 'unparseable date') then date_text
            when list_name = 'searches' then search_term
            when list_name = 'favorite_effects' then effect_link
            when list_name = 'hashtags_used' then hashtag_name
            when list_name in ('following', 'followers') then cast(null as {{ dbt.type_string() }})
            when list_name = 'comments' then coalesce(original_post_url, url, comment_video)
            else link
        end as raw_value,
        quarantine_reason
    from items
),

metadata_rows as (
    select
        cast(null as {{ dbt.type_string() }}) as account_id,
        source_file,
        'csv' as export_layout,
        'video_metadata' as list_name,
        source_row as item_position,
        coalesce(video_link, video_id_text) as raw_value,
        quarantine_reason
    from video_metadata
),

final as (
    select * from export_items
    union all
    select * from metadata_rows
)

select * from final
