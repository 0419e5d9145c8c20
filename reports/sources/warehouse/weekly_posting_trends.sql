-- marts.weekly_posting_trends (models/marts/*/weekly_posting_trends.sql): one source query per mart, read whole.
select * from marts.weekly_posting_trends
