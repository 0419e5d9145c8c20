{#-
  Change of creative direction: how the themes of deleted posts differ from kept posts.
  Grain: one row per (account_id, theme) present in either kept or deleted posts.
-#}
with

distribution as (
    select * from {{ ref('account_theme_distribution') }}
    where theme_source in ('posted', 'deleted')
),

pivoted as (
    select
        account_id,
        theme,
        cast(sum(case when theme_source = 'posted' then theme_event_count else 0 end) as bigint)
            as kept_post_count,
        cast(sum(case when theme_source = 'deleted' then theme_event_count else 0 end) as bigint)
            as deleted_post_count,
        sum(case when theme_source = 'posted' then theme_share else 0 end) as kept_theme_share,
        sum(case when theme_source = 'deleted' then theme_share else 0 end) as deleted_theme_share
    from distribution
    group by account_id, theme
),

final as (
    select
        ---------- ids
        account_id,
        theme,
        ---------- counts
        kept_post_count,
        deleted_post_count,
        ---------- shares
        kept_theme_share,
        deleted_theme_share,
        deleted_theme_share - kept_theme_share as deleted_minus_kept_share,
        ---------- flags
        deleted_post_count > 0 and kept_post_count = 0 as is_abandoned_theme
    from pivoted
)

select * from final
