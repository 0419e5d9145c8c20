with

ranking_rows as (
    select * from {{ ref('stg_top_creators__ranking_rows') }}
),

staged as (
    select
        ---------- ids
        creator_handle,
        ---------- attributes
        display_name,
        creator_rank,
        country,
        profile_url,
        ---------- counts
        followers,
        average_views,
        average_likes,
        average_comments,
        average_shares,
        is_followers_display_rounded,
        ---------- timestamps
        scraped_at,
        scraped_at_source,
        ---------- provenance
        source_file,
        source_row
    from ranking_rows
    where row_status = 'staged'
)

select * from staged
