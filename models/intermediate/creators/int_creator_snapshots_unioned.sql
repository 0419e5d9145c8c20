{#- One row per creator per source file (a profile row or a ranking-list row), on common
    columns. Ranking lists give per-video averages: their rates are averages over followers,
    the same definition Bright Data uses (engagement = likes + comments). -#}
{%- set completeness_columns = [
    'display_name', 'biography', 'has_bio_link', 'is_verified', 'region', 'language_code',
    'followers', 'following_count', 'likes', 'videos_count', 'engagement_rate',
] -%}

with

profiles as (
    select * from {{ ref('stg_creator_profiles__profiles') }}
),

rankings as (
    select * from {{ ref('stg_top_creators__rankings') }}
),

profile_snapshots as (
    select
        creator_handle,
        'profile' as source_kind,
        source_file,
        source_row,
        scraped_at,
        scraped_at_source,
        display_name,
        biography,
        bio_has_contact,
        has_bio_link,
        is_verified,
        is_commerce_user,
        region,
        language_code,
        cast(null as {{ dbt.type_string() }}) as country,
        followers,
        following_count,
        likes,
        videos_count as videos,
        engagement_rate,
        like_engagement_rate,
        comment_engagement_rate,
        cast(null as bigint) as average_views,
        cast(null as bigint) as average_likes,
        cast(null as bigint) as average_comments,
        cast(null as bigint) as average_shares,
        cast(null as integer) as creator_rank,
        false as is_followers_display_rounded,
        account_created_at,
        (
            {%- for c in completeness_columns %}
                case when {{ c }} is not null then 1 else 0 end{{ ' +' if not loop.last }}
            {%- endfor %}
        ) as n_known_fields
    from profiles
),

ranking_snapshots as (
    select
        creator_handle,
        'ranking' as source_kind,
        source_file,
        source_row,
        scraped_at,
        scraped_at_source,
        display_name,
        cast(null as {{ dbt.type_string() }}) as biography,
        cast(null as boolean) as bio_has_contact,
        cast(null as boolean) as has_bio_link,
        cast(null as boolean) as is_verified,
        cast(null as boolean) as is_commerce_user,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(null as {{ dbt.type_string() }}) as language_code,
        country,
        followers,
        cast(null as bigint) as following_count,
        cast(null as bigint) as likes,
        cast(null as bigint) as videos,
        cast(1 as double) * (average_likes + average_comments) / nullif(followers, 0) as engagement_rate,
        cast(1 as double) * average_likes / nullif(followers, 0) as like_engagement_rate,
        cast(1 as double) * average_comments / nullif(followers, 0) as comment_engagement_rate,
        average_views,
        average_likes,
        average_comments,
        average_shares,
        creator_rank,
        is_followers_display_rounded,
        cast(null as timestamp) as account_created_at,
        0 as n_known_fields
    from rankings
),

unioned as (
    select * from profile_snapshots
    union all
    select * from ranking_snapshots
)

select * from unioned
