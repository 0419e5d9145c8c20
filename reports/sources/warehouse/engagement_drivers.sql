-- marts.engagement_drivers (models/marts/*/engagement_drivers.sql): one source query per mart, read whole.
select * from marts.engagement_drivers
