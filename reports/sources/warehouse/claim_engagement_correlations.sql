-- marts.claim_engagement_correlations (models/marts/*/claim_engagement_correlations.sql): one source query per mart, read whole.
select * from marts.claim_engagement_correlations
