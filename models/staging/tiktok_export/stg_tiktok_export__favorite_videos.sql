with

items as (
    select * from {{ ref('stg_tiktok_export__list_items') }}
    where list_name = 'favorite_videos' and quarantine_reason is null
),

parsed as (
    select
        account_id,
        video_id,
        event_at as favorited_at,
        {{ video_id_created_at('video_id') }} as video_created_at,
        link as video_link,
        source_file,
        export_layout,
        item_position
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'favorited_at', 'video_id']) }}
),

final as (
    select
        ---------- ids
        {{ export_event_id(['account_id', 'favorited_at', 'video_id']) }} as favorite_video_id,
        account_id,
        video_id,
        favorited_at,
        video_created_at,
        video_link,
        ---------- provenance (surviving copy: smallest source_file, then position)
        source_file,
        export_layout,
        item_position,
        export_copies
    from deduplicated
    where copy_rank = 1
)

select * from final
