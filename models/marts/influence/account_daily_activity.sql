with

events as (
    select * from {{ ref('int_export_events_unioned') }}
),

final as (
    select
        ---------- ids
        account_id,
        cast(event_date as date) as activity_date,
        ---------- counts
        count(case when event_kind = 'watched' then 1 end) as watched_count,
        count(case when event_kind = 'liked' then 1 end) as liked_count,
        count(case when event_kind like 'favorited%' then 1 end) as favorited_count,
        count(case when event_kind = 'searched' then 1 end) as searched_count,
        count(case when event_kind = 'shared' then 1 end) as shared_count,
        count(case when event_kind = 'commented' then 1 end) as commented_count,
        count(case when event_kind = 'followed' then 1 end) as followed_count,
        count(case when event_kind = 'gained_follower' then 1 end) as follower_gained_count,
        count(case when event_kind = 'posted' then 1 end) as posted_count,
        count(case when event_kind = 'deleted' then 1 end) as deleted_count
    from events
    group by account_id, cast(event_date as date)
)

select * from final
