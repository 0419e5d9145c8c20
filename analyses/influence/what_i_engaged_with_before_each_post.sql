-- For each post: the themes I engaged with 2-4 weeks before it (around the sample's planted
-- 3-week lag; change the window to explore), next to the post's own themes.
with

tags as (
    select * from {{ ref('int_events_themes_tagged') }}
),

posts as (
    select distinct
        event_id,
        account_id,
        event_at
    from tags
    where theme_source = 'posted'
),

post_themes as (
    select
        event_id,
        theme
    from tags
    where theme_source = 'posted'
),

engagement_before as (
    select
        posts.event_id,
        tags.theme,
        count(*) as engagement_count
    from posts
    inner join tags
        on
            posts.account_id = tags.account_id
            and tags.is_engagement
            and tags.event_at >= {{ dbt.dateadd('day', -28, 'posts.event_at') }}
            and tags.event_at < {{ dbt.dateadd('day', -14, 'posts.event_at') }}
    group by posts.event_id, tags.theme
),

final as (
    select
        posts.account_id,
        posts.event_at as posted_at,
        post_themes.theme as post_theme,
        engagement_before.theme as engaged_theme,
        engagement_before.engagement_count,
        post_themes.theme = engagement_before.theme as is_same_theme
    from posts
    inner join post_themes
        on posts.event_id = post_themes.event_id
    left join engagement_before
        on posts.event_id = engagement_before.event_id
)

select * from final
order by account_id asc, posted_at asc, engagement_count desc
