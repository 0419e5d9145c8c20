{#-
  SQL fragments of stg_tiktok_export__list_items, generated from the export contract
  (export_layouts.sql) so the model itself stays readable.
-#}

{#- Select-list items: each list's raw item count and typed items, out of `texts_column`. -#}
{% macro tiktok_export_json_list_columns(texts_column, layout_column) -%}
    {%- set lines = [] -%}
    {%- for name, spec in tiktok_export_lists().items() -%}
        {%- set text = tiktok_export_list_text(spec.paths, texts_column, layout_column) -%}
        {%- do lines.append(json_array_size(text) ~ ' as ' ~ name ~ '_count') -%}
        {%- do lines.append(
            json_parse_typed(tiktok_export_canonical_keys(name, text), tiktok_export_list_shape(name))
            ~ ' as ' ~ name ~ '_items'
        ) -%}
    {%- endfor -%}
    {{ lines | join(',\n        ') }}
{%- endmacro %}

{#-
  One long relation of every list's items out of `sections` (one row per file with
  <list>_count and <list>_items columns): common columns, the union of all fields (null where a
  list lacks one) and the profile fields (null: profile rows come separately).
-#}
{% macro tiktok_export_json_items_union(sections) -%}
    {%- set fields = tiktok_export_all_fields() -%}
    {%- set profile = tiktok_export_profile_spec() -%}
    {%- set branches = [] -%}
    {%- for name, spec in tiktok_export_lists().items() -%}
        {%- set cols = [] -%}
        {%- for f in fields -%}
            {%- if f in spec.fields -%}
                {%- do cols.append('item.' ~ f ~ ' as ' ~ tiktok_export_column(f)) -%}
            {%- else -%}
                {%- do cols.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ tiktok_export_column(f)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for f in profile.fields -%}
            {%- do cols.append('cast(null as ' ~ dbt.type_string() ~ ') as profile_' ~ tiktok_export_column(f)) -%}
        {%- endfor -%}
        {%- set branch -%}
    select
        source_file,
        export_layout,
        '{{ name }}' as list_name,
        item_position,
        list_item_count,
        {{ cols | join(',\n        ') }}
    from (
        select
            source_file,
            export_layout,
            cast({{ name }}_count as bigint) as list_item_count,
            {{ unnest_with_positions(name ~ '_items', 'item', 'item_position') }}
        from {{ sections }}
        where {{ name }}_count > 0
    ) as unnested
        {%- endset -%}
        {%- do branches.append(branch) -%}
    {%- endfor -%}
    {{ branches | join('\n    union all\n') }}
{%- endmacro %}

{#- Select-list items for the profile row of a JSON file (list fields null). -#}
{% macro tiktok_export_json_profile_columns(profile_struct) -%}
    {%- set cols = [] -%}
    {%- for f in tiktok_export_all_fields() -%}
        {%- do cols.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ tiktok_export_column(f)) -%}
    {%- endfor -%}
    {%- for f in tiktok_export_profile_spec().fields -%}
        {%- do cols.append(profile_struct ~ '.' ~ f ~ ' as profile_' ~ tiktok_export_column(f)) -%}
    {%- endfor -%}
    {{ cols | join(',\n        ') }}
{%- endmacro %}

{#- Select-list items for a TXT block: each field read from its `Label: value` line, only for
    the lists that carry that field (so a profile's Username never lands in a list column). -#}
{% macro tiktok_export_txt_columns(block, list_column) -%}
    {%- set profile = tiktok_export_profile_spec() -%}
    {%- set cols = [] -%}
    {%- for f in tiktok_export_all_fields() -%}
        {%- set owners = [] -%}
        {%- for name, spec in tiktok_export_lists().items() -%}
            {%- if f in spec.fields -%}{%- do owners.append("'" ~ name ~ "'") -%}{%- endif -%}
        {%- endfor -%}
        {%- do cols.append(
            'case when ' ~ list_column ~ ' in (' ~ owners | join(', ') ~ ') then '
            ~ tiktok_export_txt_field(block, f) ~ ' end as ' ~ tiktok_export_column(f)
        ) -%}
    {%- endfor -%}
    {%- for f in profile.fields -%}
        {%- do cols.append(
            'case when ' ~ list_column ~ " = 'profile' then "
            ~ tiktok_export_txt_field(block, f, profile.txt_labels[f]) ~ ' end as profile_' ~ tiktok_export_column(f)
        ) -%}
    {%- endfor -%}
    {{ cols | join(',\n        ') }}
{%- endmacro %}

{#- Select-list items passing every field through from `relation_alias`, pseudonymising user
    names (the only third-party identifiers the analysed lists carry) unless told not to. -#}
{% macro tiktok_export_field_columns(relation_alias='', pseudonymise=true) -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    {%- set cols = [] -%}
    {%- for f in tiktok_export_all_fields() -%}
        {%- if f == 'UserName' and pseudonymise -%}
            {%- do cols.append(
                pseudonymise_user_name(export_text(prefix ~ 'user_name_key')) ~ ' as user_name_key'
            ) -%}
        {%- else -%}
            {%- do cols.append(prefix ~ tiktok_export_column(f)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for f in tiktok_export_profile_spec().fields -%}
        {%- do cols.append(prefix ~ 'profile_' ~ tiktok_export_column(f)) -%}
    {%- endfor -%}
    {{ cols | join(',\n        ') }}
{%- endmacro %}

{#- `select <n> as <column> union all ...` for n in start..stop: a tiny integer relation. -#}
{% macro integer_rows(column, start, stop) -%}
    {%- set rows = [] -%}
    {%- for n in range(start, stop + 1) -%}
        {%- do rows.append('select ' ~ n ~ ' as ' ~ column) -%}
    {%- endfor -%}
    {{ rows | join('\n    union all\n    ') }}
{%- endmacro %}
