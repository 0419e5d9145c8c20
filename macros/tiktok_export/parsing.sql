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

{#- Sound id out of a music link (https://www.tiktok.com/music/Original-Sound-7012345678901234567). -#}
{% macro sound_id_from_link(expr) -%}
    {{ try_cast(regex_extract(expr, '/music/[^/?#]*?-?([0-9]{6,20})/?(?:[?#].*)?$'), 'bigint') }}
{%- endmacro %}

{#- Sound title out of a music link: the slug before the id, hyphens as spaces. -#}
{% macro sound_title_from_link(expr) -%}
    nullif(trim(replace(
        {{ regex_extract(expr, '/music/([^/?#]*?)-?[0-9]{6,20}/?(?:[?#].*)?$') }}, '-', ' '
    )), '')
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
