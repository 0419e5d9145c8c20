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
  read_raw_csv(kind, patterns, empty_columns, options, checks): every readable CSV file of a kind
  (see readable_raw_files; `checks` is the source's meta) read on its own
  (header drift between files must never shift columns), all values as text, with
  `source_file` and `source_row` (1-based data-row position in its file). Files are combined
  by column name; a column missing from one file is null there.
  `empty_columns` types the relation when no file exists.
-#}
{% macro read_raw_csv(kind, patterns=['*.csv', '*.CSV'], empty_columns={}, options={}, checks={}) -%}
    {{ return(adapter.dispatch('read_raw_csv', 'tiktok_warehouse')(kind, patterns, empty_columns, options, checks)) }}
{%- endmacro %}

{% macro default__read_raw_csv(kind, patterns, empty_columns, options, checks) -%}
    {%- set file_checks = {'format': 'csv', 'csv_options': options} -%}
    {%- do file_checks.update(checks) -%}
    {%- set files = readable_raw_files(kind, patterns, file_checks) -%}
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
  read_raw_text(kind, patterns, checks): one row per readable file (see readable_raw_files) with
  `source_file`, `content` (the whole text, without a UTF-8 byte-order mark) and `file_size`. Use only inside a model that extracts what it needs: never select `content`
  into a persisted relation (an export's full text holds direct messages).
-#}
{% macro read_raw_text(kind, patterns, checks={}) -%}
    {{ return(adapter.dispatch('read_raw_text', 'tiktok_warehouse')(kind, patterns, checks)) }}
{%- endmacro %}

{% macro default__read_raw_text(kind, patterns, checks) -%}
    {%- set files = readable_raw_files(kind, patterns, checks) -%}
    {%- if files | length == 0 -%}
        ({{ empty_typed_select([('source_file', 'varchar'), ('content', 'varchar'), ('file_size', 'bigint'), ('file_modified_at', 'timestamp')]) }})
    {%- else -%}
        (
        {%- for f in files %}
            {{ 'union all' if not loop.first }}
            select
                '{{ f.source_file | replace("'", "''") }}' as source_file,
                {#- a UTF-8 byte-order mark is not part of the document (JSON parsers reject it) #}
                regexp_replace(content, '^\x{FEFF}', '') as content,
                size as file_size,
                cast(last_modified as timestamp) as file_modified_at
            from read_text('{{ f.path | replace("'", "''") }}')
        {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}

{#-
  raw_file_metadata(kind, patterns): one row per file with `source_file`, `file_size` and
  `file_modified_at`, without reading or checking the contents (for models that already read
  the files through raw_source and only need when each was written). Empty in dbt unit tests.
-#}
{% macro raw_file_metadata(kind, patterns) -%}
    {{ return(adapter.dispatch('raw_file_metadata', 'tiktok_warehouse')(kind, patterns)) }}
{%- endmacro %}

{% macro default__raw_file_metadata(kind, patterns) -%}
    {%- set files = [] if model.resource_type == 'unit_test' else list_raw_files(kind, patterns) -%}
    {%- if files | length == 0 -%}
        ({{ empty_typed_select([('source_file', 'varchar'), ('file_size', 'bigint'), ('file_modified_at', 'timestamp')]) }})
    {%- else -%}
        (
        {%- for f in files %}
            {{ 'union all' if not loop.first }}
            select
                '{{ f.source_file | replace("'", "''") }}' as source_file,
                size as file_size,
                cast(last_modified as timestamp) as file_modified_at
            from read_blob('{{ f.path | replace("'", "''") }}')
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
    meta.required_columns / header_check / content_check / empty_file_ok: what makes a file
                    unreadable (see readable_raw_files)
  With no files it returns an empty relation typed by the source's declared columns.
  Inside a dbt unit test the source's fixture (format: sql) stands in for the files, so
  parsing logic is testable without any raw file.
-#}
{% macro raw_source(source_name, table_name, only_source_files=none) -%}
    {%- set _lineage = source(source_name, table_name) -%}
    {%- if model.resource_type == 'unit_test'
        or (_lineage.identifier is string and _lineage.identifier.startswith('__dbt__cte__')) -%}
        (select * from {{ _lineage }})
    {%- elif not execute -%}
        (select 1 as placeholder)
    {%- else -%}
        {%- set node = graph.sources.values()
            | selectattr('source_name', 'equalto', source_name)
            | selectattr('name', 'equalto', table_name) | first -%}
        {%- set meta = {} -%}
        {%- do meta.update(node.meta) -%}
        {%- if only_source_files is not none -%}
            {%- do meta.update({'only_source_files': only_source_files}) -%}
        {%- endif -%}
        {%- set columns = [] -%}
        {%- for name, col in node.columns.items() -%}
            {%- if name not in ('source_file', 'source_row') -%}
                {%- do columns.append((name, col.data_type or 'varchar')) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if meta.get('format', 'csv') == 'text' -%}
            {{ read_raw_text(meta.raw_kind, meta.get('patterns', ['*.json']), meta) }}
        {%- else -%}
            {{ read_raw_csv(meta.raw_kind, meta.get('patterns', ['*.csv', '*.CSV']), columns, meta.get('csv_options', {}), meta) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#-
  try_cast(expression, type): the value cast to `type`, or null when it does not convert.
  (dbt.safe_cast is a plain, failing cast on dbt-duckdb.)
-#}
{% macro try_cast(expression, type) -%}
    {{ return(adapter.dispatch('try_cast', 'tiktok_warehouse')(expression, type)) }}
{%- endmacro %}

{% macro default__try_cast(expression, type) -%}
    try_cast({{ expression }} as {{ type }})
{%- endmacro %}

{#-
  Unreadable raw files: ONE mechanism for every raw kind. A file that cannot be read at all
  stops the build with one line naming the file and the problem; with the dbt var
  `skip_unreadable_files` it is skipped instead, warned about, and listed in
  audit.skipped_raw_files (which calls raw_file_problems with the same checks). What makes a
  file unreadable comes from the source's meta (`checks`):
    always                  0 bytes (unless empty_file_ok), UTF-16, not UTF-8, NUL bytes
    format: csv             required_columns: each a column name or a list of alternatives
                            (matched case-insensitively); header_check: name of a domain
                            macro (headers) -> reason or none; csv_options as for read_csv
    content_check           name of a domain macro (text expression) -> SQL expression
                            giving a reason or null (e.g. the export layout detection)
  Domain macros are looked up by name in dbt's `context` (adapter.dispatch needs a literal).
-#}
{% macro skip_unreadable_files() -%}
    {{ return(var('skip_unreadable_files', false) in (true, 'true', 'True', 'TRUE', 1, '1', 'yes')) }}
{%- endmacro %}

{#- The one line a user reads when a file stops the build. -#}
{% macro raw_file_error_message(problem) -%}
    {{ return("raw file " ~ problem.source_file ~ " cannot be read: " ~ problem.reason
        ~ ". Fix or remove the file, or build with --vars '{skip_unreadable_files: true}' to skip it.") }}
{%- endmacro %}

{#- list_raw_files without the unreadable ones: raises naming them all, or skips them (var).
    Inside a dbt unit test no raw file is read (the fixtures stand in): []. -#}
{% macro readable_raw_files(kind, patterns, checks={}) -%}
    {%- if model.resource_type == 'unit_test' -%}{{ return([]) }}{%- endif -%}
    {%- set files = list_raw_files(kind, patterns) -%}
    {%- if checks.get('only_source_files') is not none -%}
        {#- an incremental model reads (and checks) only the files it has not loaded -#}
        {%- set files = files | selectattr('source_file', 'in', checks.only_source_files) | list -%}
    {%- endif -%}
    {%- set problems = raw_file_problems(files, checks) -%}
    {%- set bad = problems | map(attribute='source_file') | list -%}
    {%- if problems and not skip_unreadable_files() -%}
        {#- every unreadable file of the kind (all its sources), one line each: fix them all in one go -#}
        {%- set lines = [] -%}
        {%- set others = raw_kind_problems(kind) | rejectattr('source_file', 'in', bad) | list -%}
        {%- for p in (problems + others) | sort(attribute='source_file') -%}
            {%- do lines.append(raw_file_error_message(p)) -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(lines | join('\n')) }}
    {%- endif -%}
    {%- for p in problems -%}
        {%- do exceptions.warn("skipping unreadable raw file " ~ p.source_file ~ ": " ~ p.reason
            ~ " (listed in audit.skipped_raw_files)") -%}
    {%- endfor -%}
    {{ return(files | rejectattr('source_file', 'in', bad) | list) }}
{%- endmacro %}

{#- [{raw_kind, path, source_file, reason}] for every unreadable file of every raw source (of
    one raw kind, or of all when kind is none), each source with its own checks (meta). -#}
{% macro raw_kind_problems(kind=none) -%}
    {%- set problems = [] -%}
    {%- set seen = [] -%}
    {%- for node in graph.sources.values() if node.meta.get('raw_kind') and node.meta.raw_kind == (kind or node.meta.raw_kind) -%}
        {%- set files = list_raw_files(node.meta.raw_kind, node.meta.get('patterns', ['*.csv', '*.CSV'])) -%}
        {%- for p in raw_file_problems(files, node.meta) if p.source_file not in seen -%}
            {%- do seen.append(p.source_file) -%}
            {%- do p.update({'raw_kind': node.meta.raw_kind}) -%}
            {%- do problems.append(p) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(problems | sort(attribute='source_file')) }}
{%- endmacro %}

{#- [{path, source_file, reason}] for the files (from list_raw_files) that cannot be read. -#}
{% macro raw_file_problems(files, checks={}) -%}
    {{ return(adapter.dispatch('raw_file_problems', 'tiktok_warehouse')(files, checks)) }}
{%- endmacro %}

{% macro default__raw_file_problems(files, checks) -%}
    {%- if not execute or files | length == 0 -%}{{ return([]) }}{%- endif -%}
    {%- set text = "regexp_replace(decode(content), '^\\x{FEFF}', '')" -%}
    {%- set paths = [] -%}
    {%- for f in files %}{% do paths.append("'" ~ (f.path | replace("'", "''")) ~ "'") %}{% endfor -%}
    {%- set query -%}
        select
            replace(filename, '\', '/') as path,
            case
                when size = 0
                    then {{ 'null' if checks.get('empty_file_ok') else "'the file is empty (0 bytes)'" }}
                when content[1:2] in ('\xFF\xFE'::blob, '\xFE\xFF'::blob)
                    then 'UTF-16 text: re-save it as UTF-8'
                when try(decode(content)) is null
                    then 'not UTF-8 text (binary, or another encoding such as Latin-1): re-save it as UTF-8'
                when strpos(decode(content), chr(0)) > 0
                    then 'holds NUL bytes (UTF-16 without a byte-order mark, or a binary file): re-save it as UTF-8'
                {%- if checks.get('content_check') %}
                else {{ context[checks.content_check](text) }}
                {%- endif %}
            end as reason
        from read_blob([{{ paths | join(', ') }}])
    {%- endset -%}
    {%- set reasons = {} -%}
    {%- for row in run_query(query).rows -%}
        {%- do reasons.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {%- set problems = [] -%}
    {%- for f in files -%}
        {%- set reason = reasons.get(f.path) -%}
        {%- if reason is none and checks.get('format', 'csv') == 'csv'
            and (checks.get('required_columns') or checks.get('header_check')) -%}
            {%- set reason = raw_csv_header_problem(f, checks) -%}
        {%- endif -%}
        {%- if reason is not none -%}
            {%- do problems.append({'path': f.path, 'source_file': f.source_file, 'reason': reason}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(problems) }}
{%- endmacro %}

{#- The reason a readable CSV's header does not fit its kind, or none. -#}
{% macro raw_csv_header_problem(f, checks) -%}
    {%- set opts = {'header': 'true', 'all_varchar': 'true', 'auto_detect': 'true'} -%}
    {%- do opts.update(checks.get('csv_options', {})) -%}
    {%- set reader -%}
        read_csv('{{ f.path | replace("'", "''") }}'{% for k, v in opts.items() %}, {{ k }} = {{ v }}{% endfor %})
    {%- endset -%}
    {%- set headers = run_query('describe select * from ' ~ reader).columns[0].values() | list -%}
    {%- set found = headers | map('lower') | list -%}
    {%- set missing = [] -%}
    {%- for required in checks.get('required_columns', []) -%}
        {%- set options = [required] if required is string else required -%}
        {%- if options | map('lower') | select('in', found) | list | length == 0 -%}
            {%- do missing.append(options | join(' or ')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ return("header lacks " ~ (missing | join(', ')) ~ " (found: " ~ (headers | join(', ')) ~ ")") }}
    {%- endif -%}
    {%- if checks.get('header_check') -%}
        {{ return(context[checks.header_check](headers)) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}
