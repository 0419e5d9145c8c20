{#-
  The evidence table behind each verdict (influence_hypothesis_summary), one row per account and
  evidence: whether it could be computed, whether it holds, what it found or why it could not be
  computed. For the reports and anyone reading the verdict line by line.
  Grain: one row per (account_id, evidence).
-#}
with

summary as (
    select * from {{ ref('influence_hypothesis_summary') }}
),

unpivoted as (
    select
        account_id,
        1 as evidence_order,
        'lagged themes' as evidence,
        is_lagged_theme_computed as is_computed,
        has_lagged_theme_evidence as has_evidence,
        lagged_theme_finding as finding,
        lagged_theme_not_computed_reason as not_computed_reason
    from summary
    union all
    select
        account_id,
        2 as evidence_order,
        'theme overlap' as evidence,
        is_theme_overlap_computed as is_computed,
        has_theme_overlap_evidence as has_evidence,
        theme_overlap_finding as finding,
        theme_overlap_not_computed_reason as not_computed_reason
    from summary
    union all
    select
        account_id,
        3 as evidence_order,
        'sound reuse' as evidence,
        is_sound_reuse_computed as is_computed,
        has_sound_reuse_evidence as has_evidence,
        sound_reuse_finding as finding,
        sound_reuse_not_computed_reason as not_computed_reason
    from summary
),

final as (
    select
        ---------- ids
        account_id,
        evidence,
        ---------- attributes
        evidence_order,
        is_computed,
        has_evidence,
        case
            when not is_computed then 'not computed'
            when has_evidence then 'holds'
            else 'does not hold'
        end as status,
        coalesce(finding, {{ dbt.concat(["'Not computed: '", 'not_computed_reason', "'.'"]) }}) as detail,
        not_computed_reason
    from unpivoted
)

select * from final
