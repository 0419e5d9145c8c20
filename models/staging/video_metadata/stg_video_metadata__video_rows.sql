{#-
  Every row of the video-metadata files, parsed, with a quarantine reason for rows that carry
  no video id (neither the id column nor the link gives one). stg_video_metadata__videos keeps
  the good rows, one per video; audit.tiktok_export_quarantined_items lists the others.
-#}
with

source as (
    select * from {{ raw_source('video_metadata', 'videos') }}
),

parsed as (
    select
        -- digits only: an Excel re-save turns ids into 7.30656E+18, which casts to a wrong id
        coalesce(
            {{ try_cast(regex_extract(export_text('video_id'), '^([0-9]{1,19})$'), 'bigint') }},
            {{ video_id_from_link('video_link') }}
        ) as video_id,
        {{ export_text('video_id') }} as video_id_text,
        {{ export_text('video_link') }} as video_link,
        {{ export_text('description') }} as description,
        {{ export_text('hashtags') }} as hashtags_text,
        {{ export_text('sound_title') }} as sound_title,
        {{ normalize_sound_title(export_text('sound_title')) }} as sound_key,
        lower({{ regex_replace_all(export_text('author_handle'), '^@', '') }}) as author_handle,
        source_file,
        source_row
    from source
),

final as (
    select
        ---------- ids
        video_id,
        ---------- attributes
        video_id_text,
        video_link,
        description,
        hashtags_text,
        sound_title,
        sound_key,
        author_handle,
        ---------- quality
        case
            when video_id is null and video_id_text like '%E+%'
                then 'video_id mangled to scientific notation (Excel) and no link'
            when video_id is null then 'no video id in id or link'
        end as quarantine_reason,
        ---------- provenance
        source_file,
        source_row
    from parsed
)

select * from final
