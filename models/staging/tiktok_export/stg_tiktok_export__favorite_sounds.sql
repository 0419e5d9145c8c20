{{ config(**export_event_config('favorite_sounds')) }}

with

items as (
    {{ export_items_to_stage('favorite_sounds') }}
),

parsed as (
    select
        account_id,
        {{ sound_id_from_link('link') }} as sound_id,
        event_at as favorited_at,
        -- only the site's web links name the sound; the h5 links of real exports carry its id alone
        {{ sound_title_from_link('link') }} as sound_title,
        {{ normalize_sound_title(sound_title_from_link('link')) }} as sound_key,
        link as sound_link,
        source_file,
        export_layout,
        item_position,
        load_id
    from items
),

deduplicated as (
    {{ export_dedupe('parsed', ['account_id', 'favorited_at', 'sound_id']) }}
),

final as (
    select
        ---------- ids
        {{ export_list_event_id(
            'favorite_sounds', ['account_id', 'favorited_at', 'sound_id']
        ) }} as favorite_sound_id,
        account_id,
        sound_id,
        favorited_at,
        sound_title,
        sound_key,
        sound_link,
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
