{{ config(**export_event_config('comments')) }}

with

items as (
    {{ export_items_to_stage('comments') }}
),

parsed as (
    select
        account_id,
        video_id,
        event_at as commented_at,
        comment_text,
        -- the commented post: v3 `originalPostUrl`, v1/v2 `url`, else v3 `video`
        coalesce(
            {{ export_text('original_post_url') }},
            {{ export_text('url') }},
            {{ export_text('comment_video') }}
        ) as video_link,
        source_file,
        export_layout,
        item_position,
        load_id
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'commented_at', 'video_id', 'comment_text']) }}
),

final as (
    select
        ---------- ids
        {{ export_list_event_id(
            'comments', ['account_id', 'commented_at', 'video_id', 'comment_text']
        ) }} as comment_id,
        account_id,
        video_id,
        commented_at,
        comment_text,
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
