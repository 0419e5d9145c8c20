{#-
  The user's own posts. A post's `Link` is a signed CDN URL (several image URLs, one per line,
  for a photo post) that expires and names no video, so a post is identified by its account and
  time; `posted_at_unix` is that time in whole seconds, which is also the top 32 bits of the
  post's public video id (another source's video created within a second or two is this post).
-#}
{{ config(**export_event_config('posts')) }}

with

items as (
    {{ export_items_to_stage('posts') }}
),

parsed as (
    select
        account_id,
        -- only where the link is a TikTok video URL (older or hand-made files); null for CDN links
        video_id,
        event_at as posted_at,
        {{ unix_seconds('event_at') }} as posted_at_unix,
        {{ video_id_created_at('video_id') }} as video_created_at,
        {{ is_photo_link('link') }} as is_photo_post,
        {{ export_text('title') }} as caption,
        {{ post_sound_columns('sound') }},
        {{ export_integer('likes_text') }} as likes_count,
        {{ export_integer('collections_text') }} as collections_count,
        {{ export_text('who_can_view') }} as who_can_view,
        {{ post_visibility('who_can_view') }} as visibility,
        {{ export_flag('allow_comments') }} as is_comment_allowed,
        {{ export_flag('allow_stitches') }} as is_stitch_allowed,
        {{ export_flag('allow_duets') }} as is_duet_allowed,
        {{ export_flag('allow_stickers') }} as is_sticker_allowed,
        {{ export_flag('allow_sharing_to_story') }} as is_story_sharing_allowed,
        {{ export_flag('ai_generated_content') }} as is_ai_generated,
        {{ export_text('content_disclosure') }} as content_disclosure,
        {{ export_text('location') }} as location_name,
        {{ export_text('add_yours_text') }} as add_yours_text,
        {{ export_text('alternate_text') }} as alternate_text,
        link as video_link,
        source_file,
        export_layout,
        item_position,
        load_id
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'posted_at']) }}
),

final as (
    select
        ---------- ids
        {{ export_list_event_id('posts', ['account_id', 'posted_at']) }} as post_id,
        account_id,
        video_id,
        ---------- timestamps
        posted_at,
        posted_at_unix,
        video_created_at,
        ---------- attributes
        is_photo_post,
        caption,
        sound_title,
        sound_artist,
        is_original_sound,
        sound_key,
        likes_count,
        collections_count,
        who_can_view,
        visibility,
        is_comment_allowed,
        is_stitch_allowed,
        is_duet_allowed,
        is_sticker_allowed,
        is_story_sharing_allowed,
        is_ai_generated,
        content_disclosure,
        location_name,
        add_yours_text,
        alternate_text,
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
