{{ config(**export_event_config('shares')) }}

with

items as (
    {{ export_items_to_stage('shares') }}
),

parsed as (
    select
        account_id,
        -- null for a share of no video (https://www.tiktok.com/, a foryou?... link): still a share
        video_id,
        event_at as shared_at,
        {{ export_text('shared_content') }} as shared_content,
        {{ export_text('method') }} as share_method,
        {{ export_text('link') }} as shared_link,
        source_file,
        export_layout,
        item_position,
        load_id
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'shared_at', 'shared_link', 'shared_content']) }}
),

final as (
    select
        ---------- ids
        {{ export_list_event_id(
            'shares', ['account_id', 'shared_at', 'shared_link', 'shared_content']
        ) }} as share_id,
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
        export_copies,
        latest_load_id as load_id
    from deduplicated
    where copy_rank = 1
)

select * from final
