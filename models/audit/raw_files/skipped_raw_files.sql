{#-
  Raw files skipped as unreadable (var skip_unreadable_files=true): one row per file, with its
  raw kind and the reason, from the ingest manifest (ingest stops the build on such a file
  unless the var is set). Every raw kind, exports and CSVs alike.
-#}
with

manifest as (
    select * from {{ source('ingest', 'manifest') }}
),

unreadable as (
    select
        raw_kind,
        source_file,
        status_reason as reason
    from manifest
    where file_status = 'unreadable'
)

select * from unreadable
