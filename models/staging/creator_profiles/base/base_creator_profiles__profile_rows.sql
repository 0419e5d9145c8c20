{#- Every raw profile row, parsed and judged (quarantine reason), before duplicates are ranked:
    the one place the profile parse rules live. Rows stream from the CSV reader to the table; the
    duplicate windows run in stg_creator_profiles__profile_rows on narrow scans of this table
    (windows over the wide rows are the costliest step at scale: docs/benchmarks.md). -#}
{#- `following` is a SQL keyword: the count is `following_count` here. -#}
{%- set counts = {
    'followers': 'followers', 'following': 'following_count', 'likes': 'likes', 'videos_count': 'videos_count',
} -%}
{%- set rates = ['awg_engagement_rate', 'like_engagement_rate', 'comment_engagement_rate'] -%}
{%- set checked = {} -%}
{%- do checked.update(counts) -%}
{%- for r in rates %}{% do checked.update({r: r}) %}{% endfor -%}
{%- set raw_columns = [
    'timestamp', 'account_id', 'nickname', 'biography', 'awg_engagement_rate', 'comment_engagement_rate',
    'like_engagement_rate', 'bio_link', 'is_verified', 'followers', 'following', 'likes', 'videos_count',
    'create_time', 'id', 'top_videos', 'url', 'profile_pic_url', 'region', 'predicted_lang', 'is_commerce_user',
] -%}
{%- set raw_values = [] -%}
{%- for c in raw_columns %}{% do raw_values.append('source.' ~ adapter.quote(c)) %}{% endfor -%}

with

source as (
    select * from {{ source('creator_profiles', 'creator_profile_rows') }}
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

parsed as (
    select
        source.source_file,
        source.source_row,
        ---------- ids
        coalesce(
            -- the official sample masks part of some handles with `█`: the url still names them
            case
                when source.account_id not like '%█%' then {{ normalise_creator_handle('source.account_id') }}
            end,
            nullif(
                {{ normalise_creator_handle(regex_extract('source.url', '/@([^/?#]+)')) }},
                'undefined'
            )
        ) as creator_handle,
        case
            when {{ regex_matches('trim(source.id)', '^[0-9]+$') }} then trim(source.id)
        end as tiktok_user_id,
        coalesce({{ regex_matches('trim(source.id)', '^[0-9.]+[eE][+][0-9]+$') }}, false)
            as has_mangled_user_id,
        ---------- attributes
        {{ null_if_blank('trim(source.nickname)') }} as display_name,
        {{ null_if_blank('trim(source.biography)') }} as biography,
        -- ingest masked e-mail addresses and phone numbers in the biography: the tokens remain
        coalesce(
            source.biography like '%[email]%' or source.biography like '%[phone]%', false
        ) as bio_has_contact,
        {{ null_if_blank('trim(source.bio_link)') }} as bio_link,
        source.bio_link is not null as has_raw_bio_link,
        {{ parse_text_boolean('source.is_verified') }} as is_verified,
        {{ parse_text_boolean('source.is_commerce_user') }} as is_commerce_user,
        {{ null_if_blank('upper(trim(source.region))') }} as region,
        {{ null_if_blank('lower(trim(source.predicted_lang))') }} as language_code,
        case
            when source.url like '%/@undefined%' then null
            else {{ null_if_blank('trim(source.url)') }}
        end as profile_url,
        {{ null_if_blank('trim(source.top_videos)') }} as top_videos,
        -- signed and expiring (x-expires): kept for when the row was scraped, not as a link
        {{ null_if_blank('trim(source.profile_pic_url)') }} as profile_pic_url,
        ---------- counts
        {%- for c, name in counts.items() %}
            {{ parse_display_count(null_if_blank('source.' ~ c)) }} as {{ name }},
        {%- endfor %}
        ---------- rates (fractions, as Bright Data gives them)
        {%- for r in rates %}
            {{ try_cast(null_if_blank('trim(source.' ~ r ~ ')'), 'double') }} as {{ r }},
        {%- endfor %}
        ---------- timestamps
        {{ creators_parse_timestamp(null_if_blank('source.timestamp')) }} as scraped_at_in_file,
        {{ creators_parse_timestamp(null_if_blank('source.create_time')) }} as account_created_at,
        -- the signed avatar URL expires a few days after the scrape: the row's only trace of
        -- when it was scraped where the file has no timestamp column (the official sample)
        {{ url_unix_time_parameter('source.profile_pic_url', 'x-expires') }} as picture_url_expires_at,
        files.file_modified_at,
        ---------- raw values kept for the quarantine
        {%- for c in raw_columns %}
            source.{{ adapter.quote(c) }} as raw_{{ c }},
        {%- endfor %}
        (
            {%- for v in raw_values %}
                coalesce(trim({{ v }}), '') = ''{{ ' and' if not loop.last }}
            {%- endfor %}
        ) as is_blank_row,
        source.row_problem,
        source.row_text,
        {{ row_fingerprint(raw_values) }} as raw_row_fingerprint
    from source
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
            {%- for c, name in checked.items() %}
                when
                    {{ name }} is null and {{ null_if_blank('trim(raw_' ~ c ~ ')') }} is not null
                    then 'unparseable {{ c }}'
            {%- endfor %}
            when
                scraped_at_in_file is null and {{ null_if_blank('trim(raw_timestamp)') }} is not null
                then 'unparseable timestamp'
            when
                account_created_at is null and {{ null_if_blank('trim(raw_create_time)') }} is not null
                then 'unparseable create_time'
        end as quarantine_reason
    from parsed
),


final as (
    select
        source_file,
        source_row,
        creator_handle,
        tiktok_user_id,
        has_mangled_user_id,
        display_name,
        biography,
        bio_has_contact,
        bio_link,
        has_raw_bio_link,
        is_verified,
        is_commerce_user,
        region,
        language_code,
        profile_url,
        top_videos,
        profile_pic_url,
        followers,
        following_count,
        likes,
        videos_count,
        awg_engagement_rate as engagement_rate,
        coalesce(
            like_engagement_rate, round(awg_engagement_rate - comment_engagement_rate, 9)
        ) as like_engagement_rate,
        comment_engagement_rate,
        (
            like_engagement_rate is null
            and awg_engagement_rate is not null
            and comment_engagement_rate is not null
        ) as is_like_rate_derived,
        account_created_at,
        coalesce(scraped_at_in_file, picture_url_expires_at, file_modified_at) as scraped_at,
        case
            when scraped_at_in_file is not null then 'file_column'
            when picture_url_expires_at is not null then 'picture_url_expiry'
            else 'file_modified_time'
        end as scraped_at_source,
        quarantine_reason,
        case
            when row_problem is not null then row_text
            when quarantine_reason = 'blank row' then ''
            when quarantine_reason = 'missing creator handle' then coalesce(raw_account_id, raw_url)
            {%- for c in checked %}
                when quarantine_reason = 'unparseable {{ c }}' then raw_{{ c }}
            {%- endfor %}
            when quarantine_reason = 'unparseable timestamp' then raw_timestamp
            when quarantine_reason = 'unparseable create_time' then raw_create_time
        end as raw_value,
        raw_row_fingerprint
    from judged
)

select * from final
