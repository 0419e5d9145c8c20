-- marts.account_watching_summary (models/marts/*/account_watching_summary.sql): one source query per mart, read whole.
select * from marts.account_watching_summary
