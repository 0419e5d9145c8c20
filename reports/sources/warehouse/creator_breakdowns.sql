-- marts.creator_breakdowns (models/marts/*/creator_breakdowns.sql): one source query per mart, read whole.
select * from marts.creator_breakdowns
