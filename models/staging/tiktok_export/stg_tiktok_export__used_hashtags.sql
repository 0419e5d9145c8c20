{{ config(**export_event_config('hashtags_used')) }}

with

items as (
    {{ export_items_to_stage('hashtags_used') }}
),

parsed as (
    select
        account_id,
        {{ normalize_hashtag(export_text('hashtag_name')) }} as hashtag,
        {{ export_text('hashtag_name') }} as hashtag_name,
        {{ export_text('hashtag_link') }} as hashtag_link,
        source_file,
        export_layout,
        item_position,
        load_id
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'hashtag']) }}
),

final as (
    select
        ---------- ids
        {{ export_list_event_id('hashtags_used', ['account_id', 'hashtag']) }} as used_hashtag_id,
        account_id,
        hashtag,
        hashtag_name,
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
