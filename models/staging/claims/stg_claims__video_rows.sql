{#-
  Every row of every claims CSV, parsed, with the reason it cannot be staged (if any) and its
  rank among the rows for the same video. stg_claims__videos keeps the first valid row per
  video; the audit models list the rest. Nothing is dropped here: one output row per raw row.
  Rows wrapped whole in quotes were split again by ingest (row_repair = 'unwrapped'); one it
  could not split carries its reason in row_problem and is quarantined with it.
-#}
{%- set fields = [
    'original_row_number', 'claim_status', 'video_id', 'video_duration_sec', 'video_transcription_text',
    'verified_status', 'author_ban_status', 'video_view_count', 'video_like_count',
    'video_share_count', 'video_download_count', 'video_comment_count',
] -%}
{%- set counts = [
    'video_duration_sec', 'video_view_count', 'video_like_count', 'video_share_count',
    'video_download_count', 'video_comment_count',
] -%}

with

source as (
    select * from {{ source('claims', 'claims_rows') }}
),

renamed as (
    select
        ---------- provenance
        source_file,
        source_row,
        row_problem,
        row_text,
        ---------- raw text of each field
        {%- for field in fields %}
            {{ field }} as raw_{{ field }},
        {%- endfor %}
        (
            coalesce(row_repair = 'unwrapped', false)
            or coalesce(row_problem like 'row wrapped whole in quotes%', false)
        ) as is_wrapped_line
    from source
),

parsed as (
    select
        *,
        ---------- ids
        case
            when {{ regex_matches('trim(raw_video_id)', '^[0-9]{1,18}$') }}
                then cast(trim(raw_video_id) as bigint)
        end as video_id,
        {{ claims_parse_count('raw_original_row_number') }} as original_row_number,
        ---------- labels and status fields
        nullif(lower(trim(raw_claim_status)), '') as claim_status,
        nullif(lower(trim(raw_verified_status)), '') as verified_status,
        nullif(lower(trim(raw_author_ban_status)), '') as author_ban_status,
        ---------- counts (null where the file says #N/A; a pandas re-save writes 343296.0)
        {%- for count in counts %}
            {{ claims_parse_count('raw_' ~ count) }} as {{ count }},
        {%- endfor %}
        ---------- video
        nullif(trim(raw_video_transcription_text), '') as video_transcription_text
    from renamed
),

checked as (
    select
        *,
        -- the first failing field, for the audit table's raw_value
        case
            when row_problem is not null then 'row'
            when video_id is null then 'video_id'
            when claim_status not in ('claim', 'opinion') then 'claim_status'
            when verified_status not in ('verified', 'not verified') then 'verified_status'
            when author_ban_status not in ('active', 'under review', 'banned') then 'author_ban_status'
            {%- for count in counts %}
                when {{ claims_count_is_invalid('raw_' ~ count) }} then '{{ count }}'
            {%- endfor %}
        end as quarantine_column,
        -- a row ingest could not split: its cells are not the course's, nothing else to check
        coalesce(row_problem, nullif(concat_ws(
            '; ',
            case
                when raw_video_id is null or trim(raw_video_id) = '' then 'video_id missing'
                when video_id is null then 'video_id is not a whole number'
            end,
            case when claim_status not in ('claim', 'opinion') then 'claim_status is not claim/opinion' end,
            case
                when verified_status not in ('verified', 'not verified')
                    then 'verified_status is not verified/not verified'
            end,
            case
                when author_ban_status not in ('active', 'under review', 'banned')
                    then 'author_ban_status is not active/under review/banned'
            end,
            case
                when {{ claims_count_is_invalid('raw_video_duration_sec') }}
                    then 'video_duration_sec is not a whole number'
            end,
            case
                when
                    {{ claims_count_is_invalid('raw_video_view_count') }}
                    or {{ claims_count_is_invalid('raw_video_like_count') }}
                    or {{ claims_count_is_invalid('raw_video_share_count') }}
                    or {{ claims_count_is_invalid('raw_video_download_count') }}
                    or {{ claims_count_is_invalid('raw_video_comment_count') }}
                    then 'a count is neither a whole number nor #N/A'
            end
        ), '')) as quarantine_reason
    from parsed
),

ranked as (
    select
        *,
        quarantine_reason is null as is_valid,
        -- Order-independent choice among rows for the same video: smallest file, then position.
        case
            when quarantine_reason is null
                then row_number() over (
                    partition by video_id, quarantine_reason is null
                    order by source_file, source_row
                )
        end as video_row_rank,
        case
            when quarantine_reason is null
                then count(*) over (partition by video_id, quarantine_reason is null)
        end as video_row_count
    from checked
),

final as (
    select
        ---------- provenance
        source_file,
        source_row,
        original_row_number,
        ---------- ids
        video_id,
        ---------- parsed values
        claim_status,
        video_duration_sec,
        video_transcription_text,
        verified_status,
        author_ban_status,
        video_view_count,
        video_like_count,
        video_share_count,
        video_download_count,
        video_comment_count,
        ---------- row status
        is_wrapped_line,
        is_valid,
        coalesce(video_row_rank = 1, false) as is_kept,
        video_row_rank,
        video_row_count,
        quarantine_reason,
        quarantine_column,
        case quarantine_column
            when 'row' then row_text
            {%- for field in fields %}
                when '{{ field }}' then raw_{{ field }}
            {%- endfor %}
        end as quarantine_raw_value
    from ranked
)

select * from final
