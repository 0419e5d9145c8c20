with

measures as (
    select * from {{ ref('int_claim_engagement_measures_unpivoted') }}
),

measure_names as (
    select count(distinct measure) as n_measures
    from measures
),

-- videos with every measure, so each pair is computed over the same videos
complete_videos as (
    select measures.video_id
    from measures
    cross join measure_names
    group by measures.video_id, measure_names.n_measures
    having count(*) = measure_names.n_measures
),

complete_measures as (
    select measures.*
    from measures
    inner join complete_videos
        on measures.video_id = complete_videos.video_id
),

populations as (
    select
        'all' as population,
        video_id,
        measure,
        measure_value
    from complete_measures
    union all
    select
        claim_status as population,
        video_id,
        measure,
        measure_value
    from complete_measures
    where claim_status in ('claim', 'opinion')
),

ranked as (
    select
        *,
        -- average rank of ties, so corr() over ranks is Spearman's rho
        rank() over (partition by population, measure order by measure_value)
        + (count(*) over (partition by population, measure, measure_value) - 1) / 2.0 as measure_rank
    from populations
),

paired as (
    select
        x.population,
        x.measure as measure_x,
        y.measure as measure_y,
        x.measure_value as value_x,
        y.measure_value as value_y,
        x.measure_rank as rank_x,
        y.measure_rank as rank_y
    from ranked as x
    inner join ranked as y
        on
            x.population = y.population
            and x.video_id = y.video_id
),

correlated as (
    select
        population,
        measure_x,
        measure_y,
        count(*) as n_videos,
        {{ bounded_correlation('value_x', 'value_y') }} as pearson_correlation,
        {{ bounded_correlation('rank_x', 'rank_y') }} as spearman_correlation
    from paired
    group by population, measure_x, measure_y
)

select * from correlated
