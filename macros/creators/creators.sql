{#- Creator-domain helpers: handles, display counts, tiers. Portable SQL unless dispatched. -#}

{#- A creator handle as the warehouse keys it: trimmed, lowercase, no leading `@`; blanks and
    the literal `null` become null. -#}
{% macro normalise_creator_handle(expression) -%}
    nullif(nullif(lower(case
        when trim({{ expression }}) like '@%' then substr(trim({{ expression }}), 2)
        else trim({{ expression }})
    end), ''), 'null')
{%- endmacro %}

{#-
  A display count as an integer: "221.7K" -> 221700, "26M" -> 26000000, "1.2B", "726",
  "1,234", "12,3K" (decimal comma) -> 12300, float artifacts "33299999.999999996" -> 33300000.
  Unparseable text and negative numbers give null
  (callers quarantine non-blank values that come back null).
-#}
{% macro parse_display_count(expression) -%}
    {#- a decimal comma before a suffix ("12,3K") is a decimal point; other commas group thousands -#}
    {%- set decimal_comma = regex_replace_all('trim(' ~ expression ~ ')', ',([0-9]{1,2}[KkMmBb])$', '.\\1') -%}
    {%- set v = "upper(replace(replace(" ~ decimal_comma ~ ", ',', ''), ' ', ''))" -%}
    {#- The number and its suffix, each extracted once (the text expression appears twice, not a
        dozen times: this runs over millions of profiles). No minus sign in the pattern:
        negative counts do not exist, so they give null (callers quarantine them). -#}
    cast(round(
        {{ try_cast(regex_extract(v, '^([0-9.]+(?:E[+]?[0-9]+)?)[KMB]?$'), 'double') }}
        * case {{ regex_extract(v, '[0-9.]([KMB])$') }}
            when 'K' then 1000
            when 'M' then 1000000
            when 'B' then 1000000000
            else 1
        end
    ) as bigint)
{%- endmacro %}

{#- True when a non-blank raw value is a K/M/B display string (2-4 significant digits). -#}
{% macro is_display_rounded(expression) -%}
    (upper(right(trim({{ expression }}), 1)) in ('K', 'M', 'B'))
{%- endmacro %}

{#- A text boolean: true/false, TRUE/FALSE (Excel), 1/0, yes/no; anything else null. -#}
{% macro parse_text_boolean(expression) -%}
    (case
        when lower(trim({{ expression }})) in ('true', '1', 'yes', 't') then true
        when lower(trim({{ expression }})) in ('false', '0', 'no', 'f') then false
    end)
{%- endmacro %}

{#- Blank, `null`, `None`, `N/A` and `nan` text become null. Equalities, not an IN list: DuckDB
    turns an IN list of six into a hash join over the whole column, slower on long values such
    as top_videos. -#}
{% macro null_if_blank(expression) -%}
    {%- set markers = ['', 'null', 'none', 'n/a', 'nan', '#n/a'] -%}
    (case
        when
            {%- for m in markers %}
                lower(trim({{ expression }})) = '{{ m }}'{{ ' or' if not loop.last }}
            {%- endfor %}
            then null
        else {{ expression }}
    end)
{%- endmacro %}

{#- Seconds since the Unix epoch as a UTC timestamp (portable via dbt.dateadd). -#}
{% macro timestamp_from_unix_seconds(seconds) -%}
    {{ dbt.dateadd('second', seconds, "cast('1970-01-01 00:00:00' as timestamp)") }}
{%- endmacro %}

{#- The UTC time a URL query parameter holds in Unix seconds (`x-expires=1699999999` of a
    signed CDN URL); null when the URL has no such parameter. -#}
{% macro url_unix_time_parameter(url, parameter) -%}
    {{ timestamp_from_unix_seconds(
        try_cast(regex_extract(url, '[?&]' ~ parameter ~ '=([0-9]{9,11})([&#]|$)'), 'bigint')
    ) }}
{%- endmacro %}

{#- A TikTok video id's creation time: the id shifted right by 32 bits is Unix seconds. -#}
{% macro video_created_at(video_id) -%}
    {{ timestamp_from_unix_seconds('cast(floor(' ~ video_id ~ ' / 4294967296.0) as bigint)') }}
{%- endmacro %}

{#- Follower tier from the tier_bounds seed: join condition [min_followers, max_followers). -#}
{% macro follower_tier_join(followers, bounds_alias='tier_bounds') -%}
    {{ followers }} >= {{ bounds_alias }}.min_followers
    and ({{ bounds_alias }}.max_followers is null or {{ followers }} < {{ bounds_alias }}.max_followers)
{%- endmacro %}

{#- ------------------------------------------------------------------ engine-specific -#}

{#- A timestamp from the text formats found in creator files (ISO, `M/D/YYYY`, `DD-MM-YYYY`);
    null when none fits. -#}
{% macro creators_parse_timestamp(expression) -%}
    {{ return(adapter.dispatch('creators_parse_timestamp', 'tiktok_warehouse')(expression)) }}
{%- endmacro %}

{#- The common shapes (a bare ISO date, ISO with milliseconds and Z) are tried first on their
    own: the format list is tried in order, and a failed format costs as much as a match, so
    most rows stop at the first try. The formats are mutually exclusive, so the order never
    changes a result. -#}
{% macro default__creators_parse_timestamp(expression) -%}
    cast(coalesce(
        try_strptime(trim({{ expression }}), '%Y-%m-%d'),
        try_strptime(trim({{ expression }}), '%Y-%m-%dT%H:%M:%S.%gZ'),
        try_strptime(trim({{ expression }}), [
        '%Y-%m-%dT%H:%M:%S.%gZ', '%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%dT%H:%M:%S',
        '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d',
        '%m/%d/%Y %H:%M', '%m/%d/%Y', '%d-%m-%Y'
    ])) as timestamp)
{%- endmacro %}


{% macro spark__creators_parse_timestamp(expression) -%}
    coalesce(
        {%- for fmt in ["yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss",
                        'yyyy-MM-dd HH:mm:ss.SSSSSS', 'yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd',
                        'M/d/yyyy H:mm', 'M/d/yyyy', 'd-M-yyyy'] %}
        try_to_timestamp(trim({{ expression }}), "{{ fmt }}"){{ ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
