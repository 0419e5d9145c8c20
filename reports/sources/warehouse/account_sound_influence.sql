-- marts.account_sound_influence (models/marts/*/account_sound_influence.sql): one source query per mart, read whole.
select * from marts.account_sound_influence
