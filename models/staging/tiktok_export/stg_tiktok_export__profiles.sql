{#- One row per export with a profile: small, so rebuilt as a table on every build. -#}
{{ config(materialized='table') }}

with

items as (
    select * from {{ ref('stg_tiktok_export__list_items') }}
    where list_name = 'profile'
),

final as (
    select
        ---------- ids
        account_id,
        source_file,
        ---------- attributes (only what the analysis needs: no email, phone, birth date)
        export_layout,
        export_root,
        {{ export_text('profile_user_name') }} as user_name,
        {{ export_text('profile_display_name') }} as display_name,
        {{ export_text('profile_bio_description') }} as bio_description,
        {{ export_integer('profile_likes_received') }} as likes_received_count,
        {{ export_integer('profile_follower_count') }} as follower_count,
        {{ export_integer('profile_following_count') }} as following_count,
        {{ export_text('profile_account_region') }} as account_region,
        ---------- provenance
        load_id
    from items
)

select * from final
