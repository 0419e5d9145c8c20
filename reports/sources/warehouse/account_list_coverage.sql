-- marts.account_list_coverage (models/marts/*/account_list_coverage.sql): one source query per mart, read whole.
select * from marts.account_list_coverage
