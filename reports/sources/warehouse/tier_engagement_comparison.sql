-- marts.tier_engagement_comparison (models/marts/*/tier_engagement_comparison.sql): one source query per mart, read whole.
select * from marts.tier_engagement_comparison
