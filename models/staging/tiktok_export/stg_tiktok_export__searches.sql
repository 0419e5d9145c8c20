{{ config(**export_event_config('searches')) }}

with

items as (
    {{ export_items_to_stage('searches') }}
),

parsed as (
    select
        account_id,
        {{ export_text('search_term') }} as search_term,
        event_at as searched_at,
        source_file,
        export_layout,
        item_position,
        load_id
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'searched_at', 'search_term']) }}
),

final as (
    select
        ---------- ids
        {{ export_list_event_id('searches', ['account_id', 'searched_at', 'search_term']) }} as search_id,
        account_id,
        search_term,
        searched_at,
        ---------- provenance (surviving copy: smallest source_file, then position)
        source_file,
        export_layout,
        item_position,
        export_copies,
        latest_load_id as load_id
    from deduplicated
    where copy_rank = 1
)

select * from final
