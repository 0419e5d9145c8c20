{#-
  Sound match keys: how a post's `Sound` (`<title> - <artist>`), a video-metadata sound title and
  a favourite sound's link title are compared. Never the exact string: the same sound is written
  `Flowers - Miley Cyrus`, `FLOWERS (feat. X) - Miley Cyrus ft. Y`, `Flôwers - miley cyrus`, and
  the app's "original sound" in the user's language (var original_sound_titles).
  Built on the dispatched regex and accent macros: the same keys on DuckDB and Spark.
-#}

{#- Lowercase, accents folded, a `feat.` / `ft.` / `featuring` part dropped (in brackets
    anywhere, or unbracketed to the end), every run of non-alphanumerics one space. -#}
{% macro _sound_text_key(expr) -%}
    {%- set folded = 'lower(' ~ fold_accents(expr) ~ ')' -%}
    {%- set no_bracketed = regex_replace_all(folded, '[\\(\\[]\\s*(feat|ft|featuring)\\b[^\\)\\]]*[\\)\\]]', ' ') -%}
    {%- set no_feat = regex_replace_all(no_bracketed, '\\s(feat\\.?|ft\\.|featuring)\\s.*$', ' ') -%}
    nullif(trim({{ regex_replace_all(no_feat, '[^\\pL\\pN]+', ' ') }}), '')
{%- endmacro %}

{#- A sound title's match key (the part before ` - `): `_sound_text_key`, with every form of the
    app's "original sound" (var original_sound_titles) as `original sound`. -#}
{% macro sound_title_key(title_expr) -%}
    {%- set forms = [] -%}
    {%- for t in var('original_sound_titles') -%}
        {%- do forms.append(_sound_text_key("'" ~ (t | replace("'", "''")) ~ "'")) -%}
    {%- endfor -%}
    case
        when {{ _sound_text_key(title_expr) }} in ({{ forms | join(', ') }}) then 'original sound'
        else {{ _sound_text_key(title_expr) }}
    end
{%- endmacro %}

{#- A sound artist's match key (the part after the last ` - `; for an original sound, the user
    name): `_sound_text_key` (so `Artist feat. Other` is `artist`). -#}
{% macro sound_artist_key(artist_expr) -%}
    {{ _sound_text_key(artist_expr) }}
{%- endmacro %}

{#-
  The pairs (post, sound) that are the same sound, as a union of equi-joins (an OR in one join
  condition would compare every post with every sound of the account):
    1. by sound id: the id of the post's matched public video's sound;
    2. by title and artist keys;
    3. by title key alone where either artist is unknown (a link's title, a metadata row
       without ` - `), except an original sound: every user's original sound is another sound.
  `posts` has post_event_id, account_id, title_key, artist_key, matched_sound_id; `sounds` has
  account_id, sound_id, title_key, artist_key and the columns named by key_column and
  at_column. Gives post_event_id, sound_key (the key column), sound_at (the time column) and
  match_method (sound_id / title).
-#}
{% macro sound_matches(posts, sounds, key_column, at_column) -%}
    {%- set ways = [
        ('sound_id', posts ~ '.matched_sound_id = ' ~ sounds ~ '.sound_id', 'true'),
        ('title', posts ~ '.title_key = ' ~ sounds ~ '.title_key and ' ~ posts ~ '.artist_key = ' ~ sounds ~ '.artist_key', 'true'),
        ('title', posts ~ '.title_key = ' ~ sounds ~ '.title_key',
            posts ~ ".title_key <> 'original sound' and (" ~ posts ~ '.artist_key is null or ' ~ sounds ~ '.artist_key is null)'),
    ] -%}
    {%- for method, condition, filter in ways %}
    {{ 'union all' if not loop.first }}
    select
        {{ posts }}.post_event_id,
        {{ sounds }}.{{ key_column }} as sound_key,
        {{ sounds }}.{{ at_column }} as sound_at,
        '{{ method }}' as match_method
    from {{ posts }}
    inner join {{ sounds }}
        on {{ posts }}.account_id = {{ sounds }}.account_id and {{ condition }}
    where {{ filter }}
    {%- endfor %}
{%- endmacro %}
