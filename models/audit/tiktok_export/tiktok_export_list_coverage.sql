{#-
  How far back each account's lists reach, merged over its exports: first and last event,
  events staged, and whether TikTok truncated the list. A list holding exactly one of the known
  caps (var export_list_caps) in an export file is capped there: what came before that file's
  first item is unknown, not absent. `history_known_from` is where a cap cuts the history that
  leads up to the last event: the first event of the last unbroken run of the files' spans (a
  span starting after every earlier one ended begins a new run), when that run begins with a
  capped file's first item. Null when no cap cuts it; the exports still bound it (a partial
  download or the watch history's window can begin later than the account).
  Grain: one row per (account_id, list_name).
-#}
{%- set caps = var('export_list_caps') -%}

with

items as (
    select * from {{ ref('stg_tiktok_export__list_items') }}
),

sections as (
    select * from {{ source('tiktok_export', 'export_sections') }}
),

accounts as (
    select * from {{ ref('base_tiktok_export__accounts') }}
),

staged_counts as (
    {{ export_staged_counts(export_list_relations()) }}
),

-- each file's list: how many items the raw list holds, and whether that is a cap
file_lists as (
    select
        accounts.account_id,
        sections.source_file,
        sections.list_name,
        cast(sum(sections.item_count) as bigint) as raw_item_count
    from sections
    inner join accounts
        on sections.export_root = accounts.export_root
    where sections.list_name is not null and sections.list_name <> 'profile'
    group by accounts.account_id, sections.source_file, sections.list_name
),

file_spans as (
    select
        account_id,
        source_file,
        list_name,
        min(event_at) as first_event_at,
        max(event_at) as last_event_at
    from items
    where list_name <> 'profile' and quarantine_reason is null
    group by account_id, source_file, list_name
),

files as (
    select
        file_lists.account_id,
        file_lists.list_name,
        file_lists.source_file,
        file_lists.raw_item_count,
        file_lists.raw_item_count in ({{ caps | join(', ') }}) as is_capped,
        file_spans.first_event_at,
        file_spans.last_event_at
    from file_lists
    left join file_spans
        on
            file_lists.account_id = file_spans.account_id
            and file_lists.source_file = file_spans.source_file
            and file_lists.list_name = file_spans.list_name
),

-- gaps and islands over the files' spans, ordered by where they start (at a tie an uncapped
-- file first: it shows nothing before that point was cut)
ordered_spans as (
    select
        account_id,
        list_name,
        source_file,
        is_capped,
        first_event_at,
        last_event_at,
        row_number() over (
            partition by account_id, list_name
            order by first_event_at, case when is_capped then 1 else 0 end, source_file
        ) as span_order,
        max(last_event_at) over (
            partition by account_id, list_name
            order by first_event_at, case when is_capped then 1 else 0 end, source_file
            rows between unbounded preceding and 1 preceding
        ) as reached_before
    from files
    where first_event_at is not null
),

islands as (
    select
        *,
        sum(case when first_event_at > reached_before then 1 else 0 end) over (
            partition by account_id, list_name
            order by span_order
            rows between unbounded preceding and current row
        ) as island_number
    from ordered_spans
),

island_starts as (
    select
        account_id,
        list_name,
        island_number,
        is_capped,
        first_event_at,
        row_number() over (
            partition by account_id, list_name
            order by island_number desc, span_order asc
        ) as start_rank
    from islands
),

-- the first span of the last island
known_from as (
    select
        account_id,
        list_name,
        case when is_capped then first_event_at end as history_known_from
    from island_starts
    where start_rank = 1
),

lists as (
    select
        account_id,
        list_name,
        count(*) as export_file_count,
        cast(sum(raw_item_count) as bigint) as raw_item_count,
        min(first_event_at) as first_event_at,
        max(last_event_at) as last_event_at,
        count(case when is_capped then 1 end) as capped_file_count,
        max(case when is_capped then raw_item_count end) as cap_item_count
    from files
    group by account_id, list_name
),

final as (
    select
        ---------- ids
        lists.account_id,
        lists.list_name,
        ---------- measures
        lists.export_file_count,
        lists.raw_item_count,
        coalesce(staged_counts.staged_row_count, 0) as event_count,
        lists.capped_file_count,
        lists.capped_file_count > 0 as is_capped,
        ---------- timestamps
        lists.first_event_at,
        lists.last_event_at,
        known_from.history_known_from,
        ---------- measures added later (appended: the columns above keep their positions)
        lists.cap_item_count
    from lists
    left join staged_counts
        on
            lists.account_id = staged_counts.account_id
            and lists.list_name = staged_counts.list_name
    left join known_from
        on
            lists.account_id = known_from.account_id
            and lists.list_name = known_from.list_name
)

select * from final
