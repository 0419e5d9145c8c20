with

events as (
    select * from {{ ref('int_export_events_unioned') }}
    where theme_source is not null
),

tags as (
    select * from {{ ref('int_events_themes_tagged') }}
),

-- counted apart: a join of events to tags would count an event once per theme it carries
source_events as (
    select
        account_id,
        theme_source,
        count(*) as source_event_count
    from events
    group by account_id, theme_source
),

source_tagged_events as (
    select
        account_id,
        theme_source,
        count(distinct event_id) as tagged_event_count
    from tags
    group by account_id, theme_source
),

theme_counts as (
    select
        account_id,
        theme_source,
        theme,
        count(*) as theme_event_count,
        sum(source_weight) as theme_weight
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
        source_events.source_event_count,
        source_tagged_events.tagged_event_count,
        ---------- shares
        theme_counts.theme_event_count * cast(1 as double)
        / sum(theme_counts.theme_event_count) over (
            partition by theme_counts.account_id, theme_counts.theme_source
        ) as theme_share,
        theme_counts.theme_event_count * cast(1 as double) / source_tagged_events.tagged_event_count
            as tagged_event_rate,
        ---------- weights (appended: the columns above keep their positions)
        theme_counts.theme_weight
    from theme_counts
    inner join source_events
        on
            theme_counts.account_id = source_events.account_id
            and theme_counts.theme_source = source_events.theme_source
    inner join source_tagged_events
        on
            theme_counts.account_id = source_tagged_events.account_id
            and theme_counts.theme_source = source_tagged_events.theme_source
)

select * from final
