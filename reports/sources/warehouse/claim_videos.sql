-- marts.claim_videos (models/marts/*/claim_videos.sql): one source query per mart, read whole.
select * from marts.claim_videos
