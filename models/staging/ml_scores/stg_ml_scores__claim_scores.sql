{#- Every scored video, whichever file the ML step handed it over in (ml/io.py write_scores):
    the seed for a small score set, the Parquet file for a large one; the other is empty.
    Published as ml.claim_scores (the seed itself is ml.claim_scores_seed). -#}
{{ config(alias='claim_scores') }}

with

scores as (
    {{ ml_score_rows('claim_scores', [
        'video_id',
        'claim_probability',
        'predicted_label',
        'needs_review',
        'model_version',
    ]) }}
)

select * from scores
