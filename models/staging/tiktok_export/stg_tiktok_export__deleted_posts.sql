{#- Recently deleted posts: identified like posts, by account and time (stg_tiktok_export__posts). -#}
{{ config(**export_event_config('deleted_posts')) }}

with

items as (
    {{ export_items_to_stage('deleted_posts') }}
),

parsed as (
    select
        account_id,
        video_id,
        event_at as posted_at,
        {{ unix_seconds('event_at') }} as posted_at_unix,
        {{ video_id_created_at('video_id') }} as video_created_at,
        {{ is_photo_link('link') }} as is_photo_post,
        {{ export_text('title') }} as caption,
        {{ post_sound_columns('sound') }},
        {{ export_integer('likes_text') }} as likes_count,
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
        {{ export_list_event_id('deleted_posts', ['account_id', 'posted_at']) }} as deleted_post_id,
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
