{#-
  Every file under the raw folder (and every member of every ZIP), as the last ingest run found
  it: kind, format, size, checksum, export layout, status (loaded / not_analysed / unknown /
  unreadable) and the reason. Nothing is skipped in silence: a file the warehouse does not read
  is here with why.
-#}
with

manifest as (
    select * from {{ source('ingest', 'manifest') }}
),

final as (
    select
        ---------- ids
        source_file,
        ---------- attributes
        raw_kind,
        file_format,
        export_layout,
        file_status,
        status_reason,
        ---------- measures
        file_size,
        landed_row_count,
        file_sha256,
        ---------- timestamps
        file_modified_at,
        ingested_at,
        ---------- provenance
        load_id
    from manifest
)

select * from final
