{{ config(**export_event_config('watch_history')) }}

with

items as (
    {{ export_items_to_stage('watch_history') }}
),

parsed as (
    select
        account_id,
        video_id,
        event_at as watched_at,
        {{ video_id_created_at('video_id') }} as video_created_at,
        {{ export_text('title') }} as video_title,
        link as video_link,
        source_file,
        export_layout,
        item_position,
        load_id
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'watched_at', 'video_id']) }}
),

final as (
    select
        ---------- ids
        {{ export_list_event_id('watch_history', ['account_id', 'watched_at', 'video_id']) }} as watch_id,
        account_id,
        video_id,
        watched_at,
        video_created_at,
        video_title,
        video_link,
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
