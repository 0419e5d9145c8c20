{#- Every model card, whichever file the ML step handed it over in (ml/io.py write_scores).
    Published as ml.model_cards (the seed itself is ml.model_cards_seed). -#}
{{ config(alias='model_cards') }}

with

cards as (
    {{ ml_score_rows('model_cards', [
        'model',
        'model_version',
        'title',
        'status',
        'task',
        'training_frame',
        'chosen_candidate',
        'label_definition',
        'reference_time',
        'features',
        'excluded_features',
        'split_rule',
        'threshold_rule',
        'headline_metrics',
        'group_metrics',
        'baselines',
        'notes',
        'n_train',
        'n_validation',
        'n_test',
    ]) }}
)

select * from cards
