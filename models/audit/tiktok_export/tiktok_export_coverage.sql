{#-
  What each export file holds: one row per section or list ingest found in it (JSON: every path
  down to a list or object; TXT: every file of the export), with its item count and status
  (landed, empty, sensitive, not_analysed, unknown). Sensitive sections (direct messages, login
  history, device ids, shop, payment, location) are only ever counted here.
-#}
with

sections as (
    select * from {{ source('tiktok_export', 'export_sections') }}
),

accounts as (
    select * from {{ ref('base_tiktok_export__accounts') }}
),

final as (
    select
        ---------- ids
        accounts.account_id,
        sections.source_file,
        sections.section_path,
        ---------- attributes
        sections.export_root,
        sections.export_layout,
        sections.list_name,
        sections.coverage_status,
        sections.status_reason,
        ---------- measures
        sections.item_count,
        ---------- provenance
        sections.load_id
    from sections
    left join accounts
        on sections.export_root = accounts.export_root
)

select * from final
