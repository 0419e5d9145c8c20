-- marts.tier_engagement (models/marts/*/tier_engagement.sql): one source query per mart, read whole.
select * from marts.tier_engagement
