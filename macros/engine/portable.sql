{#- SQL that reads the same on DuckDB and Spark, for what dbt's cross-database macros lack. -#}

{#-
  try_cast(expression, type): the value cast to `type`, or null when it does not convert.
  (dbt.safe_cast is a plain, failing cast on dbt-duckdb; DuckDB and Spark 4 both have try_cast.)
-#}
{% macro try_cast(expression, type) -%}
    try_cast({{ expression }} as {{ type }})
{%- endmacro %}

{#- A text fingerprint of a row's values: equal when every value is equal (nulls equal to
    nulls), as in a `partition by` over the columns, but one narrow column a window can sort
    cheaply. On DuckDB its 64-bit hash of the values; md5 of the long rows' text was a large share
    of their parse. Other engines: md5 over each value prefixed by its length (null as
    '~'); Spark's own hashes skip nulls, so a value and a null swapped would collide. -#}
{% macro row_fingerprint(columns) -%}
    {{ return(adapter.dispatch('row_fingerprint', 'tiktok_warehouse')(columns)) }}
{%- endmacro %}

{% macro default__row_fingerprint(columns) -%}
    cast(hash({{ columns | join(', ') }}) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro spark__row_fingerprint(columns) -%}
    {%- set parts = [] -%}
    {%- for c in columns -%}
        {%- do parts.append(
            "coalesce(cast(length(" ~ c ~ ") as " ~ dbt.type_string() ~ ") || ':' || " ~ c ~ ", '~')"
        ) -%}
    {%- endfor -%}
    {{ dbt.hash(parts | join(' || ')) }}
{%- endmacro %}
