with

items as (
    {{ export_items_to_stage(ref('stg_tiktok_export__list_items'), 'following') }}
),

parsed as (
    select
        account_id,
        user_name_key,
        event_at as followed_at,
        source_file,
        export_layout,
        item_position
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'followed_at', 'user_name_key']) }}
),

final as (
    select
        ---------- ids
        {{ export_event_id(['account_id', 'followed_at', 'user_name_key']) }} as following_id,
        account_id,
        user_name_key,
        followed_at,
        ---------- provenance (surviving copy: smallest source_file, then position)
        source_file,
        export_layout,
        item_position,
        export_copies
    from deduplicated
    where copy_rank = 1
)

select * from final
