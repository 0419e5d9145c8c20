-- marts.year_in_review_top_items (models/marts/*/year_in_review_top_items.sql): one source query per mart, read whole.
select * from marts.year_in_review_top_items
