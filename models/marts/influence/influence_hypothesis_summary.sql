{#-
  "Does what I watch and like shape what I post?" One row per account: the verdict in plain
  words, each of the three evidences with whether it could be computed from what the exports
  (and the video metadata) hold and why not, and the numbers behind them (docs/influence.md).
    - lagged themes: the lag (weeks) at which weekly engagement theme shares best correlate
      with weekly posting shares, averaged over themes weighted by how much the account posts
      them. Holds at a lag of 1+ weeks with correlation >= 0.3, above the same-week correlation
      and above the time-shift baseline (p < var influence_alpha, int_lag_baselines_computed).
    - theme overlap: posting vs engagement theme distributions against a permutation baseline
      (p < alpha, account_theme_overlap).
    - sound reuse: posts on a sound favourited before the post against the count no influence
      would give (account_sound_influence: p < alpha, at least var influence_min_sound_posts
      posts on favourite sounds).
  An evidence is computed only where its inputs exist: posts with themes (the matched public
  videos' captions: real posts carry none), engagement with themes, enough posting weeks, titled
  favourite sounds; the *_not_computed_reason columns say what is missing.
  The verdict (the combining rule): `supported` = lagged themes plus at least one other;
  `partly supported` = any evidence holds but not that combination; `not supported` = the lagged
  themes were computed and nothing holds; `cannot tell yet` = nothing holds and the lagged themes
  could not be computed (verdict_text names what is missing).
-#}
{%- set min_posts = var('influence_min_themed_posts') | int -%}
{%- set min_engagement = var('influence_min_themed_engagement') | int -%}
{%- set min_weeks = var('influence_min_lag_weeks') | int -%}
{%- set min_sound_posts = var('influence_min_sound_posts') | int -%}
{%- set alpha = var('influence_alpha') | float -%}
{#- the time-shift p-value is at best 1 / (shifts + 1): fewer shifts can never reach alpha -#}
{%- set min_shifts = ((1 / alpha) | round(0, 'ceil') | int) -%}
{%- set s = dbt.type_string() -%}

with

correlations as (
    select * from {{ ref('theme_lag_correlations') }}
    where lag_correlation is not null
),

overlap as (
    select * from {{ ref('account_theme_overlap') }}
),

sounds as (
    select * from {{ ref('account_sound_influence') }}
),

activity as (
    select * from {{ ref('account_daily_activity') }}
),

lag_baselines as (
    select * from {{ ref('int_lag_baselines_computed') }}
),

theme_coverage as (
    select * from {{ ref('account_theme_coverage') }}
),

list_coverage as (
    select * from {{ ref('account_list_coverage') }}
),

own_videos as (
    select * from {{ ref('int_posts_own_videos_matched') }}
    where not is_deleted
),

activity_totals as (
    select
        account_id,
        cast(sum(
            watched_count + liked_count + favorited_count + searched_count + shared_count + commented_count
        ) as bigint)
            as engagement_event_count,
        cast(sum(posted_count) as bigint) as post_count,
        cast(sum(deleted_count) as bigint) as deleted_post_count,
        min(activity_date) as first_activity_date,
        max(activity_date) as last_activity_date
    from activity
    group by account_id
),

themed_counts as (
    select
        account_id,
        cast(sum(case when item_kind = 'posted' then themed_item_count else 0 end) as bigint)
            as tagged_post_count,
        cast(
            sum(case when item_kind not in ('posted', 'deleted') then themed_item_count else 0 end) as bigint
        ) as tagged_engagement_event_count,
        cast(sum(case when item_kind not in ('posted', 'deleted') then item_count else 0 end) as bigint)
            as themable_engagement_event_count
    from theme_coverage
    group by account_id
),

post_matches as (
    select
        account_id,
        count(case when match_status <> 'unmatched' then 1 end) as matched_post_count,
        count(case when match_status = 'ambiguous' then 1 end) as ambiguous_post_count
    from own_videos
    group by account_id
),

-- capped lists and the watch history's window: what bounds an analysis over time
coverage_notes as (
    select
        account_id,
        {{ dbt.listagg('note', "'; '", 'order by note') }} as coverage_note
    from (
        select
            account_id,
            case
                when cap_note is not null then cap_note
                when list_name = 'watch_history' then coverage_text
            end as note
        from list_coverage
    ) as notes
    where note is not null
    group by account_id
),

lag_profile as (
    select
        account_id,
        lag_weeks,
        sum(lag_correlation * mean_post_theme_share) / sum(mean_post_theme_share) as weighted_correlation,
        max(weeks_compared) as weeks_compared
    from correlations
    where mean_post_theme_share > 0
    group by account_id, lag_weeks
),

best_lag as (
    select
        account_id,
        lag_weeks as best_lag_weeks,
        weighted_correlation as best_lag_correlation,
        same_week_correlation,
        weeks_compared as lag_weeks_compared
    from (
        select
            *,
            row_number() over (
                partition by account_id order by weighted_correlation desc, lag_weeks asc
            ) as lag_rank,
            max(case when lag_weeks = 0 then weighted_correlation end) over (
                partition by account_id
            ) as same_week_correlation
        from lag_profile
    ) as ranked
    where lag_rank = 1
),

lag_significance as (
    select
        lag_baselines.account_id,
        count(*) as lag_shift_count,
        avg(lag_baselines.best_lag_correlation) as baseline_lag_correlation,
        (1 + count(case when lag_baselines.best_lag_correlation >= best_lag.best_lag_correlation then 1 end))
        * cast(1 as double) / (1 + count(*)) as lag_p_value
    from lag_baselines
    inner join best_lag
        on lag_baselines.account_id = best_lag.account_id
    group by lag_baselines.account_id
),

joined as (
    select
        activity_totals.account_id,
        activity_totals.engagement_event_count,
        activity_totals.post_count,
        activity_totals.deleted_post_count,
        activity_totals.first_activity_date,
        activity_totals.last_activity_date,
        coalesce(themed_counts.tagged_post_count, 0) as tagged_post_count,
        coalesce(themed_counts.tagged_engagement_event_count, 0) as tagged_engagement_event_count,
        coalesce(themed_counts.themable_engagement_event_count, 0) as themable_engagement_event_count,
        coalesce(post_matches.matched_post_count, 0) as matched_post_count,
        coalesce(post_matches.ambiguous_post_count, 0) as ambiguous_post_count,
        coverage_notes.coverage_note,
        best_lag.best_lag_weeks,
        best_lag.best_lag_correlation,
        best_lag.same_week_correlation,
        best_lag.lag_weeks_compared,
        coalesce(lag_significance.lag_shift_count, 0) as lag_shift_count,
        lag_significance.baseline_lag_correlation,
        lag_significance.lag_p_value,
        overlap.distribution_overlap,
        overlap.baseline_overlap,
        overlap.overlap_p_value,
        overlap.jaccard_similarity,
        coalesce(sounds.post_with_sound_count, 0) as post_with_sound_count,
        coalesce(sounds.favorite_sound_count, 0) as favorite_sound_count,
        coalesce(sounds.titled_favorite_sound_count, 0) as titled_favorite_sound_count,
        coalesce(sounds.favorited_sound_post_count, 0) as favorited_sound_post_count,
        sounds.favorited_before_post_count,
        sounds.favorited_before_post_rate,
        sounds.favorited_only_after_post_count,
        sounds.expected_favorited_before_post_count,
        sounds.sound_direction_p_value
    from activity_totals
    left join themed_counts
        on activity_totals.account_id = themed_counts.account_id
    left join post_matches
        on activity_totals.account_id = post_matches.account_id
    left join coverage_notes
        on activity_totals.account_id = coverage_notes.account_id
    left join best_lag
        on activity_totals.account_id = best_lag.account_id
    left join lag_significance
        on activity_totals.account_id = lag_significance.account_id
    left join overlap
        on activity_totals.account_id = overlap.account_id
    left join sounds
        on activity_totals.account_id = sounds.account_id
),

-- what the theme evidences lack, if anything
theme_gaps as (
    select
        *,
        case
            when post_count = 0 then 'no posts in the exports'
            when tagged_post_count = 0 and matched_post_count = 0
                then 'posts carry no captions and none were matched to your public videos: run make enrich'
            when tagged_post_count < {{ min_posts }}
                then {{ dbt.concat([
                    "'only '", "cast(tagged_post_count as " ~ s ~ ")", "' of '", "cast(post_count as " ~ s ~ ")",
                    "' posts have themes (need " ~ min_posts ~ "; '", "cast(matched_post_count as " ~ s ~ ")",
                    "' matched to your public videos): run make enrich, or extend seeds/theme_keywords.csv'",
                ]) }}
        end as post_theme_gap,
        case
            when engagement_event_count = 0
                then 'no watches, likes, favourites, searches, shares or comments in the exports'
            when tagged_engagement_event_count < {{ min_engagement }}
                then {{ dbt.concat([
                    "'only '", "cast(tagged_engagement_event_count as " ~ s ~ ")", "' of '",
                    "cast(themable_engagement_event_count as " ~ s ~ ")",
                    "' watches, likes, favourites, searches, shares and comments have themes (need "
                    ~ min_engagement ~ "): watched and liked videos get theirs from the video metadata, run make enrich'",
                ]) }}
        end as engagement_theme_gap
    from joined
),

reasons as (
    select
        *,
        coalesce(
            post_theme_gap,
            engagement_theme_gap,
            case
                when best_lag_weeks is null
                    then 'no week has both post themes and engagement themes in the weeks before'
                when lag_weeks_compared < {{ min_weeks }}
                    then {{ dbt.concat([
                        "'only '", "cast(lag_weeks_compared as " ~ s ~ ")",
                        "' posting weeks have engagement themes to compare with (need " ~ min_weeks ~ ")'",
                        "coalesce(': ' || coverage_note, '')",
                    ]) }}
                when lag_shift_count < {{ min_shifts }}
                    then {{ dbt.concat([
                        "'the history is too short for the timing baseline ('", "cast(lag_shift_count as " ~ s ~ ")",
                        "' time-shifted copies, need " ~ min_shifts ~ ")'", "coalesce(': ' || coverage_note, '')",
                    ]) }}
            end
        ) as lagged_theme_not_computed_reason,
        coalesce(
            post_theme_gap,
            engagement_theme_gap,
            case when distribution_overlap is null then 'no theme in both your posts and your engagement' end
        ) as theme_overlap_not_computed_reason,
        case
            when post_count = 0 then 'no posts in the exports'
            when post_with_sound_count = 0 then 'no post names its sound'
            when favorite_sound_count = 0 then 'no favourite sounds in the exports'
            when titled_favorite_sound_count = 0
                then {{ dbt.concat([
                    "'your '", "cast(favorite_sound_count as " ~ s ~ ")",
                    "' favourite sounds carry only ids and no video metadata names them: run make enrich'",
                ]) }}
        end as sound_reuse_not_computed_reason
    from theme_gaps
),

evidence as (
    select
        *,
        lagged_theme_not_computed_reason is null as is_lagged_theme_computed,
        theme_overlap_not_computed_reason is null as is_theme_overlap_computed,
        sound_reuse_not_computed_reason is null as is_sound_reuse_computed,
        coalesce(
            lagged_theme_not_computed_reason is null
            and best_lag_weeks >= 1
            and best_lag_correlation >= 0.3
            and best_lag_correlation > coalesce(same_week_correlation, -1)
            and lag_p_value < {{ alpha }},
            false
        ) as has_lagged_theme_evidence,
        coalesce(theme_overlap_not_computed_reason is null and overlap_p_value < {{ alpha }}, false)
            as has_theme_overlap_evidence,
        coalesce(
            sound_reuse_not_computed_reason is null
            and favorited_sound_post_count >= {{ min_sound_posts }}
            and sound_direction_p_value < {{ alpha }},
            false
        ) as has_sound_reuse_evidence
    from reasons
),

verdicts as (
    select
        *,
        case when has_lagged_theme_evidence then 1 else 0 end
        + case when has_theme_overlap_evidence then 1 else 0 end
        + case when has_sound_reuse_evidence then 1 else 0 end as evidence_count,
        case
            when has_lagged_theme_evidence and (has_theme_overlap_evidence or has_sound_reuse_evidence)
                then 'supported'
            when has_lagged_theme_evidence or has_theme_overlap_evidence or has_sound_reuse_evidence
                then 'partly supported'
            when is_lagged_theme_computed then 'not supported'
            else 'cannot tell yet'
        end as verdict
    from evidence
),

findings as (
    select
        *,
        case
            when is_lagged_theme_computed
                then {{ dbt.concat([
                    "'Your posting themes follow your engagement themes best '", "cast(best_lag_weeks as " ~ s ~ ")",
                    "' week(s) later (correlation '", rounded_text('best_lag_correlation'),
                    "' vs '", "coalesce(" ~ rounded_text('same_week_correlation') ~ ", 'n/a')",
                    "' in the same week and '", "coalesce(" ~ rounded_text('baseline_lag_correlation') ~ ", 'n/a')",
                    "' with the timing scrambled, p '", p_value_text('lag_p_value'),
                    "'; '", "cast(lag_weeks_compared as " ~ s ~ ")", "' posting weeks).'",
                ]) }}
        end as lagged_theme_finding,
        case
            when is_theme_overlap_computed
                then {{ dbt.concat([
                    "'What you post and what you engage with share '", percent_text('distribution_overlap'),
                    "' of their themes, against '", percent_text('baseline_overlap'), "' by chance (p '",
                    p_value_text('overlap_p_value'), "').'",
                ]) }}
        end as theme_overlap_finding,
        case
            when not is_sound_reuse_computed then null
            when favorited_sound_post_count = 0
                then {{ dbt.concat([
                    "'None of your '", "cast(post_count as " ~ s ~ ")", "' posts uses one of your '",
                    "cast(titled_favorite_sound_count as " ~ s ~ ")", "' favourite sounds.'",
                ]) }}
            else {{ dbt.concat([
                percent_text('favorited_before_post_rate'), "' of your posts use a sound you had favourited before posting ('",
                "cast(favorited_before_post_count as " ~ s ~ ")", "' of '", "cast(post_count as " ~ s ~ ")",
                "'), '", "cast(favorited_only_after_post_count as " ~ s ~ ")",
                "' one you favourited only after; if saving a sound had nothing to do with using it, '",
                rounded_text('expected_favorited_before_post_count', 1), "' of those '",
                "cast(favorited_sound_post_count as " ~ s ~ ")", "' would have been favourited before (p '",
                p_value_text('sound_direction_p_value'), "')'",
                "case when favorited_sound_post_count < " ~ min_sound_posts ~ " then ': too few posts to show a direction' else '' end",
                "'.'",
            ]) }}
        end as sound_reuse_finding
    from verdicts
),

final as (
    select
        ---------- ids
        account_id,
        ---------- verdict
        verdict,
        {{ dbt.concat([
            "case verdict"
            ~ " when 'supported' then 'Yes: what you engage with shapes what you post. '"
            ~ " when 'partly supported' then 'Partly: some signs that what you engage with shapes what you post. '"
            ~ " when 'not supported' then 'No clear sign that what you engage with shapes what you post. '"
            ~ " else 'Cannot tell yet: the exports do not hold what the timing evidence needs. ' end",
            "coalesce(lagged_theme_finding || ' ', '')",
            "coalesce(theme_overlap_finding || ' ', '')",
            "coalesce(sound_reuse_finding || ' ', '')",
            "case when lagged_theme_not_computed_reason = theme_overlap_not_computed_reason"
            ~ " then 'Not computed: lagged themes and theme overlap (' || lagged_theme_not_computed_reason || '). '"
            ~ " else coalesce('Not computed: lagged themes (' || lagged_theme_not_computed_reason || '). ', '')"
            ~ " || coalesce('Not computed: theme overlap (' || theme_overlap_not_computed_reason || '). ', '') end",
            "case when sound_reuse_not_computed_reason is not null then 'Not computed: sound reuse ('"
            ~ " || sound_reuse_not_computed_reason || '). ' else '' end",
            "coalesce('Coverage: ' || coverage_note || '.', '')",
        ]) }} as verdict_text,  -- the two theme evidences often lack the same thing: said once
        evidence_count,
        has_lagged_theme_evidence,
        has_theme_overlap_evidence,
        has_sound_reuse_evidence,
        ---------- numbers behind it
        engagement_event_count,
        post_count,
        deleted_post_count,
        best_lag_weeks,
        best_lag_correlation,
        same_week_correlation,
        baseline_lag_correlation,
        lag_p_value,
        distribution_overlap,
        baseline_overlap,
        overlap_p_value,
        jaccard_similarity,
        favorited_before_post_count,
        favorited_before_post_rate,
        ---------- period
        first_activity_date,
        last_activity_date,
        ---------- what could be computed (appended: the columns above keep their positions)
        is_lagged_theme_computed,
        lagged_theme_not_computed_reason,
        lagged_theme_finding,
        is_theme_overlap_computed,
        theme_overlap_not_computed_reason,
        theme_overlap_finding,
        is_sound_reuse_computed,
        sound_reuse_not_computed_reason,
        sound_reuse_finding,
        ---------- the inputs behind it
        matched_post_count,
        ambiguous_post_count,
        tagged_post_count,
        post_count - tagged_post_count as untagged_post_count,
        tagged_engagement_event_count,
        lag_weeks_compared,
        lag_shift_count,
        titled_favorite_sound_count,
        favorited_only_after_post_count,
        expected_favorited_before_post_count,
        sound_direction_p_value,
        coverage_note
    from findings
)

select * from final
