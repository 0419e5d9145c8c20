{#- Pearson and Spearman correlation of every pair of engagement measures, per population.
    Computed wide (one row per video, one corr() per pair) rather than by self-joining the long
    measures: the self-join makes 121 rows per video. -#}
{%- set measures = claim_engagement_measures() -%}
{%- set pairs = [] -%}
{%- for i in range(measures | length) %}{% for j in range(i, measures | length) %}
    {%- do pairs.append((measures[i], measures[j])) -%}
{%- endfor %}{% endfor -%}
{#- both orders of every pair: (x, y) and (y, x) share one coefficient -#}
{%- set pair_rows = [] -%}
{%- for x, y in pairs %}
    {%- do pair_rows.append("('" ~ x ~ "', '" ~ y ~ "', " ~ loop.index ~ ")") -%}
    {%- if x != y %}{% do pair_rows.append("('" ~ y ~ "', '" ~ x ~ "', " ~ loop.index ~ ")") %}{% endif -%}
{%- endfor %}

with

measures as (
    select * from {{ ref('int_claim_engagement_measures_unpivoted') }}
),

populations as (
    select
        'all' as population,
        video_id,
        measure,
        measure_value
    from measures
    union all
    select
        claim_status as population,
        video_id,
        measure,
        measure_value
    from measures
    where claim_status in ('claim', 'opinion')
),

wide as (
    select
        population,
        video_id,
        {%- for m in measures %}
            max(case when measure = '{{ m }}' then measure_value end) as value__{{ m }},
        {%- endfor %}
        count(*) as n_measures
    from populations
    group by population, video_id
),

-- the measures the data holds (a measure null for every video has no pairs)
present_measures as (
    select distinct measure from measures
),

-- videos with every present measure, so each pair is computed over the same videos
complete_videos as (
    select * from wide
    where n_measures = (select count(*) from present_measures)
),

-- average rank of ties, so corr() over ranks is Spearman's rho
ranked as (
    select
        {%- for m in measures %}
            rank() over (partition by population order by value__{{ m }})
            + (count(*) over (partition by population, value__{{ m }}) - 1) / 2.0 as rank__{{ m }},
        {%- endfor %}
        *
    from complete_videos
),

aggregated as (
    select
        population,
        {%- for x, y in pairs %}
            corr(value__{{ x }}, value__{{ y }}) as pearson__{{ loop.index }},
            corr(rank__{{ x }}, rank__{{ y }}) as spearman__{{ loop.index }},
        {%- endfor %}
        count(*) as n_videos
    from ranked
    group by population
),

measure_pairs as (
    select
        pair_list.measure_x,
        pair_list.measure_y,
        pair_list.pair_number
    from (
        values
        {{ pair_rows | join(',\n') }}
    ) as pair_list (measure_x, measure_y, pair_number)
),

picked as (
    select
        aggregated.population,
        measure_pairs.measure_x,
        measure_pairs.measure_y,
        aggregated.n_videos,
        case measure_pairs.pair_number
            {%- for pair in pairs %}
                when {{ loop.index }} then aggregated.pearson__{{ loop.index }}
            {%- endfor %}
        end as pearson_coefficient,
        case measure_pairs.pair_number
            {%- for pair in pairs %}
                when {{ loop.index }} then aggregated.spearman__{{ loop.index }}
            {%- endfor %}
        end as spearman_coefficient
    from aggregated
    cross join measure_pairs
    where
        measure_pairs.measure_x in (select present_measures.measure from present_measures)
        and measure_pairs.measure_y in (select present_measures.measure from present_measures)
),

correlated as (
    select
        population,
        measure_x,
        measure_y,
        n_videos,
        {{ bounded_coefficient('pearson_coefficient') }} as pearson_correlation,
        {{ bounded_coefficient('spearman_coefficient') }} as spearman_correlation
    from picked
)

select * from correlated
