{#- Value parsers shared by the export, video-metadata and influence models. -#}

{#- Trimmed text, null for the export's empty sentinels ('', 'N/A', 'None', 'null'). -#}
{% macro export_text(expr) -%}
    case
        when trim({{ expr }}) in ('', 'N/A', 'n/a', 'None', 'none', 'null', 'NULL') then null
        else trim({{ expr }})
    end
{%- endmacro %}

{#- 'Yes'/'No' (any case; also On/Off, true/false) to boolean, null otherwise. -#}
{% macro export_flag(expr) -%}
    case
        when lower(trim({{ expr }})) in ('yes', 'on', 'true', '1') then true
        when lower(trim({{ expr }})) in ('no', 'off', 'false', '0') then false
    end
{%- endmacro %}

{#- Integer out of a count string ('1234', '1,234', 'None' -> null). -#}
{% macro export_integer(expr) -%}
    {{ try_cast("replace(" ~ export_text(expr) ~ ", ',', '')", 'bigint') }}
{%- endmacro %}

{#- Numeric video id out of any TikTok video link form (short share link, long @user/video, /v/). -#}
{% macro video_id_from_link(expr) -%}
    {{ try_cast(regex_extract(expr, '/(?:video|v)/([0-9]{6,20})'), 'bigint') }}
{%- endmacro %}

{#- Sound id out of a music link: the h5 share link of real exports
    (https://m.tiktok.com/h5/share/music/7012345678901234567.html, TXT label `Sound Link`) and
    the site's web link (https://www.tiktok.com/music/Original-Sound-7012345678901234567). -#}
{% macro sound_id_from_link(expr) -%}
    {{ try_cast(regex_extract(expr, '/music/[^/?#]*?-?([0-9]{6,20})(?:\\.html)?/?(?:[?#].*)?$'), 'bigint') }}
{%- endmacro %}

{#- Sound title out of a web music link: the slug before the id, hyphens as spaces (null for
    the h5 links real exports carry: they hold only the id). -#}
{% macro sound_title_from_link(expr) -%}
    nullif(trim(replace(
        {{ regex_extract(expr, '/music/([^/?#]*?)-?[0-9]{6,20}(?:\\.html)?/?(?:[?#].*)?$') }}, '-', ' '
    )), '')
{%- endmacro %}

{#- Effect id out of an effect link (https://m.tiktok.com/share/stickers/detail/<id>.html, or
    the web form https://www.tiktok.com/sticker/<Name>-<id>). -#}
{% macro effect_id_from_link(expr) -%}
    {{ try_cast(regex_extract(expr, '/stickers?/(?:detail/)?(?:[^/?#]*?-)?([0-9]{3,20})(?:\\.html)?/?(?:[?#].*)?$'), 'bigint') }}
{%- endmacro %}

{#-
  A post's `Sound` is `<title> - <artist>` (split at the last ` - `: titles hold dashes, artists
  rarely), `original sound - <user name>` in the app's language, or ` - ` for no sound.
  post_sound_title / post_sound_artist: the parts, null for no sound; a Sound without ` - ` is
  all title.
-#}
{% macro post_sound_title(expr) -%}
    case
        when {{ regex_matches(expr, ' - ') }}
            then nullif(trim({{ regex_extract(expr, '^(.*) - ') }}), '')
        else nullif({{ export_text(expr) }}, '-')
    end
{%- endmacro %}

{% macro post_sound_artist(expr) -%}
    nullif(trim({{ regex_extract(expr, '^.* - (.*)$') }}), '')
{%- endmacro %}

{#- True when a post's sound title is the app's "original sound" (any language of var
    original_sound_titles), null without a sound. -#}
{% macro is_original_sound(title_expr) -%}
    {%- set titles = [] -%}
    {%- for t in var('original_sound_titles') -%}
        {%- do titles.append("'" ~ (t | lower | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    case when {{ title_expr }} is not null then lower({{ title_expr }}) in ({{ titles | join(', ') }}) end
{%- endmacro %}

{#- A post's visibility (`WhoCanView`) as one of everyone, followers, friends, only_you (other
    values lowercased, spaces as underscores), null for sentinels. -#}
{% macro post_visibility(expr) -%}
    case
        when lower({{ export_text(expr) }}) in ('everyone', 'public') then 'everyone'
        when lower({{ export_text(expr) }}) in ('only you', 'only me', 'private') then 'only_you'
        else replace(lower({{ export_text(expr) }}), ' ', '_')
    end
{%- endmacro %}

{#- A photo post: its `Link` holds image URLs (photomode, several URLs one per line, or an
    image file) rather than one video URL. -#}
{% macro is_photo_link(expr) -%}
    coalesce(
        {{ regex_matches(expr, '(?i)photomode|https?://\\S+\\s+https?://|\\.(jpe?g|png|webp|heic)([?#]|$)') }},
        false
    )
{%- endmacro %}

{#-
  Normalised sound title, the join key between a favourited sound and a post's `Sound`:
  lowercase, accents folded, every run of non-alphanumerics one space.
-#}
{% macro normalize_sound_title(expr) -%}
    nullif(trim({{ regex_replace_all('lower(' ~ fold_accents(expr) ~ ')', '[^\\pL\\pN]+', ' ') }}), '')
{%- endmacro %}

{#- Normalised hashtag: accents folded, lowercase, `#` and surrounding punctuation stripped. -#}
{% macro normalize_hashtag(expr) -%}
    nullif({{ regex_replace_all('lower(' ~ fold_accents(expr) ~ ')', '[^\\pL\\pN_]', '') }}, '')
{%- endmacro %}

{#- Hashtag out of a hashtag page link (https://www.tiktok.com/tag/cooking), not normalised. -#}
{% macro hashtag_from_link(expr) -%}
    replace({{ regex_extract(expr, '/tag/([^/?#]+)') }}, '%23', '')
{%- endmacro %}

{#- List of the raw hashtags (without `#`) in a caption. -#}
{% macro caption_hashtags(expr) -%}
    {{ regex_extract_list(expr, '#([^\\s#]+)') }}
{%- endmacro %}

{#- List of normalised words of a text (accents folded, lowercase), hashtags included. -#}
{% macro text_words(expr) -%}
    {{ regex_split_list('lower(' ~ fold_accents('coalesce(' ~ expr ~ ", '')") ~ ')', '[^\\pL\\pN_]+') }}
{%- endmacro %}

{#- Select-list items shared by posts and deleted posts: the post's sound split into title and
    artist, the original-sound flag and the sound's join key. An original sound is keyed with
    its user name (every user's "original sound" is another sound); any other by its title,
    the part a favourite sound's web link carries. -#}
{% macro post_sound_columns(sound_expr) -%}
        {{ post_sound_title(sound_expr) }} as sound_title,
        {{ post_sound_artist(sound_expr) }} as sound_artist,
        {{ is_original_sound(post_sound_title(sound_expr)) }} as is_original_sound,
        case
            when {{ is_original_sound(post_sound_title(sound_expr)) }}
                then {{ normalize_sound_title(export_text(sound_expr)) }}
            else {{ normalize_sound_title(post_sound_title(sound_expr)) }}
        end as sound_key
{%- endmacro %}
