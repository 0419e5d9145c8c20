{#-
  Settings of the influence analysis read in several models (docs/influence.md).
-#}

{#- The weight of an engagement source (an event_kind) in the engaged-theme shares: var
    influence_source_weights, a mapping event_kind -> weight; a kind not named weighs 1. -#}
{% macro source_weight(kind_expr) -%}
    {%- set weights = var('influence_source_weights') -%}
    case {{ kind_expr }}
    {%- for kind, weight in weights.items() %}
        when '{{ kind }}' then cast({{ weight | float }} as double)
    {%- endfor %}
        else cast(1 as double)
    end
{%- endmacro %}

{#- The hashtags of a free text (a comment), space-separated: every word not starting with `#`
    removed. Null when there is none. -#}
{% macro text_hashtags(expr) -%}
    nullif(trim({{ regex_replace_all(regex_replace_all(expr, '(^|\\s)[^#\\s]\\S*', ' '), '\\s+', ' ') }}), '')
{%- endmacro %}

{#- A whole number as text with thousands separators (6000 -> '6,000'), below a billion; the same
    on every engine (DuckDB's format() and Spark's format_number() differ). -#}
{% macro thousands_text(expr) -%}
    {%- set s = dbt.type_string() -%}
    case
        when {{ expr }} is null then null
        when abs({{ expr }}) < 1000 then cast({{ expr }} as {{ s }})
        when abs({{ expr }}) < 1000000
            then {{ dbt.concat([
                "cast(cast(floor(" ~ expr ~ " / 1000) as bigint) as " ~ s ~ ")", "','",
                "lpad(cast(cast(" ~ expr ~ " as bigint) % 1000 as " ~ s ~ "), 3, '0')",
            ]) }}
        else {{ dbt.concat([
            "cast(cast(floor(" ~ expr ~ " / 1000000) as bigint) as " ~ s ~ ")", "','",
            "lpad(cast(cast(floor(" ~ expr ~ " / 1000) as bigint) % 1000 as " ~ s ~ "), 3, '0')", "','",
            "lpad(cast(cast(" ~ expr ~ " as bigint) % 1000 as " ~ s ~ "), 3, '0')",
        ]) }}
    end
{%- endmacro %}

{#- A number rounded to `digits` as text (null stays null). -#}
{% macro rounded_text(expr, digits=2) -%}
    cast(round({{ expr }}, {{ digits }}) as {{ dbt.type_string() }})
{%- endmacro %}

{#- A share as a whole percentage with `%` (0.384 -> '38%'). -#}
{% macro percent_text(expr) -%}
    {{ dbt.concat(["cast(cast(round(100 * " ~ expr ~ ", 0) as integer) as " ~ dbt.type_string() ~ ")", "'%'"]) }}
{%- endmacro %}

{#- A p-value as text: `< 0.001` below it, else three decimals. -#}
{% macro p_value_text(expr) -%}
    case
        when {{ expr }} is null then 'n/a'
        when {{ expr }} < 0.001 then '< 0.001'
        else {{ dbt.concat(["'= '", rounded_text(expr, 3)]) }}
    end
{%- endmacro %}
