with

items as (
    {{ export_items_to_stage(ref('stg_tiktok_export__list_items'), 'searches') }}
),

parsed as (
    select
        account_id,
        {{ export_text('search_term') }} as search_term,
        event_at as searched_at,
        source_file,
        export_layout,
        item_position
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'searched_at', 'search_term']) }}
),

final as (
    select
        ---------- ids
        {{ export_event_id(['account_id', 'searched_at', 'search_term']) }} as search_id,
        account_id,
        search_term,
        searched_at,
        ---------- provenance (surviving copy: smallest source_file, then position)
        source_file,
        export_layout,
        item_position,
        export_copies
    from deduplicated
    where copy_rank = 1
)

select * from final
