with

items as (
    {{ export_items_to_stage(ref('stg_tiktok_export__list_items'), 'posts') }}
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
        {{ export_integer('collections_text') }} as collections_count,
        {{ export_text('who_can_view') }} as who_can_view,
        {{ export_flag('allow_comments') }} as is_comment_allowed,
        {{ export_flag('allow_stitches') }} as is_stitch_allowed,
        {{ export_flag('allow_duets') }} as is_duet_allowed,
        {{ export_flag('allow_stickers') }} as is_sticker_allowed,
        {{ export_flag('allow_sharing_to_story') }} as is_story_sharing_allowed,
        {{ export_flag('ai_generated_content') }} as is_ai_generated,
        {{ export_text('content_disclosure') }} as content_disclosure,
        {{ export_text('location') }} as location_name,
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
        {{ export_event_id(['account_id', 'posted_at', 'video_id']) }} as post_id,
        account_id,
        video_id,
        posted_at,
        video_created_at,
        caption,
        sound_title,
        sound_key,
        likes_count,
        collections_count,
        who_can_view,
        is_comment_allowed,
        is_stitch_allowed,
        is_duet_allowed,
        is_sticker_allowed,
        is_story_sharing_allowed,
        is_ai_generated,
        content_disclosure,
        location_name,
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
