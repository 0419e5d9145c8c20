-- marts.account_theme_coverage (models/marts/*/account_theme_coverage.sql): one source query per mart, read whole.
select * from marts.account_theme_coverage
