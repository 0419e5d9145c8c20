-- marts.partner_recommendations (models/marts/*/partner_recommendations.sql): one source query per mart, read whole.
select * from marts.partner_recommendations
