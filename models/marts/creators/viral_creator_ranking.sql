{#-
  Two rankings of the same creators:
  - classic: the seed analysis' query, followers > 100K ordered by engagement rate;
  - robust virality score: the engagement rate shrunk toward its tier's median by how much evidence stands behind it (videos posted; a
    ranking-list average over an unknown number of videos counts as the prior's weight; a
    display-rounded follower count counts half; a rate above 1, more engagements per video
    than followers, is a scrape artifact and counts nothing), then ranked as a percentile. A creator with
    3 videos and a lucky rate no longer tops the list.
-#}
{%- set prior_videos = var('virality_prior_videos', 50) -%}

with

creators as (
    select * from {{ ref('creators') }}
),

scores as (
    select * from {{ ref('stg_ml_scores__creator_scores') }}
),

rated as (
    select
        creator_handle,
        display_name,
        tier,
        tier_order,
        is_verified,
        followers,
        videos,
        engagement_rate,
        least(engagement_rate, 1.0) as capped_engagement_rate,
        engagement_rate > 1.0 as is_rate_implausible,
        (case
            when engagement_rate > 1.0 then 0
            when videos is not null then least(videos, 1000)
            else {{ prior_videos }}
        end) * (case when is_followers_display_rounded then 0.5 else 1.0 end) as evidence_videos
    from creators
    where engagement_rate is not null and followers is not null and tier is not null
),

with_prior as (
    select
        *,
        {{ percentile('capped_engagement_rate', 0.5) }} over (
            partition by tier
        ) as tier_median_engagement_rate
    from rated
),

shrunk as (
    select
        *,
        (evidence_videos * capped_engagement_rate + {{ prior_videos }} * tier_median_engagement_rate)
        / (evidence_videos + {{ prior_videos }}) as shrunk_engagement_rate
    from with_prior
),

ranked as (
    select
        shrunk.*,
        case
            when shrunk.followers > 100000
                then rank() over (
                    partition by shrunk.followers > 100000
                    order by shrunk.engagement_rate desc
                )
        end as classic_rank,
        round(100.0 * percent_rank() over (order by shrunk.shrunk_engagement_rate), 2) as virality_score,
        row_number() over (
            order by shrunk.shrunk_engagement_rate desc, shrunk.creator_handle asc
        ) as virality_rank,
        row_number() over (
            partition by shrunk.tier
            order by shrunk.shrunk_engagement_rate desc, shrunk.creator_handle asc
        ) as virality_rank_in_tier,
        scores.active_probability,
        scores.is_predicted_active
    from shrunk
    left join scores
        on shrunk.creator_handle = scores.creator_handle
),

final as (
    select
        ---------- ids
        creator_handle,
        ---------- attributes
        display_name,
        tier,
        tier_order,
        is_verified,
        followers,
        videos,
        ---------- rates
        engagement_rate,
        tier_median_engagement_rate,
        shrunk_engagement_rate,
        cast(evidence_videos as double) as evidence_videos,
        is_rate_implausible,
        ---------- rankings
        classic_rank,
        virality_score,
        virality_rank,
        virality_rank_in_tier,
        ---------- model scores
        active_probability,
        is_predicted_active
    from ranked
)

select * from final
