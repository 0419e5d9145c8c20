{#-
  Weekly theme shares per account: of all theme tags on engagement events (watched, liked,
  favourited, searched, shared, commented) in a week, the share carried by each theme, each tag
  weighted by its source (var influence_source_weights); the same for posts (unweighted).
  Grain: one row per (account_id, event_week, theme) over the weeks with any tagged event and
  every theme of the taxonomy. `post_theme_share` is null in weeks without a tagged post.
  Incremental by account on the load id, like int_events_themes_tagged (`load_id`: the latest of
  the account's tags when its rows were built).
-#}
{{ config(**by_account_config("[ref('int_events_themes_tagged')]", "theme_source <> 'deleted'")) }}

with

{{ new_load_accounts_cte([ref('int_events_themes_tagged')], "theme_source <> 'deleted'") }}

tags as (
    select * from {{ ref('int_events_themes_tagged') }}
    where theme_source <> 'deleted' and {{ in_new_load_accounts() }}
),

theme_keywords as (
    select * from {{ ref('theme_keywords') }}
),

themes as (
    select distinct lower(trim(theme)) as theme
    from theme_keywords
),

account_weeks as (
    select
        account_id,
        event_week
    from tags
    group by account_id, event_week
),

account_loads as (
    select
        account_id,
        max(load_id) as load_id
    from tags
    group by account_id
),

counts as (
    select
        account_id,
        event_week,
        theme,
        count(case when is_engagement then 1 end) as engagement_tag_count,
        sum(case when is_engagement then source_weight else 0 end) as engagement_tag_weight,
        count(case when theme_source = 'posted' then 1 end) as post_tag_count
    from tags
    group by account_id, event_week, theme
),

grid as (
    select
        account_weeks.account_id,
        account_weeks.event_week,
        themes.theme,
        coalesce(counts.engagement_tag_count, 0) as engagement_tag_count,
        coalesce(counts.engagement_tag_weight, 0) as engagement_tag_weight,
        coalesce(counts.post_tag_count, 0) as post_tag_count,
        account_loads.load_id
    from account_weeks
    inner join account_loads
        on account_weeks.account_id = account_loads.account_id
    cross join themes
    left join counts
        on
            account_weeks.account_id = counts.account_id
            and account_weeks.event_week = counts.event_week
            and themes.theme = counts.theme
),

totals as (
    select
        *,
        sum(engagement_tag_weight) over (partition by account_id, event_week) as week_engagement_weight,
        sum(post_tag_count) over (partition by account_id, event_week) as week_post_tags
    from grid
),

final as (
    select
        ---------- ids
        account_id,
        event_week,
        theme,
        ---------- counts
        engagement_tag_count,
        engagement_tag_weight,
        post_tag_count,
        ---------- shares
        case
            when week_engagement_weight > 0 then engagement_tag_weight / week_engagement_weight
        end as engagement_theme_share,
        case
            when week_post_tags > 0 then post_tag_count * cast(1 as double) / week_post_tags
        end as post_theme_share,
        ---------- provenance
        load_id
    from totals
)

select * from final
