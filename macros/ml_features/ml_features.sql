{#- Helpers of the ML training frames (models/ml_features) and the profile dating they use. -#}

{#- True when the built relation has the column. A frame that uses a column an upstream model
    may not expose yet (e.g. the profile picture URL of the creator files) selects null in its
    place instead of failing. Unit tests override this macro (`overrides: macros:`), since a
    fixture is not a relation of the warehouse. -#}
{% macro relation_has_column(relation, column_name) -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {{ return(column_name | lower in names) }}
{%- endmacro %}

{#- `relation_alias.column_name` when the relation has it, else a typed null. -#}
{% macro optional_column(relation, relation_alias, column_name, data_type) -%}
    {%- if relation_has_column(relation, column_name) -%}
        {{ relation_alias }}.{{ column_name }}
    {%- else -%}
        cast(null as {{ data_type }})
    {%- endif -%}
{%- endmacro %}

{#- The UTC time a URL query parameter holds in Unix seconds (`x-expires=1699999999` of a
    signed CDN URL); null when the URL has no such parameter. -#}
{% macro url_unix_time_parameter(url, parameter) -%}
    {{ timestamp_from_unix_seconds(
        try_cast(regex_extract(url, '[?&]' ~ parameter ~ '=([0-9]{9,11})([&#]|$)'), 'bigint')
    ) }}
{%- endmacro %}
