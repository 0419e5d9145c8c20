{#-
  Every row of the video-metadata inputs, parsed, with a quarantine reason for rows that carry
  no video id (neither the id column nor the link gives one). Two inputs, landed together: the
  user's own CSVs (metadata_origin 'user') and the enrichment step's file (metadata_origin
  'enrichment', source_file relative to the build dir). stg_video_metadata__videos keeps the
  good rows, one per video, a user row first; audit.tiktok_export_quarantined_items lists the
  others.
-#}
with

source as (
    select * from {{ source('video_metadata', 'video_metadata_rows') }}
),

parsed as (
    select
        -- digits only: an Excel re-save turns ids into 7.30656E+18, which casts to a wrong id
        coalesce(
            {{ try_cast(regex_extract(export_text('video_id'), '^([0-9]{1,19})$'), 'bigint') }},
            {{ video_id_from_link('video_link') }}
        ) as video_id,
        metadata_origin,
        {{ export_text('video_id') }} as video_id_text,
        {{ export_text('video_link') }} as video_link,
        {{ export_text('description') }} as description,
        {{ export_text('hashtags') }} as hashtags_text,
        {{ export_text('sound_title') }} as sound_title,
        {{ normalize_sound_title(export_text('sound_title')) }} as sound_key,
        {{ try_cast(regex_extract(export_text('sound_id'), '^([0-9]{1,19})$'), 'bigint') }} as sound_id,
        lower({{ regex_replace_all(export_text('author_handle'), '^@', '') }}) as author_handle,
        {{ parse_export_timestamp(export_text('fetched_at')) }} as fetched_at,
        {{ export_text('fetch_source') }} as fetch_source,
        row_problem,
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
        sound_id,
        author_handle,
        ---------- quality
        case
            -- a row ingest could not split into columns: its cells mean nothing
            when row_problem is not null then row_problem
            when video_id is null and video_id_text like '%E+%'
                then 'video_id mangled to scientific notation (Excel) and no link'
            when video_id is null then 'no video id in id or link'
        end as quarantine_reason,
        ---------- provenance
        metadata_origin,
        fetched_at,
        fetch_source,
        source_file,
        source_row
    from parsed
)

select * from final
