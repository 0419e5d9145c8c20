-- marts.claim_engagement_summary (models/marts/*/claim_engagement_summary.sql): one source query per mart, read whole.
select * from marts.claim_engagement_summary
