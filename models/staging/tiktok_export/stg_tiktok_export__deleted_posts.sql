with

items as (
    {{ export_items_to_stage(ref('stg_tiktok_export__list_items'), 'deleted_posts') }}
),

parsed as (
    select
        account_id,
        video_id,
        event_at as posted_at,
        {{ video_id_created_at('video_id') }} as video_created_at,
        {{ export_text('title') }} as caption,
        {{ export_text('sound') }} as sound_title,
        {{ normalize_sound_title(export_text('sound')) }} as sound_key,
        {{ export_integer('likes_text') }} as likes_count,
        link as video_link,
        source_file,
        export_layout,
        item_position
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'posted_at', 'video_id']) }}
),

final as (
    select
        ---------- ids
        {{ export_event_id(['account_id', 'posted_at', 'video_id']) }} as deleted_post_id,
        account_id,
        video_id,
        posted_at,
        video_created_at,
        caption,
        sound_title,
        sound_key,
        likes_count,
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
