{{ config(**export_event_config('favorite_hashtags')) }}

with

items as (
    {{ export_items_to_stage('favorite_hashtags') }}
),

parsed as (
    select
        account_id,
        {{ normalize_hashtag(hashtag_from_link('link')) }} as hashtag,
        event_at as favorited_at,
        link as hashtag_link,
        source_file,
        export_layout,
        item_position,
        load_id
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'favorited_at', 'hashtag']) }}
),

final as (
    select
        ---------- ids
        {{ export_list_event_id(
            'favorite_hashtags', ['account_id', 'favorited_at', 'hashtag']
        ) }} as favorite_hashtag_id,
        account_id,
        hashtag,
        favorited_at,
        hashtag_link,
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
