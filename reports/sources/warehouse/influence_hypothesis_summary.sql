-- marts.influence_hypothesis_summary (models/marts/*/influence_hypothesis_summary.sql): one source query per mart, read whole.
select * from marts.influence_hypothesis_summary
