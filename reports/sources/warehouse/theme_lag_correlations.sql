-- marts.theme_lag_correlations (models/marts/*/theme_lag_correlations.sql): one source query per mart, read whole.
select * from marts.theme_lag_correlations
