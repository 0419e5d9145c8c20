-- marts.daily_watch_sessions (models/marts/*/daily_watch_sessions.sql): one source query per mart, read whole.
select * from marts.daily_watch_sessions
