{#-
  A reproducible null distribution for the lag analysis: the same account-level statistic as
  influence_hypothesis_summary (the best, over lags 0..N, of the theme correlations weighted by
  posting share) with the engagement series circularly shifted by S weeks, for
  var('influence_lag_shifts', 30) shifts S = N + 5, N + 6, ..., keeping every combined offset
  S + lag at least 5 weeks away from a real alignment in both directions. No randomness: the
  shifts are fixed, so reruns give the same p-value (at best 1 / (shifts + 1)). Grain: one row per (account_id,
  shift_weeks) with a defined statistic. Incremental by account on the load id, like
  int_events_themes_tagged (`load_id`: the latest of the account's theme weeks when built).
-#}
{%- set max_lag = var('influence_max_lag_weeks', 8) | int -%}
{%- set n_shifts = var('influence_lag_shifts', 30) | int -%}
{{ config(**by_account_config("[ref('int_theme_weeks_computed')]")) }}

with

{{ new_load_accounts_cte([ref('int_theme_weeks_computed')]) }}

weeks as (
    select * from {{ ref('int_theme_weeks_computed') }}
    where {{ in_new_load_accounts() }}
),

account_weeks as (
    select
        account_id,
        event_week,
        row_number() over (partition by account_id order by event_week) - 1 as week_number,
        count(*) over (partition by account_id) as week_count
    from (
        select distinct
            account_id,
            event_week
        from weeks
    ) as distinct_weeks
),

indexed as (
    select
        weeks.account_id,
        weeks.theme,
        weeks.engagement_theme_share,
        weeks.post_theme_share,
        account_weeks.week_number,
        account_weeks.week_count
    from weeks
    inner join account_weeks
        on
            weeks.account_id = account_weeks.account_id
            and weeks.event_week = account_weeks.event_week
),

shifts as (
    {{ integer_rows('shift_weeks', max_lag + 5, max_lag + 4 + n_shifts) }}
),

lags as (
    {{ integer_rows('lag_weeks', 0, max_lag) }}
),

-- a (shift, lag) pair compares the weeks `shift + lag` apart, so the correlation depends on
-- that combined offset alone: computed once per offset (38 by default), not per pair (270)
shift_lags as (
    select
        shifts.shift_weeks,
        lags.lag_weeks,
        shifts.shift_weeks + lags.lag_weeks as offset_weeks
    from shifts
    cross join lags
),

offsets as (
    select distinct offset_weeks
    from shift_lags
),

offset_pairs as (
    select
        posting.account_id,
        posting.theme,
        offsets.offset_weeks,
        posting.post_theme_share,
        engagement.engagement_theme_share
    from indexed as posting
    cross join offsets
    inner join indexed as engagement
        on
            posting.account_id = engagement.account_id
            and posting.theme = engagement.theme
            and engagement.week_number
            = (
                (posting.week_number - offsets.offset_weeks) % posting.week_count
                + posting.week_count
            ) % posting.week_count
    where
        posting.post_theme_share is not null
        and engagement.engagement_theme_share is not null
        and offsets.offset_weeks <= posting.week_count - 5
),

offset_correlations as (
    select
        account_id,
        theme,
        offset_weeks,
        avg(post_theme_share) as mean_post_theme_share,
        case
            when stddev_pop(engagement_theme_share) > 0 and stddev_pop(post_theme_share) > 0
                then corr(engagement_theme_share, post_theme_share)
        end as lag_correlation
    from offset_pairs
    group by account_id, theme, offset_weeks
),

theme_correlations as (
    select
        offset_correlations.account_id,
        offset_correlations.theme,
        shift_lags.shift_weeks,
        shift_lags.lag_weeks,
        offset_correlations.mean_post_theme_share,
        offset_correlations.lag_correlation
    from offset_correlations
    inner join shift_lags
        on offset_correlations.offset_weeks = shift_lags.offset_weeks
),

weighted as (
    select
        account_id,
        shift_weeks,
        lag_weeks,
        sum(lag_correlation * mean_post_theme_share) / sum(mean_post_theme_share) as weighted_correlation
    from theme_correlations
    where lag_correlation is not null and mean_post_theme_share > 0
    group by account_id, shift_weeks, lag_weeks
),

best as (
    select
        account_id,
        shift_weeks,
        max(weighted_correlation) as best_lag_correlation
    from weighted
    group by account_id, shift_weeks
),

account_loads as (
    select
        account_id,
        max(load_id) as load_id
    from weeks
    group by account_id
),

final as (
    select
        ---------- ids
        best.account_id,
        best.shift_weeks,
        ---------- measures
        best.best_lag_correlation,
        ---------- provenance
        account_loads.load_id
    from best
    inner join account_loads
        on best.account_id = account_loads.account_id
)

select * from final
