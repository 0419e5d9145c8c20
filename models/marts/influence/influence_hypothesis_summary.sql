{#-
  "Does what I watch and like shape what I post?" One row per account with the verdict in
  plain words and the numbers behind it:
    - timing: the lag (weeks) at which weekly engagement theme shares best correlate with
      weekly posting shares, averaged over themes weighted by how much the account posts them;
    - themes: overlap of posting and engagement theme distributions vs a permutation baseline;
    - sounds: share of posts using a sound the account had favourited before posting.
  Evidence counts: lag correlation >= 0.3 at a lag of 1+ weeks, above the same-week
  correlation and above the time-shift baseline (p < 0.05, int_lag_baselines_computed); overlap above chance (p < 0.05); >= 10% of posts reuse an earlier favourite sound.
-#}
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

lag_profile as (
    select
        account_id,
        lag_weeks,
        sum(lag_correlation * mean_post_theme_share) / sum(mean_post_theme_share) as weighted_correlation
    from correlations
    where mean_post_theme_share > 0
    group by account_id, lag_weeks
),

best_lag as (
    select
        account_id,
        lag_weeks as best_lag_weeks,
        weighted_correlation as best_lag_correlation,
        same_week_correlation
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
        best_lag.best_lag_weeks,
        best_lag.best_lag_correlation,
        best_lag.same_week_correlation,
        lag_significance.baseline_lag_correlation,
        lag_significance.lag_p_value,
        overlap.distribution_overlap,
        overlap.baseline_overlap,
        overlap.overlap_p_value,
        overlap.jaccard_similarity,
        sounds.favorited_before_post_count,
        sounds.favorited_before_post_rate,
        coalesce(
            best_lag.best_lag_weeks >= 1
            and best_lag.best_lag_correlation >= 0.3
            and best_lag.best_lag_correlation > coalesce(best_lag.same_week_correlation, -1)
            and lag_significance.lag_p_value < 0.05,
            false
        ) as has_lagged_theme_evidence,
        coalesce(overlap.is_overlap_above_chance, false) as has_theme_overlap_evidence,
        coalesce(sounds.favorited_before_post_rate >= 0.1, false) as has_sound_reuse_evidence
    from activity_totals
    left join best_lag
        on activity_totals.account_id = best_lag.account_id
    left join lag_significance
        on activity_totals.account_id = lag_significance.account_id
    left join overlap
        on activity_totals.account_id = overlap.account_id
    left join sounds
        on activity_totals.account_id = sounds.account_id
),

verdicts as (
    select
        *,
        case when has_lagged_theme_evidence then 1 else 0 end
        + case when has_theme_overlap_evidence then 1 else 0 end
        + case when has_sound_reuse_evidence then 1 else 0 end as evidence_count,
        case
            when post_count < 10 or engagement_event_count < 100 then 'not enough data'
            when has_lagged_theme_evidence and (has_theme_overlap_evidence or has_sound_reuse_evidence)
                then 'supported'
            when has_lagged_theme_evidence or has_theme_overlap_evidence or has_sound_reuse_evidence
                then 'partly supported'
            else 'not supported'
        end as verdict
    from joined
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
            ~ " else 'Not enough data to tell (need 10+ posts and 100+ engagement events). ' end",
            "case when best_lag_weeks is not null then 'Your posting themes follow your engagement themes best '"
            ~ " || cast(best_lag_weeks as " ~ dbt.type_string() ~ ") || ' week(s) later (correlation '"
            ~ " || cast(round(best_lag_correlation, 2) as " ~ dbt.type_string() ~ ") || ' vs '"
            ~ " || coalesce(cast(round(same_week_correlation, 2) as " ~ dbt.type_string() ~ "), 'n/a')"
            ~ " || ' in the same week, '"
            ~ " || coalesce(cast(round(baseline_lag_correlation, 2) as " ~ dbt.type_string() ~ "), 'n/a')"
            ~ " || ' with the timing scrambled; p = '"
            ~ " || coalesce(cast(round(lag_p_value, 3) as " ~ dbt.type_string() ~ "), 'n/a') || '). ' else '' end",
            "case when distribution_overlap is not null then 'Theme overlap '"
            ~ " || cast(round(distribution_overlap, 2) as " ~ dbt.type_string() ~ ") || ' vs '"
            ~ " || cast(round(baseline_overlap, 2) as " ~ dbt.type_string() ~ ") || ' by chance (p = '"
            ~ " || cast(round(overlap_p_value, 3) as " ~ dbt.type_string() ~ ") || '). ' else '' end",
            "case when favorited_before_post_rate is not null then cast(cast(round(100 * favorited_before_post_rate, 0) as integer) as "
            ~ dbt.type_string() ~ ") || '% of your posts use a sound you had favourited before posting.' else '' end",
        ]) }} as verdict_text,
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
        last_activity_date
    from verdicts
)

select * from final
