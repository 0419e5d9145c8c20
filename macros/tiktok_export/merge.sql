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
    {%- set items = "list_name = '" ~ list_name ~ "' and quarantine_reason is null" -%}
    select * from {{ items_relation }}
    where
        {{ items }}
        {%- if is_incremental() %}
            and account_id in (
                {{ accounts_to_rebuild(
                    "select account_id, count(*) as account_version from " ~ items_relation
                    ~ " where " ~ items ~ " group by account_id",
                    'sum(export_copies)'
                ) | indent(16) }}
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

{#-
  Incremental by account downstream of the event models (int_export_events_unioned and the
  theme chain after it): a model rebuilds the accounts whose upstream version differs from the
  one its rows were built from, or that have no rows yet, and delete+insert on account_id
  replaces them. An account's version is its number of raw export copies (sum of export_copies
  over its events): between full refreshes the event models only ever add copies, so any new
  item of an account changes it. Inputs shared by every account (theme keywords, video metadata,
  the vars, the models' code) force a full refresh instead (scripts/warehouse.py).
  `upstream_versions` is a query of (account_id, account_version); `built_version` the
  aggregate that reads the version back from {{ this }}.
-#}
{% macro account_versions(relation, version='max(account_export_copies)') -%}
select
    account_id,
    {{ version }} as account_version
from {{ relation }}
group by account_id
{%- endmacro %}

{#- The config of a model incremental by account, rebuilt from `upstream` (a model, its version
    read with `upstream_version`; none: the event models, export_event_versions): delete+insert on
    account_id, then delete_stale_accounts as post-hook (text, rendered at run time). A table on
    Spark, which has no delete+insert without Delta (README: Spark). -#}
{% macro by_account_config(upstream=none, upstream_version='max(account_export_copies)') -%}
    {%- if upstream is none -%}
        {%- set versions = "export_event_versions(), 'sum(export_copies)'" -%}
    {%- else -%}
        {%- set versions = "account_versions(ref('" ~ upstream ~ "'), '" ~ upstream_version ~ "')" -%}
    {%- endif -%}
    {{ return({
        'materialized': 'table' if target.type == 'spark' else 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': 'account_id',
        'on_schema_change': 'fail',
        'post_hook': '{{ delete_stale_accounts(' ~ versions ~ ') }}',
    }) }}
{%- endmacro %}

{#- The accounts to rebuild (a query of account_id; incremental runs only). -#}
{% macro accounts_to_rebuild(upstream_versions, built_version='max(account_export_copies)') -%}
    select upstream_versions.account_id
    from (
        {{ upstream_versions | indent(8) }}
    ) as upstream_versions
    left join (
        {{ account_versions(this, built_version) | indent(8) }}
    ) as built
        on upstream_versions.account_id = built.account_id
    where
        built.account_id is null
        or built.account_version <> upstream_versions.account_version
{%- endmacro %}

{#- The `rebuilt_accounts` CTE, trailing comma included, in incremental runs; nothing otherwise
    (a full build takes every account). -#}
{% macro rebuilt_accounts_cte(upstream_versions, built_version='max(account_export_copies)') -%}
    {%- if is_incremental() %}
rebuilt_accounts as (
    {{ accounts_to_rebuild(upstream_versions, built_version) }}
),
    {% endif -%}
{%- endmacro %}

{#- The where condition keeping the accounts of the `rebuilt_accounts` CTE (true when not
    incremental: a full build takes every account). -#}
{% macro in_rebuilt_accounts(account_column='account_id') -%}
    {%- if is_incremental() -%}
        {{ account_column }} in (select rebuilt_accounts.account_id from rebuilt_accounts)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- Post-hook of those models: delete the accounts still built from an old version (their
    rebuild gave no rows) or gone upstream. Empty, so no hook, when not incremental. -#}
{% macro delete_stale_accounts(upstream_versions, built_version='max(account_export_copies)') -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where account_id in (
            select built.account_id
            from (
                {{ account_versions(this, built_version) | indent(16) }}
            ) as built
            left join (
                {{ upstream_versions | indent(16) }}
            ) as upstream_versions
                on built.account_id = upstream_versions.account_id
            where
                upstream_versions.account_id is null
                or built.account_version <> upstream_versions.account_version
        )
    {%- endif -%}
{%- endmacro %}

{#- The event models int_export_events_unioned unions (resolved with ref()). -#}
{% macro export_event_relations() -%}
    {%- set relations = [] -%}
    {%- for name in [
        'watches', 'likes', 'favorite_videos', 'favorite_sounds', 'favorite_hashtags',
        'favorite_effects', 'searches', 'shares', 'followings', 'followers', 'comments', 'posts',
        'deleted_posts'
    ] -%}
        {%- do relations.append(ref('stg_tiktok_export__' ~ name)) -%}
    {%- endfor -%}
    {{ return(relations) }}
{%- endmacro %}

{#- Per account, the raw export copies of its events in the event models: the version
    int_export_events_unioned is built from. -#}
{% macro export_event_versions() -%}
select
    account_id,
    sum(account_version) as account_version
from (
    {%- for relation in export_event_relations() %}
    {{ 'union all' if not loop.first }}
    {{ account_versions(relation, 'sum(export_copies)') | indent(4) }}
    {%- endfor %}
) as per_model
group by account_id
{%- endmacro %}
