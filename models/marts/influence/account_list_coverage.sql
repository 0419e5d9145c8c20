{#-
  How much of each list the influence analysis reads the exports hold, per account: the days it
  covers, merged over the account's exports, and whether TikTok capped it (audit
  tiktok_export_list_coverage: a capped list's history before history_known_from is unknown, not
  empty). coverage_text says it in words, for the reports and the verdict's notes.
  Grain: one row per (account_id, list_name) of the lists read here.
-#}
with

lists as (
    select * from {{ ref('tiktok_export_list_coverage') }}
    where list_name in (
        'watch_history', 'likes', 'favorite_videos', 'favorite_hashtags', 'favorite_sounds',
        'searches', 'shares', 'comments', 'posts', 'deleted_posts'
    )
),

labelled as (
    select
        *,
        case list_name
            when 'watch_history' then 'watch history'
            when 'likes' then 'like list'
            when 'favorite_videos' then 'favourite videos'
            when 'favorite_hashtags' then 'favourite hashtags'
            when 'favorite_sounds' then 'favourite sounds'
            when 'searches' then 'searches'
            when 'shares' then 'shares'
            when 'comments' then 'comments'
            when 'posts' then 'posts'
            when 'deleted_posts' then 'deleted posts'
        end as list_label,
        case
            when list_name in ('posts', 'deleted_posts') then 'post themes, sound reuse'
            when list_name = 'favorite_sounds' then 'sound reuse'
            else 'engaged themes'
        end as used_for,
        cast(first_event_at as date) as first_event_date,
        cast(last_event_at as date) as last_event_date,
        cast(history_known_from as date) as history_known_from_date
    from lists
),

final as (
    select
        ---------- ids
        account_id,
        list_name,
        ---------- attributes
        list_label,
        used_for,
        ---------- measures
        export_file_count,
        event_count,
        is_capped,
        cap_item_count,
        ---------- dates
        first_event_date,
        last_event_date,
        history_known_from_date,
        ---------- in words
        case
            when first_event_date is null then {{ dbt.concat(['list_label', "': empty'"]) }}
            else {{ dbt.concat([
                'list_label', "' '",
                'cast(first_event_date as ' ~ dbt.type_string() ~ ')', "' to '",
                'cast(last_event_date as ' ~ dbt.type_string() ~ ')',
                "case when is_capped then ' (capped at ' || " ~ thousands_text('cap_item_count')
                ~ " || coalesce('; history starts ' || cast(history_known_from_date as " ~ dbt.type_string()
                ~ "), '') || ')' else '' end",
            ]) }}
        end as coverage_text,
        case
            when is_capped
                then {{ dbt.concat([
                    'list_label', "' capped at '", thousands_text('cap_item_count'),
                    "coalesce('; history starts ' || cast(history_known_from_date as " ~ dbt.type_string() ~ "), '')",
                ]) }}
        end as cap_note
    from labelled
)

select * from final
