{{ config(**export_event_config('favorite_effects')) }}

with

items as (
    {{ export_items_to_stage('favorite_effects') }}
),

parsed as (
    select
        account_id,
        {{ export_text('effect_link') }} as effect_link,
        {{ effect_id_from_link(export_text('effect_link')) }} as effect_id,
        event_at as favorited_at,
        {{ regex_extract(export_text('effect_link'), '/sticker/([^/?#]+)') }} as effect_slug,
        source_file,
        export_layout,
        item_position,
        load_id
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'favorited_at', 'effect_link']) }}
),

final as (
    select
        ---------- ids
        {{ export_list_event_id(
            'favorite_effects', ['account_id', 'favorited_at', 'effect_link']
        ) }} as favorite_effect_id,
        account_id,
        effect_id,
        effect_link,
        favorited_at,
        effect_slug,
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
