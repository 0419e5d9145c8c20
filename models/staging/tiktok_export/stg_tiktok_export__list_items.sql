{#-
  Every landed item of every analysed list of every export (one row per landed row), with its
  account, the parsed timestamp and video id, and a quarantine reason when it cannot be staged.
  Ingest flattened the files (docs/ingest.md); the rules that decide what an item means live
  here and in the list models. Followers' and following's user names are pseudonymised here,
  before anything is persisted; the clear name never leaves this query.

  Incremental by account on the load id (macros/tiktok_export/incremental.sql): a build restages
  only the accounts with newly landed exports, all of their files at once.
-#}
{{ config(**by_account_config("[ref('base_tiktok_export__accounts')]")) }}

with

items as (
    select * from {{ source('tiktok_export', 'export_items') }}
),

accounts as (
    select * from {{ ref('base_tiktok_export__accounts') }}
    where {{ in_accounts_with_new_loads([ref('base_tiktok_export__accounts')]) }}
),

located as (
    select
        items.*,
        accounts.account_id,
        {{ tiktok_export_folder('items.source_file') }} as export_folder
    from items
    inner join accounts
        on items.export_root = accounts.export_root
),

parsed as (
    select
        *,
        {{ parse_export_timestamp(export_text('date_text')) }} as event_at,
        case
            -- comments name the commented post (v3 originalPostUrl, v1/v2 url, v3 video)
            when list_name = 'comments'
                then {{ video_id_from_link(
                    'coalesce(' ~ export_text('original_post_url') ~ ', ' ~ export_text('comment_url')
                    ~ ', ' ~ export_text('comment_video') ~ ')'
                ) }}
            -- a post's link is a signed CDN URL: an id only where the link is a video URL
            else {{ video_id_from_link('link') }}
        end as video_id,
        {{ pseudonymise_user_name(export_text('user_name')) }} as user_name_key
    from located
),

checked as (
    select
        *,
        case
            when list_name = 'profile' then null
            when list_name = 'hashtags_used'
                then case
                    when {{ normalize_hashtag(export_text('hashtag_name')) }} is null
                        then 'missing hashtag name'
                end
            when {{ export_text('date_text') }} is null then 'missing date'
            when event_at is null then 'unparseable date'
            -- posts and shares keep items without a video id: a post is keyed by its time, and a
            -- share of the feed (https://www.tiktok.com/, foryou?...) shares no video
            when
                list_name in ('watch_history', 'likes', 'favorite_videos')
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
        end as quarantine_reason
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
        export_root,
        list_name,
        item_position,
        list_item_count,
        load_id,
        ---------- parsed
        event_at,
        video_id,
        quarantine_reason,
        ---------- raw fields (text; user names pseudonymised)
        date_text,
        link,
        title,
        effect_link,
        search_term,
        shared_content,
        share_method as method,  -- noqa: RF04
        user_name_key,
        hashtag_name,
        hashtag_link,
        likes_text,
        who_can_view,
        allow_comments,
        allow_stitches,
        allow_duets,
        allow_stickers,
        allow_sharing_to_story,
        content_disclosure,
        ai_generated_content,
        sound,
        location,
        collections_text,
        add_yours_text,
        alternate_text,
        cover_image,
        comment_text,
        comment_photo,
        comment_video,
        comment_url as url,
        original_post_url,
        profile_user_name,
        profile_display_name,
        profile_bio as profile_bio_description,
        profile_likes_received,
        profile_follower_count,
        profile_following_count,
        profile_region as profile_account_region
    from checked
)

select * from final
