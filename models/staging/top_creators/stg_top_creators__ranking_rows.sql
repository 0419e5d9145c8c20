{#- Every raw row of every ranking file, parsed, with its fate (staged / quarantined /
    duplicate): the one place the ranking parse rules live. Ingest mapped each file's drifting
    headers onto the landed columns (seeds/csv_header_aliases.csv); a re-upload's numeric copy
    of a K/M column is `<column>__2`. -#}
{%- set counts = ['followers', 'views_avg', 'likes_avg', 'comments_avg', 'shares_avg'] -%}
{%- set raw_columns = [
    'rank', 'handle', 'display_name', 'country', 'profile_url', 'scraped',
    'followers', 'followers__2', 'views_avg', 'views_avg__2', 'likes_avg', 'likes_avg__2',
    'comments_avg', 'comments_avg__2', 'shares_avg', 'shares_avg__2',
] -%}

with

source as (
    select * from {{ source('top_creators', 'top_creator_rows') }}
),

manifest as (
    select * from {{ source('ingest', 'manifest') }}
),

files as (
    select
        source_file,
        file_modified_at
    from manifest
),

{# In most files the @-name sits in the column mapped to `handle`; where a file's
    display-name column looks more like handles (lowercase, no spaces), the two swapped. #}
name_columns as (
    select
        source_file,
        avg(
            case
                when {{ regex_matches('trim(handle)', '^@?[a-z0-9._]{2,30}$') }} then 1.0
                else 0.0
            end
        ) as handle_share,
        avg(
            case
                when {{ regex_matches('trim(display_name)', '^@?[a-z0-9._]{2,30}$') }} then 1.0
                else 0.0
            end
        ) as display_name_share
    from source
    group by source_file
),

parsed as (
    select
        source.source_file,
        source.source_row,
        ---------- ids
        coalesce(
            {{ normalise_creator_handle(
                'case when name_columns.display_name_share > name_columns.handle_share'
                ~ ' then source.display_name else source.handle end') }},
            {{ normalise_creator_handle(regex_extract('source.profile_url', '/@([^/?#]+)')) }}
        ) as creator_handle,
        {{ null_if_blank(
            'case when name_columns.display_name_share > name_columns.handle_share'
            ~ ' then source.handle else source.display_name end') }} as display_name,
        ---------- attributes
        cast({{ try_cast('trim(source.rank)', 'double') }} as integer) as creator_rank,
        {{ null_if_blank('trim(source.country)') }} as country,
        {{ null_if_blank('trim(source.profile_url)') }} as profile_url,
        ---------- counts (the exact numeric copy wins over a K/M display string)
        {%- for c in counts %}
            coalesce(
                {{ parse_display_count('source.' ~ c ~ '__2') }},
                {{ parse_display_count('source.' ~ c) }}
            ) as {{ c }},
        {%- endfor %}
        (
            source.followers__2 is null
            and {{ is_display_rounded('source.followers') }}
        ) as is_followers_display_rounded,
        ---------- timestamps
        {{ creators_parse_timestamp('source.scraped') }} as scraped_at_in_file,
        {{ creators_parse_timestamp(
            "concat(" ~ regex_extract('source.source_file', '([0-9]{4}-[0-9]{2})') ~ ", '-01')") }}
            as scraped_at_from_name,
        files.file_modified_at,
        ---------- raw values kept for the quarantine
        source.row_problem,
        source.row_text,
        source.handle as raw_handle,
        source.scraped as raw_scraped,
        {%- for c in counts %}
            source.{{ c }} as raw_{{ c }},
            source.{{ c }}__2 as raw_{{ c }}__2,
        {%- endfor %}
        (
            {%- for c in raw_columns %}
                coalesce(trim(source.{{ c }}), '') = ''{{ ' and' if not loop.last }}
            {%- endfor %}
        ) as is_blank_row,
        row_number() over (
            partition by
                {%- for c in raw_columns %}
                    source.{{ c }},
                {%- endfor %}
                source.source_file
            order by source.source_row
        ) as exact_copy_number
    from source
    left join name_columns
        on source.source_file = name_columns.source_file
    left join files
        on source.source_file = files.source_file
),

judged as (
    select
        *,
        case
            -- a row ingest could not split into columns: its cells mean nothing
            when row_problem is not null then row_problem
            when is_blank_row then 'blank row'
            when creator_handle is null then 'missing creator handle'
            {%- for c in counts %}
                when
                    {{ c }} is null and coalesce(trim(raw_{{ c }}), '') <> ''
                    then 'unparseable {{ c }}'
            {%- endfor %}
            when followers is null then 'missing followers'
            when scraped_at_in_file is null and coalesce(trim(raw_scraped), '') <> ''
                then 'unparseable scraped date'
        end as quarantine_reason
    from parsed
),

ranked as (
    select
        *,
        row_number() over (
            partition by source_file, creator_handle, (quarantine_reason is null and exact_copy_number = 1)
            order by creator_rank, source_row
        ) as handle_copy_number
    from judged
),

final as (
    select
        source_file,
        source_row,
        creator_handle,
        display_name,
        creator_rank,
        country,
        profile_url,
        followers,
        views_avg as average_views,
        likes_avg as average_likes,
        comments_avg as average_comments,
        shares_avg as average_shares,
        is_followers_display_rounded,
        coalesce(scraped_at_in_file, scraped_at_from_name, file_modified_at) as scraped_at,
        case
            when scraped_at_in_file is not null then 'file_column'
            when scraped_at_from_name is not null then 'file_name'
            else 'file_modified_time'
        end as scraped_at_source,
        quarantine_reason,
        case
            when row_problem is not null then row_text
            when quarantine_reason = 'blank row' then ''
            when quarantine_reason = 'missing creator handle' then raw_handle
            {%- for c in counts %}
                when quarantine_reason = 'unparseable {{ c }}' then raw_{{ c }}
            {%- endfor %}
            when quarantine_reason = 'unparseable scraped date' then raw_scraped
        end as raw_value,
        case
            when quarantine_reason is not null then 'quarantined'
            when exact_copy_number > 1 then 'exact_duplicate'
            when handle_copy_number > 1 then 'repeated_handle'
            else 'staged'
        end as row_status
    from ranked
)

select * from final
