with

events as (
    select * from {{ ref('int_export_events_unioned') }}
    where theme_source is not null
),

tags as (
    select * from {{ ref('int_events_themes_tagged') }}
),

source_totals as (
    select
        events.account_id,
        events.theme_source,
        count(*) as source_event_count,
        count(distinct tags.event_id) as tagged_event_count
    from events
    left join tags
        on events.event_id = tags.event_id
    group by events.account_id, events.theme_source
),

theme_counts as (
    select
        account_id,
        theme_source,
        theme,
        count(*) as theme_event_count
    from tags
    group by account_id, theme_source, theme
),

final as (
    select
        ---------- ids
        theme_counts.account_id,
        theme_counts.theme_source,
        theme_counts.theme,
        ---------- counts
        theme_counts.theme_event_count,
        source_totals.source_event_count,
        source_totals.tagged_event_count,
        ---------- shares
        theme_counts.theme_event_count * cast(1 as double)
        / sum(theme_counts.theme_event_count) over (
            partition by theme_counts.account_id, theme_counts.theme_source
        ) as theme_share,
        theme_counts.theme_event_count * cast(1 as double) / source_totals.tagged_event_count
            as tagged_event_rate
    from theme_counts
    inner join source_totals
        on
            theme_counts.account_id = source_totals.account_id
            and theme_counts.theme_source = source_totals.theme_source
)

select * from final
