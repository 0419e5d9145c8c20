-- marts.verified_comparison (models/marts/*/verified_comparison.sql): one source query per mart, read whole.
select * from marts.verified_comparison
