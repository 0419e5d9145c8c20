{#-
  Do the themes I post match the themes I engage with? Per account: the share of post themes
  also present in engagement (engagement tags weighted by source, var influence_source_weights),
  the Jaccard similarity of the two theme sets (a theme belongs to a set when it carries at least var('influence_theme_set_min_share', 0.05) of its tags), the
  overlap of the two theme distributions (sum over themes of the smaller share) and a
  permutation baseline: the same overlap with the engagement shares' theme labels shuffled among
  the account's own themes (those it posts or engages with), var('influence_permutations', 200)
  times, reproducibly (order = md5 of account, draw, theme). Themes are not equally popular, so
  the baseline is lenient: read an overlap as shared interests that support the timing evidence.
  Grain: one row per account with tagged posts and tagged engagement.
-#}
{%- set min_share = var('influence_theme_set_min_share', 0.05) -%}
{%- set n_perm = var('influence_permutations', 200) | int -%}

with

distribution as (
    select * from {{ ref('account_theme_distribution') }}
),

theme_keywords as (
    select * from {{ ref('theme_keywords') }}
),

themes as (
    select distinct lower(trim(theme)) as theme
    from theme_keywords
),

engagement_counts as (
    select
        account_id,
        theme,
        sum(theme_weight) as tag_weight
    from distribution
    where theme_source in ('watched', 'liked', 'favorited', 'searched', 'shared', 'commented')
    group by account_id, theme
),

engagement as (
    select
        account_id,
        theme,
        tag_weight / sum(tag_weight) over (partition by account_id) as theme_share
    from engagement_counts
),

posting as (
    select
        account_id,
        theme,
        theme_share
    from distribution
    where theme_source = 'posted'
),

accounts as (
    select distinct posting.account_id
    from posting
    inner join engagement
        on posting.account_id = engagement.account_id
),

taxonomy_grid as (
    select
        accounts.account_id,
        themes.theme,
        coalesce(posting.theme_share, 0) as post_share,
        coalesce(engagement.theme_share, 0) as engagement_share
    from accounts
    cross join themes
    left join posting
        on accounts.account_id = posting.account_id and themes.theme = posting.theme
    left join engagement
        on accounts.account_id = engagement.account_id and themes.theme = engagement.theme
),

-- the account's own themes only: shuffling in themes it never posts nor engages with (most of a
-- broad taxonomy) would make any two concentrated distributions look alike beyond chance
grid as (
    select
        *,
        row_number() over (partition by account_id order by theme) as theme_index
    from taxonomy_grid
    where post_share > 0 or engagement_share > 0
),

observed as (
    select
        account_id,
        count(case when post_share >= {{ min_share }} then 1 end) as post_theme_count,
        count(case when engagement_share >= {{ min_share }} then 1 end) as engagement_theme_count,
        count(
            case when post_share >= {{ min_share }} and engagement_share >= {{ min_share }} then 1 end
        ) as shared_theme_count,
        count(
            case when post_share >= {{ min_share }} or engagement_share >= {{ min_share }} then 1 end
        ) as union_theme_count,
        sum(case when post_share < engagement_share then post_share else engagement_share end)
            as distribution_overlap
    from grid
    group by account_id
),

draws as (
    {{ integer_rows('draw', 1, n_perm) }}
),

shuffled as (
    -- draw k maps the theme at position i (alphabetical) to the theme ranked i by md5 order
    select
        grid.account_id,
        draws.draw,
        grid.engagement_share,
        row_number() over (
            partition by grid.account_id, draws.draw
            order by {{ export_event_id(['grid.account_id', 'draws.draw', 'grid.theme']) }}
        ) as shuffled_index
    from grid
    cross join draws
),

permuted_overlap as (
    select
        shuffled.account_id,
        shuffled.draw,
        sum(
            case
                when grid.post_share < shuffled.engagement_share then grid.post_share
                else shuffled.engagement_share
            end
        ) as overlap
    from shuffled
    inner join grid
        on
            shuffled.account_id = grid.account_id
            and shuffled.shuffled_index = grid.theme_index
    group by shuffled.account_id, shuffled.draw
),

baseline as (
    select
        permuted_overlap.account_id,
        avg(permuted_overlap.overlap) as baseline_overlap,
        (1 + count(case when permuted_overlap.overlap >= observed.distribution_overlap - 1e-12 then 1 end))
        * cast(1 as double) / (1 + count(*)) as overlap_p_value
    from permuted_overlap
    inner join observed
        on permuted_overlap.account_id = observed.account_id
    group by permuted_overlap.account_id
),

final as (
    select
        ---------- ids
        observed.account_id,
        ---------- theme sets
        observed.post_theme_count,
        observed.engagement_theme_count,
        observed.shared_theme_count,
        case
            when observed.post_theme_count > 0
                then observed.shared_theme_count * cast(1 as double) / observed.post_theme_count
        end as post_themes_in_engagement_rate,
        case
            when observed.union_theme_count > 0
                then observed.shared_theme_count * cast(1 as double) / observed.union_theme_count
        end as jaccard_similarity,
        ---------- distributions
        observed.distribution_overlap,
        baseline.baseline_overlap,
        baseline.overlap_p_value,
        baseline.overlap_p_value < 0.05 as is_overlap_above_chance,
        cast({{ n_perm }} as bigint) as permutation_count
    from observed
    inner join baseline
        on observed.account_id = baseline.account_id
)

select * from final
