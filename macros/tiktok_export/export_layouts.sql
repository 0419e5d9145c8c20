{#-
  The TikTok personal-export contract (docs: /work/shared/DATA_FORMATS.md section 1), in one
  place: how each layout is recognised, where each list lives per layout, which key casings are
  accepted, and which TXT file holds it. Everything that parses exports reads it from here.
-#}

{#- {layout: [section, sub, key]} from {layout: section}. -#}
{% macro tiktok_export_paths(sections, sub, key) -%}
    {%- set out = {} -%}
    {%- for layout, section in sections.items() -%}{%- do out.update({layout: [section, sub, key]}) -%}{%- endfor -%}
    {{ return(out) }}
{%- endmacro %}

{#- Layouts in detection order: the first whose any signature key is a top-level key wins. -#}
{% macro tiktok_export_layout_signatures() -%}
    {{ return([
        ('v3', ['Likes and Favorites', 'Profile And Settings', 'Income+ Wallet']),
        ('v2', ['Your Activity', 'Ads and data', 'Income Plus Wallet Transactions']),
        ('v1', ['Activity', 'Video', 'Direct Messages', 'TikTok Shopping']),
    ]) }}
{%- endmacro %}

{#-
  Canonical field -> accepted JSON key spellings (the first is canonical). Keys are rewritten
  to the canonical spelling in each list's JSON text before typed parsing, because a typed shape
  holding both casings fails on duckdb 2.0 and Spark.
-#}
{% macro tiktok_export_key_casings() -%}
    {{ return({
        'Date': ['Date', 'date'],
        'Link': ['Link', 'link', 'VideoLink'],
        'UserName': ['UserName', 'userName', 'Username', 'username'],
        'Comment': ['Comment', 'comment'],
        'Url': ['Url', 'url'],
        'OriginalPostUrl': ['OriginalPostUrl', 'originalPostUrl'],
    }) }}
{%- endmacro %}

{#-
  Every list: JSON path per layout (section, sub-section, list key), the fields read (all text),
  and the TXT file names (without .txt) that hold it. Fields not listed are never read: the
  sensitive lists (DMs, login history, Status List, shop) are absent by construction.
-#}
{% macro tiktok_export_lists() -%}
    {%- set activity = {'v1': 'Activity', 'v2': 'Your Activity', 'v3': 'Your Activity'} -%}
    {%- set favs = {'v1': 'Activity', 'v2': 'Your Activity', 'v3': 'Likes and Favorites'} -%}
    {{ return({
        'watch_history': {
            'paths': {
                'v1': ['Activity', 'Video Browsing History', 'VideoList'],
                'v2': ['Your Activity', 'Watch History', 'VideoList'],
                'v3': ['Your Activity', 'Watch History', 'VideoList'],
            },
            'fields': ['Date', 'Link', 'Title'],
            'txt_files': ['Video Browsing History', 'Watch History'],
        },
        'likes': {
            'paths': tiktok_export_paths(favs, 'Like List', 'ItemFavoriteList'),
            'fields': ['Date', 'Link'],
            'txt_files': ['Like List'],
        },
        'favorite_videos': {
            'paths': tiktok_export_paths(favs, 'Favorite Videos', 'FavoriteVideoList'),
            'fields': ['Date', 'Link'],
            'txt_files': ['Favorite Videos'],
        },
        'favorite_sounds': {
            'paths': tiktok_export_paths(favs, 'Favorite Sounds', 'FavoriteSoundList'),
            'fields': ['Date', 'Link'],
            'txt_files': ['Favorite Sounds'],
        },
        'favorite_hashtags': {
            'paths': tiktok_export_paths(favs, 'Favorite Hashtags', 'FavoriteHashtagList'),
            'fields': ['Date', 'Link'],
            'txt_files': ['Favorite Hashtags'],
        },
        'favorite_effects': {
            'paths': tiktok_export_paths(favs, 'Favorite Effects', 'FavoriteEffectsList'),
            'fields': ['Date', 'EffectLink'],
            'txt_files': ['Favorite Effects'],
        },
        'searches': {
            'paths': {
                'v1': ['Activity', 'Search History', 'SearchList'],
                'v2': ['Your Activity', 'Searches', 'SearchList'],
                'v3': ['Your Activity', 'Searches', 'SearchList'],
            },
            'fields': ['Date', 'SearchTerm'],
            'txt_files': ['Search History', 'Searches'],
        },
        'shares': {
            'paths': tiktok_export_paths(activity, 'Share History', 'ShareHistoryList'),
            'fields': ['Date', 'SharedContent', 'Link', 'Method'],
            'txt_files': ['Share History'],
        },
        'following': {
            'paths': {
                'v1': ['Activity', 'Following List', 'Following'],
                'v2': ['Your Activity', 'Following', 'Following'],
                'v3': ['Profile And Settings', 'Following', 'Following'],
            },
            'fields': ['Date', 'UserName'],
            'txt_files': ['Following List', 'Following'],
        },
        'followers': {
            'paths': {
                'v1': ['Activity', 'Follower List', 'FansList'],
                'v2': ['Your Activity', 'Follower', 'FansList'],
                'v3': ['Profile And Settings', 'Follower', 'FansList'],
            },
            'fields': ['Date', 'UserName'],
            'txt_files': ['Follower List', 'Follower', 'Followers'],
        },
        'hashtags_used': {
            'paths': tiktok_export_paths(activity, 'Hashtag', 'HashtagList'),
            'fields': ['HashtagName', 'HashtagLink'],
            'txt_files': ['Hashtag', 'Hashtags'],
        },
        'posts': {
            'paths': {
                'v1': ['Video', 'Videos', 'VideoList'],
                'v2': ['Post', 'Posts', 'VideoList'],
                'v3': ['Post', 'Posts', 'VideoList'],
            },
            'fields': [
                'Date', 'Link', 'Likes', 'WhoCanView', 'AllowComments', 'AllowStitches', 'AllowDuets',
                'AllowStickers', 'AllowSharingToStory', 'ContentDisclosure', 'AIGeneratedContent',
                'Sound', 'Location', 'Title', 'NumberOfCollections',
            ],
            'txt_files': ['Videos', 'Posts'],
        },
        'deleted_posts': {
            'paths': {
                'v1': ['Video', 'Recently Deleted Posts', 'PostList'],
                'v2': ['Post', 'Recently Deleted Posts', 'PostList'],
                'v3': ['Post', 'Recently Deleted Posts', 'PostList'],
            },
            'fields': ['Date', 'Link', 'Likes', 'Sound', 'Title'],
            'txt_files': ['Recently Deleted Posts', 'Deleted Posts'],
        },
        'comments': {
            'paths': tiktok_export_paths({'v1': 'Comment', 'v2': 'Comment', 'v3': 'Comment'}, 'Comments', 'CommentsList'),
            'fields': ['Date', 'Comment', 'Url', 'OriginalPostUrl'],
            'txt_files': ['Comments'],
        },
    }) }}
{%- endmacro %}

{#- ProfileMap paths, and the only profile fields ever read (no email, phone, birth date). -#}
{% macro tiktok_export_profile_spec() -%}
    {{ return({
        'paths': {
            'v1': ['Profile', 'Profile Information', 'ProfileMap'],
            'v2': ['Profile', 'Profile Info', 'ProfileMap'],
            'v3': ['Profile And Settings', 'Profile Info', 'ProfileMap'],
        },
        'fields': [
            'userName', 'displayName', 'bioDescription', 'likesReceived', 'followerCount',
            'followingCount', 'accountRegion',
        ],
        'txt_files': ['Profile Information', 'Profile Info'],
        'txt_labels': {
            'userName': ['Username', 'User Name'],
            'displayName': ['Display Name', 'Nickname'],
            'bioDescription': ['Bio Description', 'Bio'],
            'likesReceived': ['Likes Received'],
            'followerCount': ['Follower Count'],
            'followingCount': ['Following Count'],
            'accountRegion': ['Account Region', 'Region'],
        },
    }) }}
{%- endmacro %}

{#- Every field read from any list (the columns of the long item relation), in a stable order. -#}
{% macro tiktok_export_all_fields() -%}
    {%- set fields = [] -%}
    {%- for name, spec in tiktok_export_lists().items() -%}
        {%- for f in spec.fields -%}
            {%- if f not in fields -%}{%- do fields.append(f) -%}{%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(fields) }}
{%- endmacro %}

{#- TXT label spellings of a canonical field: 'WhoCanView' -> 'who\s*can\s*view' (regex). -#}
{% macro tiktok_export_txt_label_regex(field) -%}
    {%- set extra = {'Link': ['video\\s*link'], 'AIGeneratedContent': ['ai\\s*generated\\s*content']} -%}
    {%- set ns = namespace(out='') -%}
    {%- for ch in field -%}
        {%- if loop.index0 > 0 and ch.isupper() and field[loop.index0 - 1].islower() -%}
            {%- set ns.out = ns.out ~ '\\s*' -%}
        {%- endif -%}
        {%- set ns.out = ns.out ~ ch | lower -%}
    {%- endfor -%}
    {{ return(([ns.out] + extra.get(field, [])) | join('|')) }}
{%- endmacro %}

{#-
  SQL expression: the layout of an export document (v1/v2/v3), or a build-stopping error that
  names the file and the top-level keys found. Invalid JSON also stops the build, naming the file.
  `is_valid` is a boolean expression, `top_keys` the list of top-level keys.
-#}
{% macro tiktok_export_detect_layout(is_valid, top_keys, source_file) -%}
    case
        when not {{ is_valid }}
            then {{ raise_error("'export file ' || " ~ source_file ~ " || ': not valid JSON (truncated or not a TikTok export)'") }}
        {%- for layout, keys in tiktok_export_layout_signatures() %}
        when
            {%- for k in keys %}
            {{ 'or ' if not loop.first }}{{ list_has(top_keys, "'" ~ k ~ "'") }}
            {%- endfor %}
            then '{{ layout }}'
        {%- endfor %}
        else {{ raise_error(
            "'export file ' || " ~ source_file ~ " || ': unknown TikTok export layout; top-level keys found: ' || "
            ~ "coalesce(" ~ list_to_text(top_keys) ~ ", '(none)')"
        ) }}
    end
{%- endmacro %}

{#-
  The frame's content check for export JSON files (source meta `content_check`): a SQL
  expression giving why the document `text` is no TikTok export (null when it is one), so the
  file is reported (or skipped, var skip_unreadable_files) before anything parses it.
-#}
{#- Every key of every layout signature, as SQL string literals. -#}
{% macro tiktok_export_signature_keys() -%}
    {%- set keys = [] -%}
    {%- for layout, signature in tiktok_export_layout_signatures() -%}
        {%- for k in signature %}{% do keys.append("'" ~ k ~ "'") %}{% endfor -%}
    {%- endfor -%}
    {{ return(keys) }}
{%- endmacro %}

{% macro tiktok_export_document_problem(text) -%}
    {{ return(adapter.dispatch('tiktok_export_document_problem', 'tiktok_warehouse')(text)) }}
{%- endmacro %}

{% macro default__tiktok_export_document_problem(text) -%}
    {%- set keys = tiktok_export_signature_keys() -%}
    case
        when not {{ json_is_valid(text) }}
            then 'not valid JSON (truncated or not a TikTok export)'
        when json_type({{ text }}) <> 'OBJECT'
            then 'the JSON document is '
            || case json_type({{ text }}) when 'ARRAY' then 'an array' when 'VARCHAR' then 'a string' else 'a scalar' end
            || ', not an object (not a TikTok export)'
        when not list_has_any({{ json_top_keys(text) }}, [{{ keys | join(', ') }}])
            then 'unknown TikTok export layout; top-level keys found: '
            || coalesce(nullif({{ list_to_text(json_top_keys(text)) }}, ''), '(none)')
    end
{%- endmacro %}

{#-
  Every JSON path the parser reads (each list per layout, and the profile), in a fixed order:
  extracted from a document in one call, so each file is parsed once.
-#}
{% macro tiktok_export_json_paths() -%}
    {%- set paths = [] -%}
    {%- for name, spec in tiktok_export_lists().items() -%}
        {%- for layout, path in spec.paths.items() -%}
            {%- do paths.append(path) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for layout, path in tiktok_export_profile_spec().paths.items() -%}
        {%- do paths.append(path) -%}
    {%- endfor -%}
    {{ return(paths) }}
{%- endmacro %}

{#- SQL expression: the JSON text at `path` out of the list `texts_column` (tiktok_export_json_paths order). -#}
{% macro tiktok_export_section_text(texts_column, path) -%}
    {{ list_element(texts_column, tiktok_export_json_paths().index(path) + 1) }}
{%- endmacro %}

{#- SQL expression: the JSON text of one list of an export, picked by its layout column. -#}
{% macro tiktok_export_list_text(paths, texts_column, layout_column) -%}
    case {{ layout_column }}
        {%- for layout, path in paths.items() %}
        when '{{ layout }}' then {{ tiktok_export_section_text(texts_column, path) }}
        {%- endfor %}
    end
{%- endmacro %}

{#- SQL expression: a list's JSON text with its keys rewritten to the canonical casing. -#}
{% macro tiktok_export_canonical_keys(list_name, json_text) -%}
    {%- set casings = tiktok_export_key_casings() -%}
    {%- set ns = namespace(expr=json_text) -%}
    {%- for f in tiktok_export_lists()[list_name].fields -%}
        {%- if f in casings -%}
            {%- set ns.expr = regex_replace_all(ns.expr, '"(' ~ casings[f] | join('|') ~ ')":', '"' ~ f ~ '":') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ ns.expr }}
{%- endmacro %}

{#- The typed shape of a list's items: '[{"Date":"VARCHAR",...}]'. -#}
{% macro tiktok_export_list_shape(list_name) -%}
    {%- set parts = [] -%}
    {%- for f in tiktok_export_lists()[list_name].fields -%}
        {%- do parts.append('"' ~ f ~ '":"VARCHAR"') -%}
    {%- endfor -%}
    {{- '[{' ~ parts | join(',') ~ '}]' -}}
{%- endmacro %}

{#- The typed shape of the ProfileMap fields read. -#}
{% macro tiktok_export_profile_shape() -%}
    {%- set parts = [] -%}
    {%- for f in tiktok_export_profile_spec().fields -%}
        {%- do parts.append('"' ~ f ~ '":"VARCHAR"') -%}
    {%- endfor -%}
    {{- '{' ~ parts | join(',') ~ '}' -}}
{%- endmacro %}

{#- list_name of a TXT file from its file name (case-insensitive), null for a file not read. -#}
{% macro tiktok_export_txt_list_name(source_file) -%}
    case lower({{ regex_extract(source_file, '([^/]+)\\.[tT][xX][tT]$') }})
        {%- for name, spec in tiktok_export_lists().items() %}
        {%- for f in spec.txt_files %}
        when '{{ f | lower }}' then '{{ name }}'
        {%- endfor %}
        {%- endfor %}
        {%- for f in tiktok_export_profile_spec().txt_files %}
        when '{{ f | lower }}' then 'profile'
        {%- endfor %}
    end
{%- endmacro %}

{#- SQL expression: the value of a `Label: value` line of a TXT block, for a canonical field. -#}
{% macro tiktok_export_txt_field(block, field, labels=none) -%}
    {%- set label_regex = (labels | map('lower') | join('|') | replace(' ', '\\s*')) if labels else tiktok_export_txt_label_regex(field) -%}
    {{ regex_extract(block, '(?mi)^[ \\t]*(?:' ~ label_regex ~ ')[ \\t]*:[ \\t]*([^\\r\\n]*)') }}
{%- endmacro %}

{#- Column name of a canonical field in the staged item relation. -#}
{% macro tiktok_export_column(field) -%}
    {%- set special = {
        'Date': 'date_text', 'Link': 'link', 'Comment': 'comment_text', 'Url': 'url',
        'AIGeneratedContent': 'ai_generated_content', 'UserName': 'user_name_key',
        'Likes': 'likes_text', 'NumberOfCollections': 'collections_text',
    } -%}
    {%- if field in special -%}{{ return(special[field]) }}{%- endif -%}
    {%- set ns = namespace(out='') -%}
    {%- for ch in field -%}
        {%- if loop.index0 > 0 and ch.isupper() -%}{%- set ns.out = ns.out ~ '_' -%}{%- endif -%}
        {%- set ns.out = ns.out ~ ch | lower -%}
    {%- endfor -%}
    {{ return(ns.out) }}
{%- endmacro %}

{% macro spark__tiktok_export_document_problem(text) -%}
    {%- set keys = tiktok_export_signature_keys() -%}
    case
        when not {{ json_is_valid(text) }}
            then 'not valid JSON (truncated or not a TikTok export)'
        when schema_of_variant(try_parse_json({{ text }})) not like 'OBJECT%'
            then 'the JSON document is '
            || case
                when schema_of_variant(try_parse_json({{ text }})) like 'ARRAY%' then 'an array'
                when schema_of_variant(try_parse_json({{ text }})) = 'STRING' then 'a string'
                else 'a scalar'
            end
            || ', not an object (not a TikTok export)'
        when not arrays_overlap({{ json_top_keys(text) }}, array({{ keys | join(', ') }}))
            then 'unknown TikTok export layout; top-level keys found: '
            || coalesce(nullif({{ list_to_text(json_top_keys(text)) }}, ''), '(none)')
    end
{%- endmacro %}
