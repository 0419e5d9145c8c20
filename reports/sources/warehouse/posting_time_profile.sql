-- marts.posting_time_profile (models/marts/*/posting_time_profile.sql): one source query per mart, read whole.
select * from marts.posting_time_profile
