{#-
  The skeleton of a reconciliation model: per key (a raw file, an account and list, ...), one
  aggregate of each relation that holds the key's rows (raw rows, staged rows, quarantined
  rows, duplicates), side by side, so the model's tests can check that they add up.

  counts: [column, relation] or [column, relation, aggregate] in output order; `relation` is a
  CTE (or relation) of the calling model with the key columns, `aggregate` an aggregate over
  its rows (default count(*), e.g. `count(case when is_wrapped_line then 1 end)`). The first
  entry's relation drives: one output row per key it holds, its columns as aggregated. The
  other relations' columns are 0 for a key they hold no row of (counts and sums only).
  keys_from: a relation of the key values instead (when no counted relation holds every key,
  e.g. the union of two relations' keys): one output row per distinct key, every column 0
  where its relation holds no row.
-#}
{% macro reconciliation_counts(key, counts, keys_from=none) -%}
    {%- set keys = [key] if key is string else key -%}
    {%- set relations = [] -%}
    {%- for entry in counts -%}
        {%- if entry[1] not in relations -%}{%- do relations.append(entry[1]) -%}{%- endif -%}
    {%- endfor -%}
    {%- if keys_from is not none and keys_from in relations -%}
        {{ exceptions.raise_compiler_error(
            "reconciliation_counts: keys_from '" ~ keys_from ~ "' is also counted; leave keys_from out") }}
    {%- endif -%}
    {%- set driving = (keys_from ~ '_keys') if keys_from is not none else (relations[0] ~ '_counts') -%}
    {%- set columns = [] -%}
    {%- for k in keys -%}{%- do columns.append(driving ~ '.' ~ k) -%}{%- endfor -%}
    {%- for entry in counts -%}
        {%- set counted = entry[1] ~ '_counts.' ~ entry[0] -%}
        {%- do columns.append(counted if entry[1] ~ '_counts' == driving else 'coalesce(' ~ counted ~ ', 0) as ' ~ entry[0]) -%}
    {%- endfor %}
    select
        {{ columns | join(',\n        ') }}
    {%- if keys_from is not none %}
    from (
        select distinct {{ keys | join(', ') }}
        from {{ keys_from }}
    ) as {{ driving }}
    {%- endif %}
    {%- for relation in relations %}
    {%- set joined = keys_from is not none or not loop.first %}
    {{ 'left join' if joined else 'from' }} (
        select
            {{ keys | join(', ') }},
            {%- for entry in counts if entry[1] == relation %}
            {{ entry[2] if entry | length > 2 else 'count(*)' }} as {{ entry[0] }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ relation }}
        group by {{ keys | join(', ') }}
    ) as {{ relation }}_counts
        {%- if joined %}
        on
            {%- for k in keys %}
            {{ 'and ' if not loop.first }}{{ driving }}.{{ k }} = {{ relation }}_counts.{{ k }}
            {%- endfor %}
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
