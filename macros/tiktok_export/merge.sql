{#-
  Merging several exports of one account: an event is the same event when account, list (one
  staging model per list), timestamp and target agree. The surviving copy is the one with the
  smallest (source_file, item_position): an order-independent rule, so the result does not
  depend on the order exports arrive in. `export_copies` counts the raw copies merged into it,
  `latest_load_id` is the latest ingest run that landed one of them (the incremental models
  compare it with the newly landed rows).
  Renders the body of a CTE selecting from `relation`, with `copy_rank` (keep = 1).
-#}
{% macro export_dedupe(relation, key_columns) -%}
    select
        *,
        count(*) over (
            partition by {{ key_columns | join(', ') }}
        ) as export_copies,
        max(load_id) over (
            partition by {{ key_columns | join(', ') }}
        ) as latest_load_id,
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

{#- The id of an event of one list: the key of the list name and the columns. The list is part
    of it: liking and favouriting a video in the same second are two events, and their ids must
    differ in the union of every list. -#}
{% macro export_list_event_id(list_name, columns) -%}
    {{ export_event_id(["'" ~ list_name ~ "'"] + columns) }}
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

{#- The staging model of each list ({list_name: model name}): the reconciliation and the
    coverage audit count through it. -#}
{% macro export_list_models() -%}
    {{ return({
        'watch_history': 'stg_tiktok_export__watches',
        'likes': 'stg_tiktok_export__likes',
        'favorite_videos': 'stg_tiktok_export__favorite_videos',
        'favorite_sounds': 'stg_tiktok_export__favorite_sounds',
        'favorite_hashtags': 'stg_tiktok_export__favorite_hashtags',
        'favorite_effects': 'stg_tiktok_export__favorite_effects',
        'searches': 'stg_tiktok_export__searches',
        'shares': 'stg_tiktok_export__shares',
        'following': 'stg_tiktok_export__followings',
        'followers': 'stg_tiktok_export__followers',
        'hashtags_used': 'stg_tiktok_export__used_hashtags',
        'posts': 'stg_tiktok_export__posts',
        'deleted_posts': 'stg_tiktok_export__deleted_posts',
        'comments': 'stg_tiktok_export__comments',
    }) }}
{%- endmacro %}

{#- {list_name: ref(model)} for every list (call from the model, so lineage is parsed there). -#}
{% macro export_list_relations() -%}
    {%- set relations = {} -%}
    {%- for list_name, model_name in export_list_models().items() -%}
        {%- do relations.update({list_name: ref(model_name)}) -%}
    {%- endfor -%}
    {{ return(relations) }}
{%- endmacro %}

{#- The event models int_export_events_unioned unions (every list but hashtags_used, which has
    no dates), resolved with ref(). -#}
{% macro export_event_relations() -%}
    {%- set relations = [] -%}
    {%- for list_name, relation in export_list_relations().items() if list_name != 'hashtags_used' -%}
        {%- do relations.append(relation) -%}
    {%- endfor -%}
    {{ return(relations) }}
{%- endmacro %}

{#- The export's folder of a raw file (source_file relative to the raw dir): the first folder
    under export/, else the file name without its extension. One account's downloads, and the
    account's name when its export has no profile. -#}
{% macro tiktok_export_folder(source_file) -%}
    case
        when {{ dbt.split_part(source_file, "'/'", 3) }} <> ''
            then {{ dbt.split_part(source_file, "'/'", 2) }}
        else {{ regex_extract(source_file, '([^/]+?)(?:\\.[^./]*)?$') }}
    end
{%- endmacro %}
