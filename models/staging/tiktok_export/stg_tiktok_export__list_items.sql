{#-
  Every item of every analysed list of every export, parsed once: one row per (file, list,
  position). JSON documents are parsed in one pass (all list paths extracted together, layout
  detected from the top-level keys); TXT exports are split into `Label: value` blocks. The
  document text never leaves this model; user names of followers/following are pseudonymised
  here, before anything is persisted.

  Incremental by export folder (the first folder under export/: one account's downloads): a
  build reads and parses only the folders holding a file not loaded yet, chosen at compile time
  (tiktok_export_files_to_parse), and replaces their rows (delete+insert), so adding one export
  to a large warehouse parses one folder, not all of them. A folder is the unit, not a file,
  because a TXT export's account comes from its folder's profile file. When a loaded file changed or disappeared, scripts/warehouse.py runs
  the build with --full-refresh (see `raw_export_changes` there).
-#}
{#- Spark without Delta has no delete+insert: a table there, rebuilt in full (README: Spark). -#}
{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    incremental_strategy='delete+insert',
    unique_key='export_folder',
    on_schema_change='fail'
) }}
{%- set profile = tiktok_export_profile_spec() -%}

{#- incremental: only the files of the export folders holding a file not loaded yet -#}
{%- set files_to_parse = tiktok_export_files_to_parse(this) -%}

with

json_files as (
    select * from {{ raw_source('tiktok_export', 'json_files', files_to_parse) }}
),

txt_files as (
    select * from {{ raw_source('tiktok_export', 'txt_files', files_to_parse) }}
),

json_documents as (
    select
        source_file,
        {{ json_is_valid('content') }} as is_valid_json,
        case when {{ json_is_valid('content') }} then {{ json_top_keys('content') }} end as top_keys,
        case
            when {{ json_is_valid('content') }}
                then {{ json_paths_texts('content', tiktok_export_json_paths()) }}
        end as section_texts
    from json_files
),

json_layouts as (
    select
        source_file,
        section_texts,
        {{ tiktok_export_detect_layout('is_valid_json', 'top_keys', 'source_file') }} as export_layout
    from json_documents
),

json_sections as (
    select
        source_file,
        export_layout,
        {{ json_parse_typed(
            tiktok_export_list_text(profile.paths, 'section_texts', 'export_layout'),
            tiktok_export_profile_shape()
        ) }} as profile_map,
        {{ tiktok_export_json_list_columns('section_texts', 'export_layout') }}
    from json_layouts
),

json_list_items as (
    {{ tiktok_export_json_items_union('json_sections') }}
),

json_profile_items as (
    select
        json_sections.source_file,
        json_sections.export_layout,
        'profile' as list_name,
        cast(1 as bigint) as item_position,
        cast(1 as bigint) as list_item_count,
        {{ tiktok_export_json_profile_columns('json_sections.profile_map') }}
    from json_sections
    where json_sections.profile_map is not null
),

txt_lists as (
    select
        source_file,
        {{ tiktok_export_txt_list_name('source_file') }} as list_name,
        {{ regex_split_list(
            regex_replace_all('content', '^\\x{FEFF}', ''), '\\r?\\n[ \\t]*\\r?\\n'
        ) }} as blocks
    from txt_files
),

txt_blocks as (
    select
        source_file,
        list_name,
        {{ unnest_with_positions('blocks', 'block', 'block_position') }}
    from txt_lists
    where list_name is not null
),

txt_nonempty_blocks as (
    select
        source_file,
        list_name,
        block,
        row_number() over (partition by source_file order by block_position) as item_position,
        count(*) over (partition by source_file) as list_item_count
    from txt_blocks
    where trim(block) <> ''
),

txt_items as (
    select
        source_file,
        'txt' as export_layout,
        list_name,
        item_position,
        list_item_count,
        {{ tiktok_export_txt_columns('block', 'list_name') }}
    from txt_nonempty_blocks
),

all_items as (
    select * from json_list_items
    union all
    select * from json_profile_items
    union all
    select * from txt_items
),

-- The account of every file comes from small relations only (the profile items: one per JSON
-- file, the profile file of a TXT export), joined to the item stream: a window or aggregate
-- over the items themselves would hold every item's columns in memory.
profile_items as (
    select
        source_file,
        export_layout,
        lower({{ regex_replace_all(export_text('profile_user_name'), '^@', '') }}) as profile_account
    from json_profile_items
    union all
    select
        source_file,
        export_layout,
        lower({{ regex_replace_all(export_text('profile_user_name'), '^@', '') }}) as profile_account
    from txt_items
    where list_name = 'profile'
),

file_profile_accounts as (
    select
        source_file,
        max(profile_account) as profile_account
    from profile_items
    group by source_file
),

-- a TXT export's account comes from its folder's profile file
folder_txt_accounts as (
    select
        {{ tiktok_export_folder('source_file') }} as export_folder,
        max(profile_account) as txt_account
    from profile_items
    where export_layout = 'txt'
    group by {{ tiktok_export_folder('source_file') }}
),

located as (
    select
        *,
        {{ tiktok_export_folder('source_file') }} as export_folder
    from all_items
),

parsed as (
    select
        -- account identity: the profile's user name (per JSON file; per folder for TXT exports),
        -- else the export's folder name
        coalesce(
            file_profile_accounts.profile_account,
            folder_txt_accounts.txt_account,
            lower(located.export_folder)
        ) as account_id,
        located.source_file,
        located.export_layout,
        located.export_folder,
        located.list_name,
        located.item_position,
        located.list_item_count,
        {{ tiktok_export_field_columns('located') }},
        {{ parse_export_timestamp(export_text('located.date_text')) }} as event_at,
        case
            when located.list_name = 'comments'
                then {{ video_id_from_link('coalesce(located.original_post_url, located.url)') }}
            else {{ video_id_from_link('located.link') }}
        end as video_id
    from located
    left join file_profile_accounts
        on located.source_file = file_profile_accounts.source_file
    left join folder_txt_accounts
        on located.export_folder = folder_txt_accounts.export_folder
),

checked as (
    select
        *,
        case
            when list_name in ('profile', 'hashtags_used') then null
            when {{ export_text('date_text') }} is null then 'missing date'
            when event_at is null then 'unparseable date'
            when
                list_name in ('watch_history', 'likes', 'favorite_videos', 'posts', 'deleted_posts')
                and video_id is null
                then 'link holds no video id'
            when
                list_name = 'favorite_sounds'
                and {{ sound_id_from_link('link') }} is null
                then 'link holds no sound id'
            when
                list_name = 'favorite_hashtags'
                and {{ normalize_hashtag(hashtag_from_link('link')) }} is null
                then 'link holds no hashtag'
            when list_name = 'favorite_effects' and {{ export_text('effect_link') }} is null
                then 'missing effect link'
            when list_name = 'searches' and {{ export_text('search_term') }} is null
                then 'empty search term'
            when list_name in ('following', 'followers') and user_name_key is null
                then 'missing user name'
        end as date_or_link_problem,
        case
            when list_name = 'hashtags_used' and {{ normalize_hashtag(export_text('hashtag_name')) }} is null
                then 'missing hashtag name'
        end as hashtag_problem
    from parsed
),

final as (
    select
        ---------- ids
        account_id,
        ---------- provenance
        source_file,
        export_layout,
        export_folder,
        list_name,
        item_position,
        list_item_count,
        ---------- parsed
        event_at,
        video_id,
        coalesce(date_or_link_problem, hashtag_problem) as quarantine_reason,
        ---------- raw fields (text)
        {{ tiktok_export_field_columns(pseudonymise=false) }}
    from checked
)

select * from final
