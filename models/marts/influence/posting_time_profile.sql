with

posts as (
    select * from {{ ref('stg_tiktok_export__posts') }}
),

slots as (
    select
        account_id,
        {{ day_of_week('posted_at') }} as weekday_number,
        {{ hour_of_day('posted_at') }} as hour_of_day
    from posts
),

counts as (
    select
        account_id,
        weekday_number,
        hour_of_day,
        count(*) as post_count
    from slots
    group by account_id, weekday_number, hour_of_day
),

final as (
    select
        ---------- ids
        account_id,
        weekday_number,
        hour_of_day,
        ---------- measures
        post_count,
        post_count * cast(1 as double) / sum(post_count) over (partition by account_id) as post_share,
        sum(post_count) over (partition by account_id, weekday_number) * cast(1 as double)
        / sum(post_count) over (partition by account_id) as weekday_post_share,
        sum(post_count) over (partition by account_id, hour_of_day) * cast(1 as double)
        / sum(post_count) over (partition by account_id) as hour_post_share
    from counts
)

select * from final
