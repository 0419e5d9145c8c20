{#- Every raw profile row with its fate (staged / quarantined / duplicate). The parsed rows come
    from base_creator_profiles__profile_rows; the windows that rank copies read only the few
    columns they need (import CTE `row_keys`), and their result joins back on the row's key. -#}
with

parsed as (
    select * from {{ ref('base_creator_profiles__profile_rows') }}
),

row_keys as (
    select
        source_file,
        source_row,
        creator_handle,
        has_raw_bio_link,
        quarantine_reason,
        case when scraped_at_source = 'file_column' then scraped_at end as scraped_at_in_file,
        raw_row_fingerprint
    from {{ ref('base_creator_profiles__profile_rows') }}
),

files_with_bio_links as (
    -- a file whose bio_link column is empty throughout has no such column: has_bio_link is null
    select source_file
    from row_keys
    where has_raw_bio_link
    group by source_file
),

exact_copies_numbered as (
    select
        source_file,
        source_row,
        creator_handle,
        quarantine_reason,
        scraped_at_in_file,
        row_number() over (
            partition by source_file, raw_row_fingerprint
            order by source_row
        ) as exact_copy_number
    from row_keys
),

fates as (
    select
        source_file,
        source_row,
        case
            when quarantine_reason is not null then 'quarantined'
            when exact_copy_number > 1 then 'exact_duplicate'
            when
                row_number() over (
                    partition by
                        source_file,
                        creator_handle,
                        (quarantine_reason is null and exact_copy_number = 1)
                    order by scraped_at_in_file desc nulls last, source_row asc
                ) > 1
                then 'repeated_handle'
            else 'staged'
        end as row_status
    from exact_copies_numbered
),

final as (
    select
        parsed.source_file,
        parsed.source_row,
        parsed.creator_handle,
        parsed.tiktok_user_id,
        parsed.has_mangled_user_id,
        parsed.display_name,
        parsed.biography,
        parsed.bio_has_contact,
        parsed.bio_link,
        case
            when files_with_bio_links.source_file is not null then parsed.bio_link is not null
        end as has_bio_link,
        parsed.is_verified,
        parsed.is_commerce_user,
        parsed.region,
        parsed.language_code,
        parsed.profile_url,
        parsed.top_videos,
        parsed.profile_pic_url,
        parsed.followers,
        parsed.following_count,
        parsed.likes,
        parsed.videos_count,
        parsed.engagement_rate,
        parsed.like_engagement_rate,
        parsed.comment_engagement_rate,
        parsed.is_like_rate_derived,
        parsed.account_created_at,
        parsed.scraped_at,
        parsed.scraped_at_source,
        parsed.quarantine_reason,
        parsed.raw_value,
        fates.row_status
    from parsed
    inner join fates
        on
            parsed.source_file = fates.source_file
            and parsed.source_row = fates.source_row
    left join files_with_bio_links
        on parsed.source_file = files_with_bio_links.source_file
)

select * from final
