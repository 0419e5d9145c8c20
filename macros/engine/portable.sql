{#- SQL that reads the same on DuckDB and Spark, for what dbt's cross-database macros lack. -#}

{#-
  try_cast(expression, type): the value cast to `type`, or null when it does not convert.
  (dbt.safe_cast is a plain, failing cast on dbt-duckdb; DuckDB and Spark 4 both have try_cast.)
-#}
{% macro try_cast(expression, type) -%}
    try_cast({{ expression }} as {{ type }})
{%- endmacro %}

{#- A text fingerprint of a row's values: md5 over each value prefixed by its length (null as
    '~'), so two rows share it only when every value is equal, nulls equal to nulls, as in a
    `partition by` over the columns, but as one narrow column a window can sort cheaply. -#}
{% macro row_fingerprint(columns) -%}
    {%- set parts = [] -%}
    {%- for c in columns -%}
        {%- do parts.append(
            "coalesce(cast(length(" ~ c ~ ") as " ~ dbt.type_string() ~ ") || ':' || " ~ c ~ ", '~')"
        ) -%}
    {%- endfor -%}
    {{ dbt.hash(parts | join(' || ')) }}
{%- endmacro %}
