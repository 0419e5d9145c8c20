with

items as (
    {{ export_items_to_stage(ref('stg_tiktok_export__list_items'), 'comments') }}
),

parsed as (
    select
        account_id,
        video_id,
        event_at as commented_at,
        comment_text,
        {{ export_text('coalesce(original_post_url, url)') }} as video_link,
        source_file,
        export_layout,
        item_position
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'commented_at', 'video_id', 'comment_text']) }}
),

final as (
    select
        ---------- ids
        {{ export_event_id(['account_id', 'commented_at', 'video_id', 'comment_text']) }} as comment_id,
        account_id,
        video_id,
        commented_at,
        comment_text,
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
