{#-
  Search to post: searches whose theme shows up in one of the account's posts (kept or later
  deleted) after the search, within var search_to_post_weeks weeks (posted strictly after the
  search, at most N x 7 days later). Themes come from int_events_themes_tagged: a search term's
  words, a post's caption (Title) and, once posts are matched to their public videos, the
  video's metadata. Real exports carry no post captions (Title is N/A), so without the
  video-metadata file matched to the posts this table has no rows: that means no post themes,
  not no influence. theme_post_share is the base rate: a theme in most posts follows most
  searches anyway.
  Grain: one row per (account_id, search_id, theme) with at least one matching post.
-#}
{%- set window_seconds = var('search_to_post_weeks') * 7 * 24 * 3600 -%}

with

themes_tagged as (
    select * from {{ ref('int_events_themes_tagged') }}
),

searches as (
    select * from {{ ref('stg_tiktok_export__searches') }}
),

events as (
    select * from {{ ref('int_export_events_unioned') }}
),

search_themes as (
    select
        event_id as search_id,
        account_id,
        theme,
        event_at as searched_at
    from themes_tagged
    where theme_source = 'searched'
),

post_themes as (
    select
        event_id as post_event_id,
        account_id,
        theme,
        event_at as posted_at
    from themes_tagged
    where theme_source in ('posted', 'deleted')
),

account_posts as (
    select
        account_id,
        count(*) as post_count
    from events
    where event_kind in ('posted', 'deleted')
    group by account_id
),

theme_posts as (
    select
        account_id,
        theme,
        count(distinct post_event_id) as theme_post_count
    from post_themes
    group by account_id, theme
),

paired as (
    select
        search_themes.search_id,
        search_themes.account_id,
        search_themes.theme,
        search_themes.searched_at,
        post_themes.posted_at,
        {{ dbt.datediff('search_themes.searched_at', 'post_themes.posted_at', 'second') }}
            as seconds_to_post
    from search_themes
    inner join post_themes
        on
            search_themes.account_id = post_themes.account_id
            and search_themes.theme = post_themes.theme
    where post_themes.posted_at > search_themes.searched_at
),

in_window as (
    select * from paired
    where seconds_to_post <= {{ window_seconds }}
),

matches as (
    select
        search_id,
        account_id,
        theme,
        min(searched_at) as searched_at,
        count(*) as matched_post_count,
        min(posted_at) as first_matched_posted_at
    from in_window
    group by search_id, account_id, theme
),

final as (
    select
        ---------- ids
        matches.account_id,
        matches.search_id,
        matches.theme,
        ---------- attributes
        searches.search_term,
        cast({{ var('search_to_post_weeks') }} as integer) as window_weeks,
        ---------- timestamps
        matches.searched_at,
        matches.first_matched_posted_at,
        ---------- measures
        cast(matches.matched_post_count as bigint) as matched_post_count,
        {{ dbt.datediff('matches.searched_at', 'matches.first_matched_posted_at', 'second') }}
        / cast(86400 as double) as days_to_first_post,
        theme_posts.theme_post_count / cast(account_posts.post_count as double) as theme_post_share
    from matches
    inner join searches
        on
            matches.search_id = searches.search_id
            and matches.account_id = searches.account_id
    inner join theme_posts
        on
            matches.account_id = theme_posts.account_id
            and matches.theme = theme_posts.theme
    inner join account_posts
        on matches.account_id = account_posts.account_id
)

select * from final
