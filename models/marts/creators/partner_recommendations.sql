{#-
  Creators ranked for each campaign brief (brief_samples + brief_keywords seeds) by a fit score
  in [0, 1]:
    0.40 keyword match (0 when none of the brief's keywords starts a word of the biography, name
         or handle; else 0.6 + 0.4 x the share matched: the theme comes first)
  + 0.25 engagement quality (viral_creator_ranking's virality score / 100)
  + 0.20 tier fit (1 for the brief's target tier, else tier_budget_fit for its budget)
  + 0.10 region match (1 when the brief names no region)
  + 0.05 activity (the active-creator model's probability; 0.5 when unscored).
  The 25 best creators per brief are kept.
-#}
with

briefs as (
    select * from {{ ref('brief_samples') }}
),

brief_keywords as (
    select * from {{ ref('brief_keywords') }}
),

tier_budget_fit as (
    select * from {{ ref('tier_budget_fit') }}
),

creators as (
    select * from {{ ref('creators') }}
),

ranking as (
    select * from {{ ref('viral_creator_ranking') }}
),

creator_text as (
    select
        creator_handle,
        {#- words start after a space: "#fitness" and "fitnessmotivation" match "fitness",
            "score" does not match "core" -#}
        ' ' || lower(replace(replace(replace(
            coalesce(biography, '') || ' ' || coalesce(display_name, '') || ' ' || creator_handle,
            '#', ' '
        ), chr(10), ' '), '.', ' ')) as searchable_text
    from creators
),

keyword_matches as (
    select
        brief_keywords.brief_id,
        creator_text.creator_handle,
        count(*) as n_keywords_matched,
        {{ dbt.listagg(
            'brief_keywords.keyword', "', '", 'order by brief_keywords.keyword'
        ) }} as matched_keywords
    from brief_keywords
    inner join creator_text
        on creator_text.searchable_text like '% ' || lower(brief_keywords.keyword) || '%'
    group by brief_keywords.brief_id, creator_text.creator_handle
),

keyword_counts as (
    select
        brief_id,
        count(*) as n_keywords
    from brief_keywords
    group by brief_id
),

scored as (
    select
        briefs.brief_id,
        ranking.creator_handle,
        ranking.tier,
        creators.region,
        ranking.followers,
        ranking.engagement_rate,
        ranking.virality_score,
        ranking.active_probability,
        keyword_matches.matched_keywords,
        coalesce(
            cast(1 as double) * keyword_matches.n_keywords_matched / nullif(keyword_counts.n_keywords, 0), 0
        ) as keyword_match_rate,
        case
            when ranking.tier = briefs.target_tier then 1.0
            else coalesce(tier_budget_fit.tier_fit, 0.0)
        end as tier_fit,
        case
            when briefs.region is null then 1.0
            when creators.region = upper(briefs.region) then 1.0
            else 0.0
        end as region_match,
        case
            when keyword_matches.n_keywords_matched > 0
                then 0.6 + 0.4 * keyword_matches.n_keywords_matched / nullif(keyword_counts.n_keywords, 0)
            else 0.0
        end as keyword_score
    from briefs
    cross join ranking
    inner join creators
        on ranking.creator_handle = creators.creator_handle
    left join keyword_matches
        on
            briefs.brief_id = keyword_matches.brief_id
            and ranking.creator_handle = keyword_matches.creator_handle
    left join keyword_counts
        on briefs.brief_id = keyword_counts.brief_id
    left join tier_budget_fit
        on
            briefs.budget_tier = tier_budget_fit.budget_tier
            and ranking.tier = tier_budget_fit.tier
),

fitted as (
    select
        *,
        0.40 * keyword_score
        + 0.25 * virality_score / 100.0
        + 0.20 * tier_fit
        + 0.10 * region_match
        + 0.05 * coalesce(active_probability, 0.5) as fit_score
    from scored
),

ranked as (
    select
        *,
        row_number() over (
            partition by brief_id
            order by fit_score desc, creator_handle asc
        ) as recommendation_rank
    from fitted
),

final as (
    select
        brief_id,
        recommendation_rank,
        creator_handle,
        tier,
        region,
        followers,
        engagement_rate,
        virality_score,
        active_probability,
        matched_keywords,
        keyword_match_rate,
        keyword_score,
        tier_fit,
        region_match,
        fit_score
    from ranked
    where recommendation_rank <= 25
)

select * from final
