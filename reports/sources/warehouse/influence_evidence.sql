-- marts.influence_evidence (models/marts/*/influence_evidence.sql): one source query per mart, read whole.
select * from marts.influence_evidence
