{#-
  Incremental by account on the load id. Every ingest run that lands files gets the next load
  id (docs/ingest.md), so the rows a model has not seen yet are the upstream rows whose load_id
  is above the highest it already holds. A build rebuilds only the accounts that have such rows:
  a pre-hook deletes them, the model selects every upstream row of theirs, and delete+insert on
  account_id puts them back. An account's rows are therefore always rebuilt from all of its
  exports at once (merging needs every copy), and a build that failed half-way leaves the
  highest load id where it was, so the next one picks the same accounts up again.
  Ingest never lowers a load id: a raw file that changed in place or disappeared makes the
  pipeline run dbt with --full-refresh instead.

  Each model's rows carry `load_id`: the highest load id of what the row was built from, so the
  highest one in the model is the last load it took in.
  `upstream` is a list of relations holding account_id and load_id; `where` keeps the upstream
  rows the model reads (rows it ignores must not make it rebuild an account).
-#}

{#- The accounts with upstream rows newer than this model's (a query of account_id). -#}
{% macro accounts_with_new_loads(upstream, where='true') -%}
    {%- for relation in upstream %}
    {{ 'union' if not loop.first }}
    select upstream_rows.account_id
    from {{ relation }} as upstream_rows
    where
        ({{ where }})
        and upstream_rows.load_id > (
            select coalesce(max(built.load_id), -1) from {{ this }} as built
        )
    {%- endfor %}
{%- endmacro %}

{#- Pre-hook: delete the accounts about to be rebuilt (an account whose rebuild gives no rows
    must not keep its old ones). Empty when not incremental. -#}
{% macro delete_accounts_with_new_loads(upstream, where='true') -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where account_id in (
            {{ accounts_with_new_loads(upstream, where) | indent(12) }}
        )
    {%- endif -%}
{%- endmacro %}

{#- The where condition keeping the upstream rows of the accounts with new loads (true when not
    incremental: a full build takes every account). -#}
{% macro in_accounts_with_new_loads(upstream, where='true', account_column='account_id') -%}
    {%- if is_incremental() -%}
        {{ account_column }} in (
            {{ accounts_with_new_loads(upstream, where) | indent(12) }}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The same accounts as a `new_load_accounts` CTE, trailing comma included, for a model that
    filters several relations by them; nothing when not incremental. -#}
{% macro new_load_accounts_cte(upstream, where='true') -%}
    {%- if is_incremental() %}
new_load_accounts as (
    {{ accounts_with_new_loads(upstream, where) | indent(4) }}
),
    {% endif -%}
{%- endmacro %}

{#- The where condition keeping the accounts of the `new_load_accounts` CTE (true when not
    incremental). -#}
{% macro in_new_load_accounts(account_column='account_id') -%}
    {%- if is_incremental() -%}
        {{ account_column }} in (select new_load_accounts.account_id from new_load_accounts)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The config of a model incremental by account: delete+insert on account_id with the pre-hook
    above; a table on Spark, which has no delete+insert without Delta (README: Spark).
    `upstream` and `where` are Jinja source text (rendered when the hook runs), e.g.
    "[ref('int_export_events_unioned')]" and "theme_source is not null" (no double quotes). -#}
{% macro by_account_config(upstream, where='true') -%}
    {{ return({
        'materialized': 'table' if target.type == 'spark' else 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': 'account_id',
        'on_schema_change': 'fail',
        'pre_hook': '{{ delete_accounts_with_new_loads(' ~ upstream ~ ', "' ~ where ~ '") }}',
    }) }}
{%- endmacro %}

{#- The condition selecting one list's stageable items out of stg_tiktok_export__list_items. -#}
{% macro export_list_filter(list_name) -%}
    {{- "list_name = '" ~ list_name ~ "' and quarantine_reason is null" -}}
{%- endmacro %}

{#- The config of an event model (one list) incremental by account on the load id. -#}
{% macro export_event_config(list_name) -%}
    {{ return(by_account_config("[ref('stg_tiktok_export__list_items')]", export_list_filter(list_name))) }}
{%- endmacro %}

{#- The items an event model stages: one list, not quarantined; on an incremental run only the
    accounts with newly landed items of that list. -#}
{% macro export_items_to_stage(list_name) -%}
    {%- set items = ref('stg_tiktok_export__list_items') -%}
    select * from {{ items }}
    where
        {{ export_list_filter(list_name) }}
        and {{ in_accounts_with_new_loads([items], export_list_filter(list_name)) }}
{%- endmacro %}
