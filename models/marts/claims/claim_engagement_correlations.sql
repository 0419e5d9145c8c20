{#- Pearson and Spearman correlation of every pair of engagement measures, per population.
    Computed wide, straight from the one-row-per-video mart (one corr() per pair): the long
    measures would have to be pivoted back first, and self-joining them makes 121 rows per video. -#}
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
{%- set measure_rows = [] -%}
{%- for m in measures %}{% do measure_rows.append("('" ~ m ~ "')") %}{% endfor %}

with

videos as (
    select * from {{ ref('claim_videos') }}
),

measured as (
    select
        {%- for m in measures %}
            cast({{ m }} as double) as value__{{ m }},
        {%- endfor %}
        video_id,
        coalesce(claim_status, 'unlabelled') as claim_status
    from videos
),

-- the measures the data holds (a measure null for every video has no pairs)
measure_presence as (
    select
        {%- for m in measures %}
            count(value__{{ m }}) > 0 as has__{{ m }},
        {%- endfor %}
        count(*) as n_videos
    from measured
),

present_measures as (
    select measure_list.measure
    from (
        values
        {{ measure_rows | join(',\n') }}
    ) as measure_list (measure)
    cross join measure_presence
    where
        case measure_list.measure
            {%- for m in measures %}
                when '{{ m }}' then measure_presence.has__{{ m }}
            {%- endfor %}
        end
),

populations as (
    select
        'all' as population,
        measured.*
    from measured
    union all
    select
        claim_status as population,
        measured.*
    from measured
    where claim_status in ('claim', 'opinion')
),

-- videos with every present measure, so each pair is computed over the same videos
complete_videos as (
    select populations.*
    from populations
    cross join measure_presence
    where
        {%- for m in measures %}
            {{ 'and ' if not loop.first }}(
                populations.value__{{ m }} is not null or not measure_presence.has__{{ m }}
            )
        {%- endfor %}
),

-- average rank of ties, so corr() over ranks is Spearman's rho: rank() is a tie's first
-- position and the running count (its frame ends after the tie's last row) its last, one sort
-- for both
ranked as (
    select
        {%- for m in measures %}
            (
                rank() over (partition by population order by value__{{ m }})
                + count(*) over (partition by population order by value__{{ m }})
            ) / 2.0 as rank__{{ m }},
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
