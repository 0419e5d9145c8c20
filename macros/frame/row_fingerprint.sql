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
