-- marts.monthly_watch_patterns (models/marts/*/monthly_watch_patterns.sql): one source query per mart, read whole.
select * from marts.monthly_watch_patterns
