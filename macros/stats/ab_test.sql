{#-
  ab_test_analysis(experiments, confidence): one row per non-control variant of each experiment,
  compared with that experiment's control: conversion rates, absolute and relative lift, a pooled
  two-proportion z-test (two-sided p-value) and a Wald confidence interval of the difference.

  `experiments` is any relation with columns experiment_id, variant, is_control (boolean),
  exposures, conversions; exactly one control row per experiment.
-#}
{% macro ab_test_analysis(experiments, confidence=0.95) -%}
    {%- set zc = z_critical(confidence) -%}
    with

    experiments as (
        select
            cast(experiment_id as {{ dbt.type_string() }}) as experiment_id,
            cast(variant as {{ dbt.type_string() }}) as variant,
            cast(is_control as boolean) as is_control,
            cast(exposures as bigint) as exposures,
            cast(conversions as bigint) as conversions
        from {{ experiments }}
    ),

    controls as (
        select * from experiments where is_control
    ),

    compared as (
        select
            treatment.experiment_id,
            treatment.variant,
            control.variant as control_variant,
            control.exposures as control_exposures,
            control.conversions as control_conversions,
            treatment.exposures as variant_exposures,
            treatment.conversions as variant_conversions,
            cast(1 as double) * control.conversions / nullif(control.exposures, 0) as control_conversion_rate,
            cast(1 as double) * treatment.conversions / nullif(treatment.exposures, 0) as variant_conversion_rate,
            {{ two_proportion_z('control.conversions', 'control.exposures', 'treatment.conversions', 'treatment.exposures') }}
                as z_statistic,
            {{ two_proportion_standard_error('control.conversions', 'control.exposures', 'treatment.conversions', 'treatment.exposures') }}
                as difference_standard_error
        from experiments as treatment
        inner join controls as control
            on treatment.experiment_id = control.experiment_id
        where not treatment.is_control
    ),

    final as (
        select
            experiment_id,
            variant,
            control_variant,
            control_exposures,
            control_conversions,
            variant_exposures,
            variant_conversions,
            control_conversion_rate,
            variant_conversion_rate,
            {#- Rounded to 6 decimals: reporting precision, and stable across engines. -#}
            round(variant_conversion_rate - control_conversion_rate, 6) as absolute_lift,
            round((variant_conversion_rate - control_conversion_rate) / nullif(control_conversion_rate, 0), 6)
                as relative_lift,
            round(z_statistic, 6) as z_statistic,
            round({{ two_sided_p_value('z_statistic') }}, 6) as p_value,
            {{ confidence }} as confidence_level,
            round(variant_conversion_rate - control_conversion_rate - {{ zc }} * difference_standard_error, 6)
                as lift_lower_bound,
            round(variant_conversion_rate - control_conversion_rate + {{ zc }} * difference_standard_error, 6)
                as lift_upper_bound,
            coalesce({{ two_sided_p_value('z_statistic') }} < {{ (1 - confidence) | round(6) }}, false) as is_significant
        from compared
    )

    select * from final
{%- endmacro %}
