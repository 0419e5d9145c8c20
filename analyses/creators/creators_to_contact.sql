-- Starting point for a brief: the recommended creators of one brief with why they fit.
-- Change the brief_id (or add your brief to seeds/brief_samples.csv + brief_keywords.csv).
with

recommendations as (
    select * from {{ ref('partner_recommendations') }}
),

one_brief as (
    select
        recommendation_rank,
        creator_handle,
        tier,
        region,
        matched_keywords,
        virality_score,
        active_probability,
        fit_score
    from recommendations
    where brief_id = 'fitness_launch_us'
)

select * from one_brief
order by recommendation_rank
