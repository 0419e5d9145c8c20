-- My top themes this month vs last month, per account and source (engagement and posts).
-- "This month" is the account's latest month with any tagged event.
with

tags as (
    select * from {{ ref('int_events_themes_tagged') }}
),

months as (
    select
        account_id,
        theme_source,
        theme,
        {{ dbt.date_trunc('month', 'event_at') }} as event_month
    from tags
),

latest as (
    select
        account_id,
        max(event_month) as this_month
    from months
    group by account_id
),

counts as (
    select
        months.account_id,
        months.theme_source,
        months.theme,
        count(case when months.event_month = latest.this_month then 1 end) as this_month_count,
        count(
            case when months.event_month = {{ dbt.dateadd('month', -1, 'latest.this_month') }} then 1 end
        ) as last_month_count
    from months
    inner join latest
        on months.account_id = latest.account_id
    group by months.account_id, months.theme_source, months.theme
),

final as (
    select
        account_id,
        theme_source,
        theme,
        this_month_count,
        last_month_count,
        this_month_count - last_month_count as change_count,
        row_number() over (
            partition by account_id, theme_source order by this_month_count desc, theme asc
        ) as this_month_rank
    from counts
)

select * from final
order by account_id asc, theme_source asc, this_month_rank asc
