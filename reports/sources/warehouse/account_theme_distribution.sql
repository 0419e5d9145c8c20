-- marts.account_theme_distribution (models/marts/*/account_theme_distribution.sql): one source query per mart, read whole.
select * from marts.account_theme_distribution
