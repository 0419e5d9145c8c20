{#-
  The lag (in weeks) at which engagement with a theme best predicts posting about it, per
  account and theme. Grain: one row per (account_id, theme) with a defined correlation.
-#}
with

correlations as (
    select * from {{ ref('theme_lag_correlations') }}
    where lag_correlation is not null
),

ranked as (
    select
        *,
        row_number() over (
            partition by account_id, theme
            order by lag_correlation desc, lag_weeks asc
        ) as lag_rank,
        max(case when lag_weeks = 0 then lag_correlation end) over (
            partition by account_id, theme
        ) as same_week_correlation
    from correlations
),

final as (
    select
        ---------- ids
        account_id,
        theme,
        ---------- measures
        lag_weeks as best_lag_weeks,
        lag_correlation as best_correlation,
        same_week_correlation,
        weeks_compared,
        weeks_with_theme_posts,
        mean_post_theme_share
    from ranked
    where lag_rank = 1
)

select * from final
