with

profile_rows as (
    select * from {{ ref('stg_creator_profiles__profile_rows') }}
),

staged as (
    select
        ---------- ids
        creator_handle,
        tiktok_user_id,
        has_mangled_user_id,
        ---------- attributes
        display_name,
        biography,
        bio_has_contact,
        bio_link,
        has_bio_link,
        is_verified,
        is_commerce_user,
        region,
        language_code,
        profile_url,
        top_videos,
        profile_pic_url,
        ---------- counts
        followers,
        following_count,
        likes,
        videos_count,
        ---------- rates
        engagement_rate,
        like_engagement_rate,
        comment_engagement_rate,
        is_like_rate_derived,
        ---------- timestamps
        account_created_at,
        scraped_at,
        scraped_at_source,
        ---------- provenance
        source_file,
        source_row
    from profile_rows
    where row_status = 'staged'
)

select * from staged
