-- marts.claim_review_queue (models/marts/*/claim_review_queue.sql): one source query per mart, read whole.
select * from marts.claim_review_queue
