with

video_rows as (
    select * from {{ ref('stg_video_metadata__video_rows') }}
),

identified as (
    select * from video_rows
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        count(*) over (partition by video_id) as file_copies,
        -- the user's own file wins over what the enrichment step looked up
        row_number() over (
            partition by video_id
            order by case when metadata_origin = 'user' then 0 else 1 end, source_file, source_row
        ) as copy_rank
    from identified
),

final as (
    select
        ---------- ids
        video_id,
        ---------- attributes
        {{ video_id_created_at('video_id') }} as video_created_at,
        video_link,
        description,
        hashtags_text,
        sound_title,
        sound_key,
        author_handle,
        ---------- provenance
        source_file,
        source_row,
        file_copies,
        metadata_origin,
        fetched_at,
        fetch_source,
        ---------- attributes added later (appended: the columns above keep their positions)
        sound_id
    from deduplicated
    where copy_rank = 1
)

select * from final
