{#- Every scored creator, whichever file the ML step handed it over in (ml/io.py write_scores):
    the seed for a small score set, the Parquet file for a large one; the other is empty.
    Published as ml.creator_scores (the seed itself is ml.creator_scores_seed). -#}
{{ config(alias='creator_scores') }}

with

scores as (
    {{ ml_score_rows('creator_scores', [
        'creator_handle',
        'active_probability',
        'is_predicted_active',
        'active_model_version',
        'success_probability',
        'is_predicted_success',
        'success_model_version',
    ]) }}
)

select * from scores
