{#-
  Merging several exports of one account: an event is the same event when account, kind
  (one staging model per kind), timestamp and target agree. The surviving copy is the one with
  the smallest (source_file, item_position): an order-independent rule, so the result does not
  depend on the order exports arrive in. `export_copies` counts the raw copies merged into it.
  Renders the body of a CTE selecting from `relation`, with `copy_rank` (keep = 1).
-#}
{% macro export_dedupe(relation, key_columns) -%}
    select
        *,
        count(*) over (
            partition by {{ key_columns | join(', ') }}
        ) as export_copies,
        row_number() over (
            partition by {{ key_columns | join(', ') }}
            order by source_file, item_position
        ) as copy_rank
    from {{ relation }}
{%- endmacro %}

{#- A stable text key out of columns (md5 of their '|'-joined text; null parts as ''). -#}
{% macro export_event_id(columns) -%}
    {%- set parts = [] -%}
    {%- for c in columns -%}
        {%- if not loop.first -%}{%- do parts.append("'|'") -%}{%- endif -%}
        {%- do parts.append("coalesce(cast(" ~ c ~ " as " ~ dbt.type_string() ~ "), '')") -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}

{#- Per account and list: rows staged and raw copies merged away, for each {list: relation}
    (resolve the relations with ref() in the model, so lineage is parsed there). -#}
{% macro export_staged_counts(staged_relations) -%}
    {%- set branches = [] -%}
    {%- for list_name, relation in staged_relations.items() -%}
        {%- do branches.append(
            "select account_id, '" ~ list_name ~ "' as list_name, count(*) as staged_row_count, "
            ~ "cast(sum(export_copies) - count(*) as bigint) as duplicate_row_count "
            ~ "from " ~ relation ~ " group by account_id"
        ) -%}
    {%- endfor -%}
    {{ branches | join('\n    union all\n    ') }}
{%- endmacro %}

{#- The export's folder of a raw file (source_file relative to the raw dir): the first folder
    under export/, else the file name without its extension. One account's downloads. -#}
{% macro tiktok_export_folder(source_file) -%}
    case
        when {{ dbt.split_part(source_file, "'/'", 3) }} <> ''
            then {{ dbt.split_part(source_file, "'/'", 2) }}
        else {{ regex_extract(source_file, '([^/]+?)(?:\\.[^./]*)?$') }}
    end
{%- endmacro %}

{#-
  The items an event model stages (one list, not quarantined). The event models are
  incremental by account (delete+insert): a build restages only the accounts whose item count
  differs from the raw copies already staged (sum of export_copies), i.e. the accounts a new
  export added items to. Self-healing: an account left half-built by a failed run still
  differs and is restaged. Loaded files that change or vanish force a full refresh
  (scripts/warehouse.py), so counts only ever grow between refreshes.
-#}
{% macro export_items_to_stage(items_relation, list_name) -%}
    select * from {{ items_relation }}
    where
        list_name = '{{ list_name }}'
        and quarantine_reason is null
        {%- if is_incremental() %}
            and account_id in (
                select item_counts.account_id
                from (
                    select
                        account_id,
                        count(*) as item_count
                    from {{ items_relation }}
                    where list_name = '{{ list_name }}' and quarantine_reason is null
                    group by account_id
                ) as item_counts
                left join (
                    select
                        account_id,
                        sum(export_copies) as item_count
                    from {{ this }}
                    group by account_id
                ) as staged_counts
                    on item_counts.account_id = staged_counts.account_id
                where
                    staged_counts.account_id is null
                    or staged_counts.item_count <> item_counts.item_count
            )
        {%- endif %}
{%- endmacro %}

{#-
  The export files an incremental build of the parser reads: every file of every export folder
  (tiktok_export_folder) that holds a file the parser has not loaded yet, decided at compile
  time from the file listing and {{ this }}. Reading only those files, rather than reading
  every export and filtering in SQL, keeps the parse to the new exports and keeps DuckDB
  handling one document at a time (a filter after the read regroups all documents into one
  vector and held 2.8 GB for 260 exports). Returns none (read everything) when not incremental.
-#}
{% macro tiktok_export_files_to_parse(loaded_relation) -%}
    {%- if not execute or not is_incremental() -%}{{ return(none) }}{%- endif -%}
    {%- set listed = [] -%}
    {%- for node in graph.sources.values()
        if node.source_name == 'tiktok_export' and node.meta.get('raw_kind') == 'export' -%}
        {%- for f in list_raw_files('export', node.meta.get('patterns', ['*.json'])) -%}
            {%- if f.source_file not in listed %}{% do listed.append(f.source_file) %}{% endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if listed | length == 0 -%}{{ return([]) }}{%- endif -%}
    {%- set rows = [] -%}
    {%- for f in listed %}{% do rows.append("('" ~ (f | replace("'", "''")) ~ "')") %}{% endfor -%}
    {%- set query -%}
        with listed as (
            select listed_files.source_file
            from (values {{ rows | join(', ') }}) as listed_files (source_file)
        ),

        new_folders as (
            select distinct {{ tiktok_export_folder('listed.source_file') }} as export_folder
            from listed
            where listed.source_file not in (select loaded.source_file from {{ loaded_relation }} as loaded)
        )

        select listed.source_file
        from listed
        where {{ tiktok_export_folder('listed.source_file') }} in (select new_folders.export_folder from new_folders)
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}
