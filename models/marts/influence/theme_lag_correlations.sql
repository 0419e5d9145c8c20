{#-
  Does engagement with a theme lead posting about it? For each account and theme, the Pearson
  correlation between the weekly engagement share of the theme L weeks earlier and the weekly
  posting share, for L = 0..var('influence_max_lag_weeks') (default 8). Weeks without a
  tagged post are left out. Grain: one row per (account_id, theme, lag_weeks).
-#}
{%- set max_lag = var('influence_max_lag_weeks', 8) | int -%}

with

weeks as (
    select
        *,
        -- an integer day number: with the date arithmetic in the join condition DuckDB joins on
        -- account and theme alone and filters every week pair
        {{ dbt.datediff("cast('2000-01-03' as date)", 'event_week', 'day') }}
            as week_day_number
    from {{ ref('int_theme_weeks_computed') }}
),

lags as (
    {{ integer_rows('lag_weeks', 0, max_lag) }}
),

posting_lagged as (
    select
        posting.account_id,
        posting.theme,
        lags.lag_weeks,
        posting.post_theme_share,
        posting.week_day_number - 7 * lags.lag_weeks as engagement_day_number
    from weeks as posting
    cross join lags
    where posting.post_theme_share is not null
),

pairs as (
    select
        posting_lagged.account_id,
        posting_lagged.theme,
        posting_lagged.lag_weeks,
        posting_lagged.post_theme_share,
        engagement.engagement_theme_share
    from posting_lagged
    inner join weeks as engagement
        on
            posting_lagged.account_id = engagement.account_id
            and posting_lagged.theme = engagement.theme
            and posting_lagged.engagement_day_number = engagement.week_day_number
    where engagement.engagement_theme_share is not null
),

final as (
    select
        ---------- ids
        account_id,
        theme,
        lag_weeks,
        ---------- measures
        count(*) as weeks_compared,
        count(case when post_theme_share > 0 then 1 end) as weeks_with_theme_posts,
        avg(post_theme_share) as mean_post_theme_share,
        avg(engagement_theme_share) as mean_engagement_theme_share,
        -- undefined (null) when either series is constant over the compared weeks
        case
            when stddev_pop(engagement_theme_share) > 0 and stddev_pop(post_theme_share) > 0
                then corr(engagement_theme_share, post_theme_share)
        end as lag_correlation
    from pairs
    group by account_id, theme, lag_weeks
)

select * from final
