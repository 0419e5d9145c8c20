-- The seed analysis' viral-influencer query, on the warehouse: creators with more than
-- 100K followers ordered by engagement rate. Compare with the robust virality ranking
-- (marts.viral_creator_ranking.virality_rank), which does not reward tiny samples.
with

creators as (
    select * from {{ ref('creators') }}
),

classic as (
    select
        creator_handle,
        display_name,
        tier,
        followers,
        engagement_rate
    from creators
    where followers > 100000
)

select * from classic
order by engagement_rate desc
limit 50
