{#- The success classifier's frame: every creator of the latest top-creator list snapshot with
    engagement figures. The label (total engagement in the top 25% of its list) is built from
    average likes, comments and shares: those are kept for the leakage check, never features. -#}
with

rankings as (
    select * from {{ ref('top_creator_rankings') }}
),

final as (
    select
        ---------- ids
        creator_handle,
        ---------- features
        followers,
        average_views,
        country,
        tier,
        ---------- label and what it is computed from (leakage check only)
        is_success,
        total_engagement,
        average_likes,
        average_comments,
        average_shares
    from rankings
    where is_latest_snapshot and total_engagement is not null
)

select * from final
