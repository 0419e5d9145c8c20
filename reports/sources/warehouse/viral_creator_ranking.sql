-- marts.viral_creator_ranking (models/marts/*/viral_creator_ranking.sql): one source query per mart, read whole.
select * from marts.viral_creator_ranking
