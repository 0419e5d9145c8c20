-- marts.theme_best_lags (models/marts/*/theme_best_lags.sql): one source query per mart, read whole.
select * from marts.theme_best_lags
