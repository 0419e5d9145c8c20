{#- metric name in model_metrics -> column name here -#}
{%- set metrics = {
    'n': 'n_rows',
    'positive_rate': 'predicted_positive_rate',
    'precision': 'precision_score',
    'recall': 'recall_score',
    'f1': 'f1_score',
    'accuracy': 'accuracy_score',
    'roc_auc': 'roc_auc',
    'pr_auc': 'pr_auc',
    'threshold': 'decision_threshold',
    'review_band_low': 'review_band_low',
    'review_band_high': 'review_band_high',
    'review_share': 'review_share',
    'r2': 'r2_score',
    'mae': 'mean_absolute_error',
    'rmse': 'root_mean_squared_error',
    'leakage_r2': 'leakage_r2',
    'permutation_importance': 'permutation_importance',
    'leakage_r2_target_components': 'leakage_r2_target_components',
    'precision_ci_low': 'precision_ci_low',
    'precision_ci_high': 'precision_ci_high',
    'recall_ci_low': 'recall_ci_low',
    'recall_ci_high': 'recall_ci_high',
    'f1_ci_low': 'f1_ci_low',
    'f1_ci_high': 'f1_ci_high',
    'r2_ci_low': 'r2_ci_low',
    'r2_ci_high': 'r2_ci_high',
    'mae_ci_low': 'mean_absolute_error_ci_low',
    'mae_ci_high': 'mean_absolute_error_ci_high',
} -%}

with

model_metrics as (
    select * from {{ ref('model_metrics') }}
),

claims_metrics as (
    select
        cast(model as {{ dbt.type_string() }}) as model,  -- noqa: RF04
        cast(model_version as {{ dbt.type_string() }}) as model_version,
        cast(split as {{ dbt.type_string() }}) as split,  -- noqa: RF04
        cast(group_name as {{ dbt.type_string() }}) as group_name,
        cast(metric as {{ dbt.type_string() }}) as metric,
        cast(value as double) as metric_value,
        cast(training_data_hash as {{ dbt.type_string() }}) as training_data_hash
    from model_metrics
    where cast(model as {{ dbt.type_string() }}) like 'claim%'
),

pivoted as (
    select
        ---------- grain
        model,
        model_version,
        split,
        group_name,
        ---------- model family and candidate ('claim_classifier__random_forest')
        {{ dbt.split_part('model', "'__'", 1) }} as model_family,
        nullif({{ dbt.split_part('model', "'__'", 2) }}, '') as candidate_name,
        ---------- metrics
        {%- for metric, column in metrics.items() %}
            max(case when metric = '{{ metric }}' then metric_value end) as {{ column }},
        {%- endfor %}
        ---------- provenance
        training_data_hash
    from claims_metrics
    group by model, model_version, split, group_name, training_data_hash
)

select * from pivoted
