{#-
  Local time for the watching marts. Exports are in UTC; people read their habits in their own
  clock, so every hour, weekday and day shown there goes through utc_to_local. DST-correct on
  both engines: DuckDB's ICU time zones, Spark's from_utc_timestamp (java.time zone rules).
-#}

{#- A UTC timestamp (naive) as the wall-clock time of an IANA zone (naive): zone may be a column. -#}
{% macro utc_to_local(timestamp_expr, time_zone_expr) -%}
    {{ return(adapter.dispatch('utc_to_local', 'tiktok_warehouse')(timestamp_expr, time_zone_expr)) }}
{%- endmacro %}

{#- timezone('UTC', ts) reads the naive value as UTC whatever the session's TimeZone setting (a
    plain cast to timestamptz would read it in the session's zone); timezone(zone, tstz) then
    gives the wall clock there. -#}
{% macro default__utc_to_local(timestamp_expr, time_zone_expr) -%}
    timezone({{ time_zone_expr }}, timezone('UTC', {{ timestamp_expr }}))
{%- endmacro %}

{% macro spark__utc_to_local(timestamp_expr, time_zone_expr) -%}
    from_utc_timestamp({{ timestamp_expr }}, {{ time_zone_expr }})
{%- endmacro %}

{#- A timestamp plus a number of seconds (a column), to the microsecond; null stays null. -#}
{% macro add_seconds(timestamp_expr, seconds_expr) -%}
    {{ return(adapter.dispatch('add_seconds', 'tiktok_warehouse')(timestamp_expr, seconds_expr)) }}
{%- endmacro %}

{% macro default__add_seconds(timestamp_expr, seconds_expr) -%}
    ({{ timestamp_expr }} + to_seconds({{ seconds_expr }}))
{%- endmacro %}

{#- (dbt's dateadd on Spark goes through whole unix seconds and fails on a null) -#}
{% macro spark__add_seconds(timestamp_expr, seconds_expr) -%}
    ({{ timestamp_expr }} + make_interval(0, 0, 0, 0, 0, 0, {{ seconds_expr }}))
{%- endmacro %}

{#- The var local_time_zone as SQL: a zone literal for every account (var = one IANA name), a case
    over account ids (var = {account_id: IANA name}), or a typed null (var unset). Unknown zone
    names fail compilation, before any engine silently reads them as UTC. -#}
{% macro local_time_zone_override(account_id_expr) -%}
    {%- set setting = var('local_time_zone') -%}
    {%- if setting is none or setting == '' -%}
        cast(null as {{ dbt.type_string() }})
    {%- elif setting is string -%}
        '{{ checked_time_zone(setting, 'local_time_zone') }}'
    {%- elif setting is mapping -%}
        case {{ account_id_expr }}
        {%- for account, zone in setting.items() | sort %}
            when '{{ account | string | lower | replace("'", "''") }}' then '{{ checked_time_zone(zone, 'local_time_zone[' ~ account ~ ']') }}'
        {%- endfor %}
        end
    {%- else -%}
        {{ exceptions.raise_compiler_error("var local_time_zone: an IANA time zone name (Europe/Istanbul) or a mapping {account_id: IANA name}, not " ~ setting) }}
    {%- endif -%}
{%- endmacro %}

{% macro checked_time_zone(zone, what) -%}
    {%- if zone is not string or zone not in modules.pytz.all_timezones_set -%}
        {{ exceptions.raise_compiler_error("var " ~ what ~ ": '" ~ zone ~ "' is not an IANA time zone name (like Europe/Istanbul, America/New_York or UTC)") }}
    {%- endif -%}
    {{- zone -}}
{%- endmacro %}

{#- The session gaps (minutes) the watching marts report, ascending: the primary gap
    (var watch_session_gap_minutes) and the others compared with it
    (var watch_session_other_gaps_minutes); each a positive whole number of minutes. -#}
{% macro watch_session_gaps() -%}
    {%- set primary = var('watch_session_gap_minutes') -%}
    {%- set others = var('watch_session_other_gaps_minutes') -%}
    {%- if others is number -%}{%- set others = [others] -%}{%- endif -%}
    {%- set gaps = [] -%}
    {%- for gap in [primary] + (others | list) -%}
        {%- if gap is not number or gap != gap | int or gap < 1 -%}
            {{ exceptions.raise_compiler_error("watch session gaps are whole minutes >= 1, not " ~ gap) }}
        {%- endif -%}
        {%- if gap | int not in gaps -%}{%- do gaps.append(gap | int) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(gaps | sort) }}
{%- endmacro %}

{% macro watch_session_primary_gap() -%}
    {%- do watch_session_gaps() -%}{#- validates the var -#}
    {{ return(var('watch_session_gap_minutes') | int) }}
{%- endmacro %}

{#- One row per session gap: `select <gap> as gap_minutes union all ...` (any list of minutes,
    so not integer_rows, which makes a contiguous range). -#}
{% macro watch_session_gaps_sql() -%}
    {%- for gap in watch_session_gaps() %}
    select cast({{ gap }} as integer) as gap_minutes
    {%- if not loop.last %}
    union all{% endif -%}
    {%- endfor %}
{%- endmacro %}

{#- Night watching: local hours 00:00 to 04:59 (before 05:00). -#}
{% macro is_night_hour(hour_expr) -%}
    ({{ hour_expr }} < 5)
{%- endmacro %}

{#- A date var (ISO text) validated at compile time, as a SQL date literal; none when unset. -#}
{% macro checked_date_var(name) -%}
    {%- set value = var(name) -%}
    {%- if value is none or value == '' -%}{{ return(none) }}{%- endif -%}
    {%- set text = value | string -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text) -%}
        {{ exceptions.raise_compiler_error("var " ~ name ~ ": a date as YYYY-MM-DD, not " ~ value) }}
    {%- endif -%}
    {%- do modules.datetime.date.fromisoformat(text) -%}
    {{ return("cast('" ~ text ~ "' as date)") }}
{%- endmacro %}

{#- The year in review's window as SQL over a column of each account's last local event date:
    (start expression, end expression, source label). -#}
{% macro year_in_review_window(last_date_expr) -%}
    {%- set year = var('year_in_review_year') -%}
    {%- set start = checked_date_var('year_in_review_start_date') -%}
    {%- set end = checked_date_var('year_in_review_end_date') -%}
    {%- if year is not none and year != '' -%}
        {%- if not modules.re.fullmatch('[0-9]{4}', year | string) -%}
            {{ exceptions.raise_compiler_error("var year_in_review_year: a year like 2024, not " ~ year) }}
        {%- endif -%}
        {%- if start is not none or end is not none -%}
            {{ exceptions.raise_compiler_error("vars year_in_review_year and year_in_review_start_date/_end_date: set one or the other") }}
        {%- endif -%}
        {%- set y = year | string -%}
        {{ return(["cast('" ~ y ~ "-01-01' as date)", "cast('" ~ y ~ "-12-31' as date)", 'year var']) }}
    {%- endif -%}
    {%- set back = "cast(" ~ dbt.dateadd('day', 1, dbt.dateadd('month', -12, '__END__')) ~ " as date)" -%}
    {%- set ahead = "cast(" ~ dbt.dateadd('day', -1, dbt.dateadd('month', 12, '__START__')) ~ " as date)" -%}
    {%- if start is not none and end is not none -%}
        {%- if var('year_in_review_start_date') | string > var('year_in_review_end_date') | string -%}
            {{ exceptions.raise_compiler_error("var year_in_review_start_date is after year_in_review_end_date") }}
        {%- endif -%}
        {{ return([start, end, 'date range var']) }}
    {%- elif start is not none -%}
        {{ return([start, ahead | replace('__START__', start), 'date range var']) }}
    {%- elif end is not none -%}
        {{ return([back | replace('__END__', end), end, 'date range var']) }}
    {%- endif -%}
    {{ return([back | replace('__END__', last_date_expr), last_date_expr, 'last 12 months of data']) }}
{%- endmacro %}

{#- From rows per (keys..., gap_minutes): each measure at the primary gap, and its band (_low,
    _high: the least and greatest over the gaps) per keys. -#}
{% macro watch_gap_band(relation, keys, measures) -%}
    {%- set primary_gap = watch_session_primary_gap() -%}
    select
        {{ keys | join(', ') }},
        {%- for measure in measures %}
        max(case when gap_minutes = {{ primary_gap }} then {{ measure }} end) as {{ measure }},
        min({{ measure }}) as {{ measure }}_low,
        max({{ measure }}) as {{ measure }}_high{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    group by {{ keys | join(', ') }}
{%- endmacro %}

{#- What a set of localized watches covers and holds: first and last local day, days with a
    watch, videos, night videos (an aggregate select list). -#}
{% macro watch_span_measures() -%}
    min(event_local_date) as first_watch_date,
    max(event_local_date) as last_watch_date,
    count(distinct event_local_date) as watch_day_count,
    count(*) as video_count,
    count(case when {{ is_night_hour('local_hour_of_day') }} then 1 end) as night_video_count
{%- endmacro %}

{#- Per account: sessions and estimated hours of a sessions relation (watch_sessions rows) at the
    primary gap, with their band over the gaps (watch_gap_band). -#}
{% macro account_session_totals(sessions_relation) -%}
    {%- set per_gap -%}
        (
            select
                account_id,
                gap_minutes,
                count(*) as session_count,
                sum(estimated_minutes) / 60 as estimated_hours
            from {{ sessions_relation }}
            group by account_id, gap_minutes
        ) as per_gap
    {%- endset -%}
    {{ watch_gap_band(per_gap, ['account_id'], ['session_count', 'estimated_hours']) }}
{%- endmacro %}
