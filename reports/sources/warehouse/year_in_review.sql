-- marts.year_in_review (models/marts/*/year_in_review.sql): one source query per mart, read whole.
select * from marts.year_in_review
