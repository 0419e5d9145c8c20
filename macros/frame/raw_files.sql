{#-
  Reading the raw folder (TIKTOK_RAW_DIR). All raw access goes through these macros so that
  (1) a missing or empty folder yields an empty, correctly typed relation instead of DuckDB's
  "No files found", (2) every row carries `source_file` relative to the raw folder, never an
  absolute path, and (3) engine-specific readers sit behind adapter.dispatch.
-#}

{#- Absolute-or-relative raw root as configured, without a trailing slash. -#}
{% macro raw_root() -%}
    {{- (var('raw_dir') | replace('\\', '/')).rstrip('/') -}}
{%- endmacro %}

{#- Folder where the build unpacks ZIP exports (never inside the user's raw folder). -#}
{% macro unpacked_root() -%}
    {{- (var('build_dir') | replace('\\', '/')).rstrip('/') ~ '/unpacked' -}}
{%- endmacro %}

{#-
  list_raw_files(kind, patterns): sorted list of {path, source_file} for files under
  <raw_dir>/<kind>/ matching any of the glob patterns (searched recursively), plus files the
  build unpacked from ZIPs of that kind. Runs at compile time; returns [] while parsing.
-#}
{% macro list_raw_files(kind, patterns) -%}
    {{ return(adapter.dispatch('list_raw_files', 'tiktok_warehouse')(kind, patterns)) }}
{%- endmacro %}

{% macro default__list_raw_files(kind, patterns) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set roots = [(raw_root(), raw_root() ~ '/' ~ kind), (unpacked_root(), unpacked_root() ~ '/' ~ kind)] -%}
    {%- set selects = [] -%}
    {%- for base, folder in roots -%}
        {%- for pattern in patterns -%}
            {%- do selects.append(
                "select file, '" ~ base ~ "' as base from glob('" ~ folder ~ "/**/" ~ pattern ~ "')"
            ) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set result = run_query(selects | join(' union ') ~ ' order by file') -%}
    {%- set files = [] -%}
    {%- for row in result.rows -%}
        {%- set path = row[0] | replace('\\', '/') -%}
        {%- set rel = path[(row[1] | length) + 1:] if path.startswith(row[1] ~ '/') else path -%}
        {#- ZIPs unpack to <build>/unpacked/<kind>/<zip path>/<member>, so `rel` reads
            "<kind>/<zip path>/<member>": still relative to the raw folder. -#}
        {%- do files.append({'path': path, 'source_file': rel}) -%}
    {%- endfor -%}
    {{ return(files) }}
{%- endmacro %}

{#- A typed empty select: `columns` is a list of (name, type) pairs or a {name: type} dict. -#}
{% macro empty_typed_select(columns) -%}
    {%- set pairs = columns.items() if columns is mapping else columns -%}
    select
    {%- for name, type in pairs %}
        cast(null as {{ type }}) as {{ adapter.quote(name) }}{{ ',' if not loop.last }}
    {%- endfor %}
    where 1 = 0
{%- endmacro %}

{#-
  read_raw_csv(kind, patterns, empty_columns, options): every CSV file of a kind read on its own
  (header drift between files must never shift columns), all values as text, with
  `source_file` and `source_row` (1-based data-row position in its file). Files are combined
  by column name; a column missing from one file is null there.
  `empty_columns` types the relation when no file exists.
-#}
{% macro read_raw_csv(kind, patterns=['*.csv', '*.CSV'], empty_columns={}, options={}) -%}
    {{ return(adapter.dispatch('read_raw_csv', 'tiktok_warehouse')(kind, patterns, empty_columns, options)) }}
{%- endmacro %}

{% macro default__read_raw_csv(kind, patterns, empty_columns, options) -%}
    {%- set files = list_raw_files(kind, patterns) -%}
    {%- set base_columns = {'source_file': 'varchar', 'source_row': 'bigint'} -%}
    {%- if files | length == 0 -%}
        {%- set cols = [] -%}
        {%- for name, type in (empty_columns.items() if empty_columns is mapping else empty_columns) -%}
            {%- do cols.append((name, type)) -%}
        {%- endfor -%}
        {%- do cols.append(('source_file', 'varchar')) -%}
        {%- do cols.append(('source_row', 'bigint')) -%}
        ({{ empty_typed_select(cols) }})
    {%- else -%}
        {%- set opts = {'header': 'true', 'all_varchar': 'true', 'auto_detect': 'true'} -%}
        {%- do opts.update(options) -%}
        {%- set unioned -%}
        {%- for f in files %}
            {{ 'union all by name' if not loop.first }}
            select
                *,
                '{{ f.source_file | replace("'", "''") }}' as source_file,
                row_number() over () as source_row
            from read_csv(
                '{{ f.path | replace("'", "''") }}'
                {%- for k, v in opts.items() %}, {{ k }} = {{ v }}{% endfor %}
            )
        {%- endfor %}
        {%- endset -%}
        {#- Files may hold any subset of the declared columns: add the absent ones as nulls. -#}
        {%- set present = run_query('describe ' ~ unioned).columns[0].values() | map('lower') | list -%}
        (
            select
                *
                {%- for name, type in (empty_columns.items() if empty_columns is mapping else empty_columns) %}
                {%- if name | lower not in present %},
                cast(null as varchar) as {{ adapter.quote(name) }}
                {%- endif %}
                {%- endfor %}
            from ({{ unioned }})
        )
    {%- endif -%}
{%- endmacro %}

{#-
  read_raw_text(kind, patterns): one row per file with `source_file`, `content` (the whole text)
  and `file_size`. Use only inside a model that extracts what it needs: never select `content`
  into a persisted relation (an export's full text holds direct messages).
-#}
{% macro read_raw_text(kind, patterns) -%}
    {{ return(adapter.dispatch('read_raw_text', 'tiktok_warehouse')(kind, patterns)) }}
{%- endmacro %}

{% macro default__read_raw_text(kind, patterns) -%}
    {%- set files = list_raw_files(kind, patterns) -%}
    {%- if files | length == 0 -%}
        ({{ empty_typed_select([('source_file', 'varchar'), ('content', 'varchar'), ('file_size', 'bigint'), ('file_modified_at', 'timestamp')]) }})
    {%- else -%}
        (
        {%- for f in files %}
            {{ 'union all' if not loop.first }}
            select
                '{{ f.source_file | replace("'", "''") }}' as source_file,
                content,
                size as file_size,
                cast(last_modified as timestamp) as file_modified_at
            from read_text('{{ f.path | replace("'", "''") }}')
        {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}

{#-
  raw_source(source_name, table_name): the one way a staging model reads a raw source.
  Calls source() (lineage in dbt docs), then reads the files the source's meta describes:
    meta.raw_kind   sub-folder of the raw dir (export, claims, top_creators, profiles, video_metadata)
    meta.patterns   file globs searched recursively (default ['*.csv'])
    meta.format     csv | text
    meta.csv_options extra read_csv options (DuckDB)
  With no files it returns an empty relation typed by the source's declared columns.
-#}
{% macro raw_source(source_name, table_name) -%}
    {%- set _lineage = source(source_name, table_name) -%}
    {%- if not execute -%}
        (select 1 as placeholder)
    {%- else -%}
        {%- set node = graph.sources.values()
            | selectattr('source_name', 'equalto', source_name)
            | selectattr('name', 'equalto', table_name) | first -%}
        {%- set meta = node.meta -%}
        {%- set columns = [] -%}
        {%- for name, col in node.columns.items() -%}
            {%- if name not in ('source_file', 'source_row') -%}
                {%- do columns.append((name, col.data_type or 'varchar')) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if meta.get('format', 'csv') == 'text' -%}
            {{ read_raw_text(meta.raw_kind, meta.get('patterns', ['*.json'])) }}
        {%- else -%}
            {{ read_raw_csv(meta.raw_kind, meta.get('patterns', ['*.csv', '*.CSV']), columns, meta.get('csv_options', {})) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
