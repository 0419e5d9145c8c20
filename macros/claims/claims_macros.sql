{#-
  Claims domain macros, portable SQL. Engine-specific constructs (regex, percentiles) are the
  shared dispatched macros regex_extract / regex_matches (engine.sql) and percentile (stats.sql).
-#}


{#-
  A count cell as the course file writes it: a non-negative whole number, or a missing marker
  (`#N/A`, empty). Returns a bigint, or null for a missing marker AND for garbage: use
  claims_count_is_invalid to tell those apart.
-#}
{% macro claims_parse_count(column) -%}
    case
        when {{ claims_is_missing_marker(column) }} then null
        when
            {{ try_cast('trim(' ~ column ~ ')', 'double') }} >= 0
            and {{ try_cast('trim(' ~ column ~ ')', 'double') }}
            = floor({{ try_cast('trim(' ~ column ~ ')', 'double') }})
            then cast({{ try_cast('trim(' ~ column ~ ')', 'double') }} as bigint)
    end
{%- endmacro %}

{#- True for the markers of a missing value: null, empty, `#N/A`, `N/A`, `NaN`, `null`, `None`. -#}
{% macro claims_is_missing_marker(column) -%}
    coalesce(upper(trim({{ column }})), '') in ('', '#N/A', 'N/A', 'NAN', 'NULL', 'NONE')
{%- endmacro %}

{#- True when a count cell holds something that is neither a count nor a missing marker. -#}
{% macro claims_count_is_invalid(column) -%}
    (not {{ claims_is_missing_marker(column) }} and ({{ claims_parse_count(column) }}) is null)
{%- endmacro %}

{#- True when `left` and `right` hold equal values (nulls equal to nulls) in every column. -#}
{% macro claims_null_safe_equal_all(left, right, columns) -%}
    (
    {%- for column in columns %}
        {{ 'and ' if not loop.first }}coalesce({{ left }}.{{ column }} = {{ right }}.{{ column }}, {{ left }}.{{ column }} is null and {{ right }}.{{ column }} is null)
    {%- endfor %}
    )
{%- endmacro %}
