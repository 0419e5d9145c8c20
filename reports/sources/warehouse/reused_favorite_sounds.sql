-- marts.reused_favorite_sounds (models/marts/*/reused_favorite_sounds.sql): one source query per mart, read whole.
select * from marts.reused_favorite_sounds
