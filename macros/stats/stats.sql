{#-
  Statistics in plain SQL (exp, ln, sqrt, abs only), so p-values and intervals are computed in
  the warehouse on any engine. DuckDB has no normal CDF: `normal_cdf` is the one approximation
  every p-value and interval here goes through.
-#}

{#- Standard normal CDF, Abramowitz & Stegun 26.2.17 (absolute error < 7.5e-8). -#}
{% macro normal_cdf(z) -%}
    {%- set t = '(1.0 / (1.0 + 0.2316419 * abs(' ~ z ~ ')))' -%}
    (case
        when ({{ z }}) is null then null
        when ({{ z }}) >= 0 then 1.0 - {{ _normal_tail(z, t) }}
        else {{ _normal_tail(z, t) }}
    end)
{%- endmacro %}

{#- Upper tail of |z|: pdf(z) * polynomial(t). -#}
{% macro _normal_tail(z, t) -%}
    (exp(-0.5 * ({{ z }}) * ({{ z }})) / 2.5066282746310002
        * {{ t }} * (0.319381530 + {{ t }} * (-0.356563782 + {{ t }} * (1.781477937
        + {{ t }} * (-1.821255978 + {{ t }} * 1.330274429)))))
{%- endmacro %}

{#- Two-sided p-value of a z statistic: 2 * (1 - Phi(|z|)), from the upper tail directly so
    large |z| gives a small p-value rather than 0 from 1 - 0.99999999... -#}
{% macro two_sided_p_value(z) -%}
    {%- set t = '(1.0 / (1.0 + 0.2316419 * abs(' ~ z ~ ')))' -%}
    (case when ({{ z }}) is not null then 2.0 * {{ _normal_tail(z, t) }} end)
{%- endmacro %}

{#-
  z quantile for a two-sided confidence level, at compile time (the levels people use).
  Anything else fails loudly rather than silently using 1.96.
-#}
{% macro z_critical(confidence=0.95) -%}
    {%- set table = {0.8: 1.2815515655446004, 0.9: 1.6448536269514722, 0.95: 1.959963984540054,
                     0.98: 2.3263478740408408, 0.99: 2.5758293035489004, 0.999: 3.2905267314918945} -%}
    {%- if confidence not in table -%}
        {{ exceptions.raise_compiler_error("z_critical: unsupported confidence " ~ confidence ~ "; use one of " ~ (table.keys() | list)) }}
    {%- endif -%}
    {{- table[confidence] -}}
{%- endmacro %}

{#- Welch z statistic for a difference of two means (normal approximation, large samples). -#}
{% macro welch_z(mean_a, var_a, n_a, mean_b, var_b, n_b) -%}
    (({{ mean_a }} - {{ mean_b }}) / nullif(sqrt({{ var_a }} / nullif({{ n_a }}, 0) + {{ var_b }} / nullif({{ n_b }}, 0)), 0))
{%- endmacro %}

{#- Standard error of a difference of two means (unequal variances). -#}
{% macro welch_standard_error(var_a, n_a, var_b, n_b) -%}
    sqrt({{ var_a }} / nullif({{ n_a }}, 0) + {{ var_b }} / nullif({{ n_b }}, 0))
{%- endmacro %}

{#-
  Fisher z statistic of a Pearson correlation r over n pairs: atanh(r) * sqrt(n - 3).
  r is clamped to +-0.9999999 so a perfect correlation gives a large finite z.
-#}
{% macro fisher_z(r, n) -%}
    {%- set rc = '(greatest(least(' ~ r ~ ', 0.9999999), -0.9999999))' -%}
    (0.5 * ln((1.0 + {{ rc }}) / (1.0 - {{ rc }})) * sqrt(greatest({{ n }} - 3, 0)))
{%- endmacro %}

{#- Two-sided p-value of H0: correlation = 0 (Fisher transformation, normal approximation). -#}
{% macro correlation_p_value(r, n) -%}
    (case when {{ n }} > 3 and {{ r }} is not null then {{ two_sided_p_value(fisher_z(r, n)) }} end)
{%- endmacro %}

{#- Lower / upper confidence bound of a correlation (Fisher interval). -#}
{% macro correlation_bound(r, n, side, confidence=0.95) -%}
    {%- set rc = '(greatest(least(' ~ r ~ ', 0.9999999), -0.9999999))' -%}
    {%- set zr = '(0.5 * ln((1.0 + ' ~ rc ~ ') / (1.0 - ' ~ rc ~ ')))' -%}
    {%- set sign = '-' if side == 'lower' else '+' -%}
    (case when {{ n }} > 3 and {{ r }} is not null then
        {{ _tanh(zr ~ ' ' ~ sign ~ ' ' ~ z_critical(confidence) ~ ' / sqrt(' ~ n ~ ' - 3)') }}
    end)
{%- endmacro %}

{% macro _tanh(x) -%}
    ((exp(2.0 * ({{ x }})) - 1.0) / (exp(2.0 * ({{ x }})) + 1.0))
{%- endmacro %}

{#-
  Two-proportion z-test (pooled standard error under H0: p_a = p_b), as used for A/B tests.
  Returns the z statistic of (p_b - p_a).
-#}
{% macro two_proportion_z(conversions_a, exposures_a, conversions_b, exposures_b) -%}
    {%- set pa = '(cast(1 as double) * ' ~ conversions_a ~ ' / nullif(' ~ exposures_a ~ ', 0))' -%}
    {%- set pb = '(cast(1 as double) * ' ~ conversions_b ~ ' / nullif(' ~ exposures_b ~ ', 0))' -%}
    {%- set pooled = '(cast(1 as double) * (' ~ conversions_a ~ ' + ' ~ conversions_b ~ ') / nullif(' ~ exposures_a ~ ' + ' ~ exposures_b ~ ', 0))' -%}
    (({{ pb }} - {{ pa }}) / nullif(sqrt({{ pooled }} * (1.0 - {{ pooled }})
        * (1.0 / nullif({{ exposures_a }}, 0) + 1.0 / nullif({{ exposures_b }}, 0))), 0))
{%- endmacro %}

{#- Unpooled standard error of p_b - p_a (Wald interval for the difference). -#}
{% macro two_proportion_standard_error(conversions_a, exposures_a, conversions_b, exposures_b) -%}
    {%- set pa = '(cast(1 as double) * ' ~ conversions_a ~ ' / nullif(' ~ exposures_a ~ ', 0))' -%}
    {%- set pb = '(cast(1 as double) * ' ~ conversions_b ~ ' / nullif(' ~ exposures_b ~ ', 0))' -%}
    sqrt({{ pa }} * (1.0 - {{ pa }}) / nullif({{ exposures_a }}, 0) + {{ pb }} * (1.0 - {{ pb }}) / nullif({{ exposures_b }}, 0))
{%- endmacro %}

{#- Continuous percentile (linear interpolation) of a numeric column: an aggregate, also usable as
    a window function (engine-specific). With a list of fractions: one list of percentiles (read
    with list_element, 1-based), one aggregate state per group where one percentile() per
    fraction keeps a copy of the values each (holistic aggregates do not spill to disk, so each
    copy counts against memory beyond DuckDB's limit). -#}
{% macro percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('percentile', 'tiktok_warehouse')(expression, fraction)) }}
{%- endmacro %}

{% macro default__percentile(expression, fraction) -%}
    {%- if fraction is iterable and fraction is not string -%}
        quantile_cont({{ expression }}, [{{ fraction | join(', ') }}])
    {%- else -%}
        quantile_cont({{ expression }}, {{ fraction }})
    {%- endif -%}
{%- endmacro %}

{% macro spark__percentile(expression, fraction) -%}
    {%- if fraction is iterable and fraction is not string -%}
        percentile({{ expression }}, array({{ fraction | join(', ') }}))
    {%- else -%}
        percentile({{ expression }}, {{ fraction }})
    {%- endif -%}
{%- endmacro %}

{#- A correlation coefficient as a valid value: null where it is undefined (a constant series
    gives NaN) and float error (1.0000000000000002) clamped into [-1, 1]. -#}
{% macro bounded_coefficient(r) -%}
    case
        when isnan({{ r }}) then null
        when {{ r }} > 1 then 1.0
        when {{ r }} < -1 then -1.0
        else {{ r }}
    end
{%- endmacro %}

{#- Pearson correlation of x and y as a valid coefficient (see bounded_coefficient). -#}
{% macro bounded_correlation(x, y) -%}
    {{ bounded_coefficient('corr(' ~ x ~ ', ' ~ y ~ ')') }}
{%- endmacro %}

{#- `select <n> as <column> union all ...` for n in start..stop: a tiny integer relation. -#}
{% macro integer_rows(column, start, stop) -%}
    {%- set rows = [] -%}
    {%- for n in range(start, stop + 1) -%}
        {%- do rows.append('select ' ~ n ~ ' as ' ~ column) -%}
    {%- endfor -%}
    {{ rows | join('\n    union all\n    ') }}
{%- endmacro %}
