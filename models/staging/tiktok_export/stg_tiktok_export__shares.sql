with

items as (
    {{ export_items_to_stage(ref('stg_tiktok_export__list_items'), 'shares') }}
),

parsed as (
    select
        account_id,
        video_id,
        event_at as shared_at,
        {{ export_text('shared_content') }} as shared_content,
        {{ export_text('method') }} as share_method,
        {{ export_text('link') }} as shared_link,
        source_file,
        export_layout,
        item_position
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'shared_at', 'shared_link', 'shared_content']) }}
),

final as (
    select
        ---------- ids
        {{ export_event_id(['account_id', 'shared_at', 'shared_link', 'shared_content']) }} as share_id,
        account_id,
        video_id,
        shared_at,
        shared_content,
        share_method,
        shared_link,
        ---------- provenance (surviving copy: smallest source_file, then position)
        source_file,
        export_layout,
        item_position,
        export_copies
    from deduplicated
    where copy_rank = 1
)

select * from final
