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
    -- a substring search, not `like '% kw%'`: the pattern differs per keyword, so `like`
    -- would interpret it again for every creator
    inner join creator_text
        on {{ dbt.position("' ' || lower(brief_keywords.keyword)", 'creator_text.searchable_text') }} > 0
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

-- The 25th best fit of each brief among the creators matching its keywords: no creator below it
-- can be among the brief's best 25, so the ranking sorts only the rows at or above it, not
-- every creator for every brief (a brief with fewer than 25 matching creators keeps every row).
matched_fit_ranks as (
    select
        brief_id,
        fit_score,
        row_number() over (partition by brief_id order by fit_score desc) as fit_rank
    from fitted
    where matched_keywords is not null
),

fit_floors as (
    select
        brief_id,
        fit_score as fit_floor
    from matched_fit_ranks
    where fit_rank = 25
),

contenders as (
    select
        fitted.brief_id,
        fitted.creator_handle,
        fitted.fit_score
    from fitted
    left join fit_floors
        on fitted.brief_id = fit_floors.brief_id
    where fit_floors.fit_floor is null or fitted.fit_score >= fit_floors.fit_floor
),

-- narrow rows ranked; the 25 kept per brief get their other columns after
ranked as (
    select
        brief_id,
        creator_handle,
        row_number() over (
            partition by brief_id
            order by fit_score desc, creator_handle asc
        ) as recommendation_rank
    from contenders
),

final as (
    select
        ranked.brief_id,
        ranked.recommendation_rank,
        ranked.creator_handle,
        fitted.tier,
        fitted.region,
        fitted.followers,
        fitted.engagement_rate,
        fitted.virality_score,
        fitted.active_probability,
        fitted.matched_keywords,
        fitted.keyword_match_rate,
        fitted.keyword_score,
        fitted.tier_fit,
        fitted.region_match,
        fitted.fit_score
    from ranked
    inner join fitted
        on
            ranked.brief_id = fitted.brief_id
            and ranked.creator_handle = fitted.creator_handle
    where ranked.recommendation_rank <= 25
)

select * from final
