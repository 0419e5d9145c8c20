-- marts.account_daily_activity (models/marts/*/account_daily_activity.sql): one source query per mart, read whole.
select * from marts.account_daily_activity
