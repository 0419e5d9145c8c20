{#- Schemas are exactly the folder names (staging, intermediate, marts, audit, ml, reference),
    without dbt's default "<target schema>_" prefix, so analysts and BI tools see stable names. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
