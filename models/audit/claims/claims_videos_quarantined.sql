with

video_rows as (
    select * from {{ ref('stg_claims__video_rows') }}
),

quarantined as (
    select
        ---------- where
        source_file,
        source_row,
        original_row_number,
        ---------- what
        quarantine_column,
        quarantine_raw_value as raw_value,
        quarantine_reason as reason,
        is_wrapped_line
    from video_rows
    where not is_valid
)

select * from quarantined
