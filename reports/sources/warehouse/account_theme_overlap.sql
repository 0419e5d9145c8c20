-- marts.account_theme_overlap (models/marts/*/account_theme_overlap.sql): one source query per mart, read whole.
select * from marts.account_theme_overlap
