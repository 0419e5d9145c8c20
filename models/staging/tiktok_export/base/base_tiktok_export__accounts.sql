{#-
  The account of every export (export_root: a JSON file, or a TXT export's folder): the
  profile's user name (lowercased, without `@`), else the name of the export's folder, the first
  folder under export/ (lowercased). Every file of an export belongs to its account, so a TXT
  export's lists get the name its profile file gives. `load_id`: the export's latest ingest run,
  which tells the incremental item model which accounts have new items. Small (one row per
  export): rebuilt on every build.
-#}
{{ config(materialized='table') }}

with

items as (
    select * from {{ source('tiktok_export', 'export_items') }}
),

sections as (
    select * from {{ source('tiktok_export', 'export_sections') }}
),

-- one pass over the items (the largest landed table): a second reference would make the
-- engine keep a copy of every item
item_exports as (
    select
        export_root,
        max(load_id) as load_id,
        max(
            case
                when list_name = 'profile'
                    then lower({{ regex_replace_all(export_text('profile_user_name'), '^@', '') }})
            end
        ) as profile_user_name
    from items
    group by export_root
),

-- an export whose lists are all empty has sections but no items: it still has an account
export_loads as (
    select
        export_root,
        load_id,
        profile_user_name
    from item_exports
    union all
    select
        export_root,
        load_id,
        cast(null as {{ dbt.type_string() }}) as profile_user_name
    from sections
),

exports as (
    select
        export_root,
        max(load_id) as load_id,
        max(profile_user_name) as profile_user_name
    from export_loads
    group by export_root
),

final as (
    select
        ---------- ids
        export_root,
        coalesce(
            profile_user_name,
            lower({{ tiktok_export_folder('export_root') }})
        ) as account_id,
        ---------- attributes
        case
            when profile_user_name is not null then 'profile'
            else 'export_folder'
        end as account_id_source,
        ---------- provenance
        load_id
    from exports
)

select * from final
