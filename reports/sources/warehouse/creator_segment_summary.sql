-- marts.creator_segment_summary (models/marts/*/creator_segment_summary.sql): one source query per mart, read whole.
select * from marts.creator_segment_summary
