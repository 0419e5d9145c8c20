{#- Every segmented creator, whichever file the ML step handed it over in (ml/io.py write_scores):
    the seed for a small score set, the Parquet file for a large one; the other is empty.
    Published as ml.creator_segments (the seed itself is ml.creator_segments_seed). -#}
{{ config(alias='creator_segments') }}

with

scores as (
    {{ ml_score_rows('creator_segments', [
        'creator_handle',
        'segment_id',
        'segment_name',
        'model_version',
    ]) }}
)

select * from scores
