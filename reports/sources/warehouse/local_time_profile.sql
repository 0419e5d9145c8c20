-- marts.local_time_profile (models/marts/*/local_time_profile.sql): one source query per mart, read whole.
select * from marts.local_time_profile
