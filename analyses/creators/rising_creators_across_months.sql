-- Starting point: creators whose follower count moved most across the top-creator lists
-- they appear on (largest count relative to smallest).
with

rankings as (
    select * from {{ ref('top_creator_rankings') }}
),

first_and_last as (
    select
        creator_handle,
        min(scraped_at) as first_scraped_at,
        max(scraped_at) as last_scraped_at,
        count(*) as n_lists,
        min(followers) as min_followers,
        max(followers) as max_followers
    from rankings
    group by creator_handle
    having count(*) > 1
)

select
    creator_handle,
    first_scraped_at,
    last_scraped_at,
    n_lists,
    1.0 * (max_followers - min_followers) / nullif(min_followers, 0) as follower_growth_rate
from first_and_last
order by follower_growth_rate desc
limit 50
