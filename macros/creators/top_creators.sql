{#-
  Top-creator ranking files: headers drift month to month, so each file's columns are
  discovered at compile time and mapped to canonical names by ONE macro
  (`top_creators_canonical_column`); one staging model reads every file through
  `read_top_creator_rankings`.
-#}

{#- Canonical columns every ranking file is mapped onto (all text; parsed in staging). -#}
{% macro top_creators_canonical_columns() -%}
    {{ return([
        'rank', 'handle', 'display_name', 'country', 'profile_url', 'scraped',
        'followers', 'followers_numeric', 'views_avg', 'views_avg_numeric',
        'likes_avg', 'likes_avg_numeric', 'comments_avg', 'comments_avg_numeric',
        'shares_avg', 'shares_avg_numeric',
    ]) }}
{%- endmacro %}

{#-
  Header text -> canonical column name (or none for columns the warehouse does not use).
  Normalisation: lowercase, every non-alphanumeric removed ("\nFollowers", "Views (Avg.)",
  "views(avg)" -> "followers", "viewsavg"), then synonyms. `duplicate_of_seen` marks DuckDB's
  renamed duplicate header (`followers_1`): a re-upload's numeric copy of a K/M column.
-#}
{% macro top_creators_canonical_column(header, duplicate_of_seen=false) -%}
    {%- set key = modules.re.sub('[^a-z0-9]', '', header | lower) -%}
    {%- set synonyms = {
        'rank': ['rank', 'sno', 'rowcell', 'no', 'number', 'position'],
        'handle': ['account', 'tiktokername', 'username', 'handle', 'tiktokerhandle', 'accountid'],
        'display_name': ['tiktokname', 'title', 'name', 'displayname', 'nickname'],
        'country': ['country', 'countryregion', 'region'],
        'profile_url': ['link', 'url', 'profilelink', 'profileurl'],
        'scraped': ['scraped', 'scrapedat', 'scrapedate', 'timestamp', 'date'],
        'followers': ['subscriberscount', 'subscribers', 'followers', 'followerscount', 'fans'],
        'views_avg': ['viewsavg', 'avgviews', 'views', 'averageviews'],
        'likes_avg': ['likesavg', 'avglikes', 'likes', 'averagelikes'],
        'comments_avg': ['commentsavg', 'avgcomments', 'comments', 'averagecomments'],
        'shares_avg': ['sharesavg', 'avgshares', 'shares', 'averageshares'],
    } -%}
    {%- for canonical, keys in synonyms.items() -%}
        {%- if key in keys -%}
            {%- if duplicate_of_seen and canonical.endswith('_avg') or duplicate_of_seen and canonical == 'followers' -%}
                {{ return(canonical ~ '_numeric') }}
            {%- elif duplicate_of_seen -%}
                {{ return(none) }}
            {%- else -%}
                {{ return(canonical) }}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}

{#-
  {canonical: raw header} for one file's header list. A header `x_1` whose `x` is also present
  is DuckDB's rename of a repeated header (the numeric copy after a K/M column).
-#}
{% macro top_creators_column_mapping(headers) -%}
    {%- set mapping = {} -%}
    {%- for header in headers -%}
        {%- set m = modules.re.match('^(.*)_([0-9]+)$', header) -%}
        {%- set is_copy = m is not none and m.group(1) in headers -%}
        {%- set canonical = top_creators_canonical_column(m.group(1) if is_copy else header, is_copy) -%}
        {%- if canonical is not none and canonical not in mapping -%}
            {%- do mapping.update({canonical: header}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(mapping) }}
{%- endmacro %}

{#-
  The frame's header check for ranking files (source meta `header_check`): why a file's headers
  cannot be mapped (no follower column, or neither a handle nor a name column), else none.
-#}
{% macro top_creators_header_problem(headers) -%}
    {%- set mapping = top_creators_column_mapping(headers) -%}
    {%- if 'followers' not in mapping or ('handle' not in mapping and 'display_name' not in mapping) -%}
        {{ return("cannot find a follower and a creator-name column among its headers ("
            ~ headers | join(', ') ~ "); see macros/creators/top_creators.sql for the accepted names") }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#-
  Every readable ranking file of the source's raw kind (frame: readable_raw_files), each read on its own with all values as text,
  mapped to the canonical columns, with source_file and source_row (1-based data row).
  Registers the source() dependency like `raw_source`. No files: an empty typed relation.
-#}
{% macro read_top_creator_rankings(source_name, table_name) -%}
    {%- set _lineage = source(source_name, table_name) -%}
    {%- set columns = top_creators_canonical_columns() -%}
    {%- set typed = [] -%}
    {%- for c in columns %}{% do typed.append((c, 'varchar')) %}{% endfor -%}
    {%- do typed.append(('source_file', 'varchar')) -%}
    {%- do typed.append(('source_row', 'bigint')) -%}
    {%- if model.resource_type == 'unit_test' -%}
        {#- dbt unit tests: the fixture (format: sql) stands in for the files. -#}
        (select * from {{ _lineage }})
    {%- elif not execute -%}
        ({{ empty_typed_select(typed) }})
    {%- else -%}
        {%- set node = graph.sources.values()
            | selectattr('source_name', 'equalto', source_name)
            | selectattr('name', 'equalto', table_name) | first -%}
        {%- set files = readable_raw_files(node.meta.raw_kind, node.meta.get('patterns', ['*.csv', '*.CSV']), node.meta) -%}
        {%- if files | length == 0 -%}
            ({{ empty_typed_select(typed) }})
        {%- else -%}
            (
            {%- for f in files %}
                {%- set relation, headers = read_raw_csv_file(f) -%}
                {%- set mapping = top_creators_column_mapping(headers) %}
                {{ 'union all' if not loop.first }}
                select
                    {%- for c in columns %}
                    {% if c in mapping -%}
                    cast({{ adapter.quote(mapping[c]) }} as {{ dbt.type_string() }})
                    {%- else -%}
                    cast(null as {{ dbt.type_string() }})
                    {%- endif %} as {{ c }},
                    {%- endfor %}
                    '{{ f.source_file | replace("'", "''") }}' as source_file,
                    source_row
                from {{ relation }} as raw_file
            {%- endfor %}
            )
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
