{#-
  Every row of every claims CSV, parsed, with the reason it cannot be staged (if any) and its
  rank among the rows for the same video. stg_claims__videos keeps the first valid row per
  video; the audit models list the rest. Nothing is dropped here: one output row per raw row.
-#}
{%- set hash_column = adapter.quote('#') -%}
{%- set fields = [
    'row_number', 'claim_status', 'video_id', 'video_duration_sec', 'video_transcription_text',
    'verified_status', 'author_ban_status', 'video_view_count', 'video_like_count',
    'video_share_count', 'video_download_count', 'video_comment_count',
] -%}
{#- A wrapped line is the course's 12 fields in order; only the transcript (field 5) may hold
    commas, so the other fields are comma-free and the greedy middle is the transcript. Three
    patterns because DuckDB's regex engine captures at most 9 groups. -#}
{%- set wrapped_line_pattern = '^([^,]*),([^,]*),([^,]*),([^,]*),(.*)(,[^,]*){7}$' -%}
{%- set head_pattern = '^([^,]*),([^,]*),([^,]*),([^,]*),' -%}
{%- set middle_pattern = '^(?:[^,]*,){4}(.*)(?:,[^,]*){7}$' -%}
{%- set tail_pattern = ',([^,]*),([^,]*),([^,]*),([^,]*),([^,]*),([^,]*),([^,]*)$' -%}

with

source as (
    select * from {{ raw_source('claims', 'claims_videos') }}
),

flagged as (
    select
        *,
        -- the whole line sits in the first column, every other column is null
        (
            video_id is null
            and claim_status is null
            and coalesce({{ adapter.quote('#') }}, '') like '%,%'
        ) as is_wrapped_line
    from source
),

unwrapped as (
    select
        ---------- raw text of each field (split back out of a wrapped line)
        {%- for field in fields %}
            case
                when is_wrapped_line
                    {%- if loop.index <= 4 %}
                        then coalesce({{ regex_extract(hash_column, head_pattern, loop.index) }}, '')
                    {%- elif loop.index == 5 %}
                        then coalesce({{ regex_extract(hash_column, middle_pattern, 1) }}, '')
                    {%- else %}
                        then coalesce({{ regex_extract(hash_column, tail_pattern, loop.index - 5) }}, '')
                    {%- endif %}
                else {{ adapter.quote('#') if field == 'row_number' else field }}
            end as raw_{{ field }},
        {%- endfor %}
        ---------- provenance
        source_file,
        source_row,
        is_wrapped_line,
        is_wrapped_line
        and not {{ regex_matches(adapter.quote('#'), wrapped_line_pattern) }}
            as is_unsplittable_line
    from flagged
),

unquoted as (
    select
        *,
        -- inside a wrapped line the transcript keeps its own CSV quoting: "a, b ""c"""
        case
            when
                is_wrapped_line
                and raw_video_transcription_text like '"%"'
                then replace(
                    substr(raw_video_transcription_text, 2, length(raw_video_transcription_text) - 2),
                    '""',
                    '"'
                )
            else raw_video_transcription_text
        end as transcription_text
    from unwrapped
),

parsed as (
    select
        *,
        ---------- ids
        case
            when {{ regex_matches('trim(raw_video_id)', '^[0-9]{1,18}$') }}
                then cast(trim(raw_video_id) as bigint)
        end as video_id,
        {{ claims_parse_count('raw_row_number') }} as original_row_number,
        ---------- labels and status fields
        nullif(lower(trim(raw_claim_status)), '') as claim_status,
        nullif(lower(trim(raw_verified_status)), '') as verified_status,
        nullif(lower(trim(raw_author_ban_status)), '') as author_ban_status,
        ---------- video
        {{ claims_parse_count('raw_video_duration_sec') }} as video_duration_sec,
        nullif(trim(transcription_text), '') as video_transcription_text,
        ---------- counts (null where the file says #N/A)
        {{ claims_parse_count('raw_video_view_count') }} as video_view_count,
        {{ claims_parse_count('raw_video_like_count') }} as video_like_count,
        {{ claims_parse_count('raw_video_share_count') }} as video_share_count,
        {{ claims_parse_count('raw_video_download_count') }} as video_download_count,
        {{ claims_parse_count('raw_video_comment_count') }} as video_comment_count
    from unquoted
),

checked as (
    select
        *,
        -- the first failing field, for the audit table's raw_value
        case
            when is_unsplittable_line then 'row_number'
            when video_id is null then 'video_id'
            when claim_status not in ('claim', 'opinion') then 'claim_status'
            when verified_status not in ('verified', 'not verified') then 'verified_status'
            when author_ban_status not in ('active', 'under review', 'banned') then 'author_ban_status'
            when {{ claims_count_is_invalid('raw_video_duration_sec') }} then 'video_duration_sec'
            when {{ claims_count_is_invalid('raw_video_view_count') }} then 'video_view_count'
            when {{ claims_count_is_invalid('raw_video_like_count') }} then 'video_like_count'
            when {{ claims_count_is_invalid('raw_video_share_count') }} then 'video_share_count'
            when {{ claims_count_is_invalid('raw_video_download_count') }} then 'video_download_count'
            when {{ claims_count_is_invalid('raw_video_comment_count') }} then 'video_comment_count'
        end as quarantine_column,
        nullif(concat_ws(
            '; ',
            case when is_unsplittable_line then 'line wrapped in quotes does not split into 12 fields' end,
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
        ), '') as quarantine_reason
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
            {%- for field in fields %}
                when '{{ field }}' then raw_{{ field }}
            {%- endfor %}
        end as quarantine_raw_value
    from ranked
)

select * from final
