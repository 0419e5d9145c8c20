with

items as (
    {{ export_items_to_stage(ref('stg_tiktok_export__list_items'), 'favorite_effects') }}
),

parsed as (
    select
        account_id,
        {{ export_text('effect_link') }} as effect_link,
        event_at as favorited_at,
        {{ regex_extract(export_text('effect_link'), '/sticker/([^/?#]+)') }} as effect_slug,
        source_file,
        export_layout,
        item_position
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'favorited_at', 'effect_link']) }}
),

final as (
    select
        ---------- ids
        {{ export_event_id(['account_id', 'favorited_at', 'effect_link']) }} as favorite_effect_id,
        account_id,
        effect_link,
        favorited_at,
        effect_slug,
        ---------- provenance (surviving copy: smallest source_file, then position)
        source_file,
        export_layout,
        item_position,
        export_copies
    from deduplicated
    where copy_rank = 1
)

select * from final
