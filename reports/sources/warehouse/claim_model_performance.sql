-- marts.claim_model_performance (models/marts/*/claim_model_performance.sql): one source query per mart, read whole.
select * from marts.claim_model_performance
