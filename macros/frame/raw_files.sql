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

{#- The build dir as configured (var build_dir, env TIKTOK_BUILD_DIR), without a trailing slash. -#}
{% macro build_root() -%}
    {{- (var('build_dir') | replace('\\', '/')).rstrip('/') -}}
{%- endmacro %}

{#- Folder where the build unpacks ZIP exports (never inside the user's raw folder). -#}
{% macro unpacked_root() -%}
    {{- build_root() ~ '/unpacked' -}}
{%- endmacro %}

{#- True when `relation` (a source() or ref()) is a dbt unit test's fixture: the caller then
    selects the fixture instead of reading files. -#}
{% macro is_unit_test_fixture(relation) -%}
    {{- return(model.resource_type == 'unit_test'
        or (relation.identifier is string and relation.identifier.startswith('__dbt__cte__'))) -}}
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
        cast(null as {{ 'string' if target.type == 'spark' and type | lower in ('varchar', 'text') else type }}) as {{ adapter.quote(name) }}{{ ',' if not loop.last }}
    {%- endfor %}
    where 1 = 0
{%- endmacro %}

{#-
  union_all(selects): the selects combined with union all, nested in groups of at most 100: a
  flat chain of one select per raw file exceeds the engines' expression depth (DuckDB stops at
  1,000) for folders with many files.
-#}
{% macro union_all(selects, group_size=100) -%}
    {%- if selects | length <= group_size -%}
        {{ return(selects | join('\n            union all\n')) }}
    {%- endif -%}
    {%- set groups = [] -%}
    {%- for batch in selects | batch(group_size) -%}
        {%- do groups.append('select * from (' ~ (batch | join('\n            union all\n')) ~ ') as union_group_' ~ loop.index) -%}
    {%- endfor -%}
    {{ return(union_all(groups, group_size)) }}
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
    {%- set file_checks = {'format': 'csv', 'csv_options': options} -%}
    {%- do file_checks.update(checks) -%}
    {%- set files = readable_raw_files(kind, patterns, file_checks) -%}
    {%- set declared = (empty_columns.items() if empty_columns is mapping else empty_columns) | list -%}
    {%- if files | length == 0 -%}
        {%- set cols = declared + [('source_file', 'varchar'), ('source_row', 'bigint')] -%}
        ({{ empty_typed_select(cols) }})
    {%- else -%}
        {#- by name: every column of any file (first-seen order), then the declared ones no file
            has; null where a file lacks a column -#}
        {%- set read = [] -%}
        {%- set all_columns = [] -%}
        {%- for f in files -%}
            {%- set relation, headers = read_raw_csv_file(f, options) -%}
            {%- do read.append((f, relation, headers | map('lower') | list)) -%}
            {%- for h in headers if h | lower not in all_columns | map('lower') | list -%}
                {%- do all_columns.append(h) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- for name, type in declared if name | lower not in all_columns | map('lower') | list -%}
            {%- do all_columns.append(name) -%}
        {%- endfor -%}
        {%- set selects = [] -%}
        {%- for f, relation, lowered in read -%}
            {%- set one -%}
            select
                {%- for c in all_columns %}
                {% if c | lower in lowered %}{{ adapter.quote(c) }}{% else %}cast(null as {{ dbt.type_string() }}){% endif %} as {{ adapter.quote(c) }},
                {%- endfor %}
                '{{ f.source_file | replace("'", "''") }}' as source_file,
                source_row
            from {{ relation }} as raw_file
            {%- endset -%}
            {%- do selects.append(one) -%}
        {%- endfor %}
        ({{ numbered_rows_read_once(union_all(selects)) }})
    {%- endif -%}
{%- endmacro %}

{#-
  numbered_rows_read_once(select_sql): the CSV rows, numbered, as a select the model's parse
  rules then run over. DuckDB numbers rows (`row_number() over ()`) in a pipeline that runs on
  one thread, and without a break every parse expression after it runs on that thread too
  (5M profiles: 99 s instead of 59 s). A materialised CTE ends that pipeline: the raw rows are
  stored once (in memory, spilled to <build>/warehouse.duckdb.tmp beyond the memory limit)
  and parsed in parallel. Spark reads in parallel already: the select as it is.
-#}
{% macro numbered_rows_read_once(select_sql) -%}
    {{ return(adapter.dispatch('numbered_rows_read_once', 'tiktok_warehouse')(select_sql)) }}
{%- endmacro %}

{% macro default__numbered_rows_read_once(select_sql) -%}
    {{ return('with raw_rows as materialized (\n' ~ select_sql ~ '\n        )\n\n        select * from raw_rows') }}
{%- endmacro %}

{% macro spark__numbered_rows_read_once(select_sql) -%}
    {{ return(select_sql) }}
{%- endmacro %}

{#-
  read_raw_csv_file(f, options): one CSV file (from list_raw_files) as (relation, headers): a
  parenthesised select of every column as text, named by the header (a repeated header gets
  `_1`, `_2`, ... as DuckDB names it), plus `source_row` (1-based data-row position), and the
  list of those column names. The only engine-specific CSV reading.
-#}
{% macro read_raw_csv_file(f, options={}) -%}
    {{ return(adapter.dispatch('read_raw_csv_file', 'tiktok_warehouse')(f, options)) }}
{%- endmacro %}

{% macro default__read_raw_csv_file(f, options) -%}
    {%- set opts = {'header': 'true', 'all_varchar': 'true', 'auto_detect': 'true'} -%}
    {%- do opts.update(options) -%}
    {%- set reader -%}
        read_csv('{{ f.path | replace("'", "''") }}'{% for k, v in opts.items() %}, {{ k }} = {{ v }}{% endfor %})
    {%- endset -%}
    {%- set headers = run_query('describe select * from ' ~ reader).columns[0].values() | list -%}
    {{ return(('(select *, row_number() over () as source_row from ' ~ reader ~ ')', headers)) }}
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
        {%- set selects = [] -%}
        {%- for f in files -%}
            {%- set one -%}
            select
                '{{ f.source_file | replace("'", "''") }}' as source_file,
                size as file_size,
                cast(last_modified as timestamp) as file_modified_at
            from read_blob('{{ f.path | replace("'", "''") }}')
            {%- endset -%}
            {%- do selects.append(one) -%}
        {%- endfor %}
        (
            {{ union_all(selects) }}
        )
    {%- endif -%}
{%- endmacro %}

{#-
  raw_source(source_name, table_name): the one way a staging model reads a raw source.
  Calls source() (lineage in dbt docs), then reads the files the source's meta describes:
    meta.raw_kind   sub-folder of the raw dir (claims, top_creators, profiles, video_metadata)
    meta.patterns   file globs searched recursively (default ['*.csv'])
    meta.format     csv
    meta.csv_options extra read_csv options (DuckDB)
    meta.required_columns / header_check: what makes a file unreadable (see readable_raw_files)
  (Exports are no raw source: ingest lands them, docs/ingest.md.)
  With no files it returns an empty relation typed by the source's declared columns.
  Inside a dbt unit test the source's fixture (format: sql) stands in for the files, so
  parsing logic is testable without any raw file.
-#}
{% macro raw_source(source_name, table_name) -%}
    {%- set _lineage = source(source_name, table_name) -%}
    {%- if is_unit_test_fixture(_lineage) -%}
        (select * from {{ _lineage }})
    {%- elif not execute -%}
        (select 1 as placeholder)
    {%- else -%}
        {%- set node = graph.sources.values()
            | selectattr('source_name', 'equalto', source_name)
            | selectattr('name', 'equalto', table_name) | first -%}
        {%- set meta = {} -%}
        {%- do meta.update(node.meta) -%}
        {%- set columns = [] -%}
        {%- for name, col in node.columns.items() -%}
            {%- if name not in ('source_file', 'source_row') -%}
                {%- do columns.append((name, col.data_type or 'varchar')) -%}
            {%- endif -%}
        {%- endfor -%}
        {{ read_raw_csv(meta.raw_kind, meta.get('patterns', ['*.csv', '*.CSV']), columns, meta.get('csv_options', {}), meta) }}
    {%- endif -%}
{%- endmacro %}

{#-
  try_cast(expression, type): the value cast to `type`, or null when it does not convert.
  (dbt.safe_cast is a plain, failing cast on dbt-duckdb; DuckDB and Spark 4 both have try_cast.)
-#}
{% macro try_cast(expression, type) -%}
    try_cast({{ expression }} as {{ type }})
{%- endmacro %}

{#-
  Unreadable raw files: ONE mechanism for every raw kind. A file that cannot be read at all
  stops the build with one line naming the file and the problem; with the dbt var
  `skip_unreadable_files` it is skipped instead, warned about, and listed in
  audit.skipped_raw_files (which calls raw_file_problems with the same checks). What makes a
  file unreadable comes from the source's meta (`checks`):
    always                  0 bytes, UTF-16, not UTF-8, NUL bytes
    format: csv             required_columns: each a column name or a list of alternatives
                            (matched case-insensitively); header_check: name of a domain
                            macro (headers) -> reason or none; csv_options as for read_csv
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
    {%- if not execute or files | length == 0 -%}{{ return([]) }}{%- endif -%}
    {%- set reasons = {} -%}
    {%- for row in run_query(raw_file_reasons_sql(files, checks)).rows -%}
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

{#- A query of (path, reason) for the files: the byte-level checks (empty, UTF-16, not UTF-8,
    NUL bytes); reason null for a readable file. -#}
{% macro raw_file_reasons_sql(files, checks) -%}
    {{ return(adapter.dispatch('raw_file_reasons_sql', 'tiktok_warehouse')(files, checks)) }}
{%- endmacro %}

{% macro default__raw_file_reasons_sql(files, checks) -%}
    {%- set quoted = [] -%}
    {%- for f in files %}{% do quoted.append("'" ~ (f.path | replace("'", "''")) ~ "'") %}{% endfor -%}
    {#- Sizes first (no content read). The byte checks hold a file's content about three times
        over, so files above var raw_check_max_mib (default 1024) get only the empty-file check:
        a non-UTF-8 byte in them stops the build in DuckDB's own reader instead, which names the
        file and line. The others are read in batches of at most 256 MiB, one after another,
        not all at once. -#}
    {%- set cap = (var('raw_check_max_mib', 1024) | int) * 1048576 -%}
    {%- set sizes_query -%}
        select replace(filename, '\', '/') as path, size
        from read_blob([{{ quoted | join(', ') }}])
        order by path
    {%- endset -%}
    {%- set sized = run_query(sizes_query) -%}
    {%- set branches = [] -%}
    {%- set batch = [] -%}
    {%- set ns = namespace(batch_bytes=0) -%}
    {%- for path, size in sized.rows -%}
        {%- set quoted_path = "'" ~ (path | replace("'", "''")) ~ "'" -%}
        {%- if size > cap -%}
            {%- do branches.append("select " ~ quoted_path ~ " as path, cast(null as varchar) as reason") -%}
        {%- else -%}
            {%- if batch and ns.batch_bytes + size > 268435456 -%}
                {%- do branches.append(raw_file_byte_checks(batch)) -%}
                {%- do batch.clear() -%}
                {%- set ns.batch_bytes = 0 -%}
            {%- endif -%}
            {%- do batch.append(quoted_path) -%}
            {%- set ns.batch_bytes = ns.batch_bytes + size -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if batch -%}{%- do branches.append(raw_file_byte_checks(batch)) -%}{%- endif -%}
    {{ return(union_all(branches)) }}
{%- endmacro %}

{#- The byte-level checks of raw_file_reasons_sql over some files (quoted paths). -#}
{% macro raw_file_byte_checks(quoted_paths) -%}
    {%- set query -%}
        select
            replace(filename, '\', '/') as path,
            case
                when size = 0
                    then 'the file is empty (0 bytes)'
                when content[1:2] in ('\xFF\xFE'::blob, '\xFE\xFF'::blob)
                    then 'UTF-16 text: re-save it as UTF-8'
                when try(decode(content)) is null
                    then 'not UTF-8 text (binary, or another encoding such as Latin-1): re-save it as UTF-8'
                when strpos(decode(content), chr(0)) > 0
                    then 'holds NUL bytes (UTF-16 without a byte-order mark, or a binary file): re-save it as UTF-8'
            end as reason
        from read_blob([{{ quoted_paths | join(', ') }}])
    {%- endset -%}
    {{ return(query) }}
{%- endmacro %}

{#- The reason a readable CSV's header does not fit its kind, or none. -#}
{% macro raw_csv_header_problem(f, checks) -%}
    {%- set headers = read_raw_csv_file(f, checks.get('csv_options', {}))[1] -%}
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

{#- ------------------------------------------------------------------ Apache Spark (issue 9)
  OSS Spark SQL has no glob()/read_csv()/read_text(): files are listed with the binaryFile
  source (path, length, modificationTime; the content column is pruned) and each file is
  registered as its own temporary view (csv or wholetext text) at compile time. One view per
  file: Spark reading several CSVs at once matches columns by position and silently swaps
  them when headers differ. Views live in the session dbt-spark keeps for the whole run.
-#}

{#- A glob on a file name ('*.csv', 'Like List.txt') as a Python regex (matched at compile time). -#}
{% macro _glob_regex(pattern) -%}
    {{- modules.re.escape(pattern) | replace('\\*', '[^/]*') | replace('\\?', '[^/]') -}}
{%- endmacro %}

{#- Spark lists `file:/a/b%20c.txt`: the plain path back (local and cluster file systems). -#}
{% macro _spark_plain_path(uri) -%}
    {%- set p = uri -%}
    {%- if p.startswith('file://') -%}{%- set p = p[7:] -%}
    {%- elif p.startswith('file:') -%}{%- set p = p[5:] -%}
    {%- endif -%}
    {{- p | replace('%20', ' ') | replace('%25', '%') -}}
{%- endmacro %}

{% macro _spark_absolute(path) -%}
    {%- if path.startswith('/') or ':' in path.split('/')[0] -%}{{ path }}
    {%- else -%}{{ (env_var('PWD', '.') ~ '/' ~ path) }}{%- endif -%}
{%- endmacro %}

{% macro spark__list_raw_files(kind, patterns) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set files = [] -%}
    {%- for base in [raw_root(), unpacked_root()] -%}
        {%- set folder = _spark_absolute(base) ~ '/' ~ kind -%}
        {%- set regexes = [] -%}
        {%- for pattern in patterns -%}{%- do regexes.append(_glob_regex(pattern)) -%}{%- endfor -%}
        {#- binaryFile over the folder fails when it does not exist: list the parent, filter. -#}
        {%- set parent = _spark_absolute(base) -%}
        {%- do run_query("create or replace temporary view _raw_listing using binaryFile options (path '"
            ~ parent | replace("'", "\\'") ~ "', recursiveFileLookup 'true')") -%}
        {%- set result = run_query(
            "select path, length, cast(modificationTime as string) from _raw_listing"
            ~ " order by path") -%}
        {%- for row in result.rows -%}
            {%- set path = _spark_plain_path(row[0]) -%}
            {%- if path.startswith(folder ~ '/') -%}
                {%- set name = path.split('/')[-1] -%}
                {%- set ns = namespace(hit=false) -%}
                {%- for rx in regexes -%}
                    {%- if modules.re.fullmatch(rx, name) -%}{%- set ns.hit = true -%}{%- endif -%}
                {%- endfor -%}
                {%- if ns.hit -%}
                    {%- do files.append({'path': path, 'uri': row[0], 'source_file': path[(_spark_absolute(base) | length) + 1:],
                        'size': row[1], 'modified': row[2]}) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(files | sort(attribute='path')) }}
{%- endmacro %}

{#- A file registered as its own temporary view; returns the view name. -#}
{% macro _spark_file_view(f, format, options={}) -%}
    {%- set name = '_raw_' ~ format ~ '_' ~ local_md5(f.path) -%}
    {%- set opts = {'path': f.path} -%}
    {%- do opts.update(options) -%}
    {%- set rendered = [] -%}
    {%- for k, v in opts.items() -%}
        {%- do rendered.append(k ~ " '" ~ (v | string | replace("\\", "\\\\") | replace("'", "\\'")) ~ "'") -%}
    {%- endfor -%}
    {%- do run_query('create or replace temporary view ' ~ name ~ ' using ' ~ format
        ~ ' options (' ~ rendered | join(', ') ~ ')') -%}
    {{ return(name) }}
{%- endmacro %}

{#- Spark's CSV reader options from the DuckDB-style csv_options (quoted literals). -#}
{% macro _spark_csv_options(options) -%}
    {%- set out = {'header': 'true', 'multiLine': 'true', 'escape': '"', 'quote': '"',
                   'mode': 'PERMISSIVE', 'encoding': 'UTF-8'} -%}
    {%- set names = {'delim': 'sep', 'sep': 'sep', 'quote': 'quote', 'escape': 'escape'} -%}
    {%- for k, v in options.items() if k in names -%}
        {%- do out.update({names[k]: (v | string).strip("'") | replace("''", "'")}) -%}
    {%- endfor -%}
    {{ return(out) }}
{%- endmacro %}

{#- Spark's header names are not DuckDB's (a repeated header becomes `followers3`): the file
    is read without a header and its first record names the columns, as DuckDB names them. -#}
{% macro spark__read_raw_csv_file(f, options) -%}
    {%- set spark_options = _spark_csv_options(options) -%}
    {%- do spark_options.update({'header': 'false'}) -%}
    {%- set view = _spark_file_view(f, 'csv', spark_options) -%}
    {%- set first = run_query('select * from ' ~ view ~ ' limit 1') -%}
    {%- set headers = [] -%}
    {%- set items = [] -%}
    {%- for raw in (first.rows[0] if first.rows | length > 0 else []) -%}
        {%- set base = (raw | string).strip() if raw is not none else 'column' ~ loop.index0 -%}
        {%- set ns = namespace(name=base, n=0) -%}
        {%- for _ in range(1, 100) if ns.name | lower in headers | map('lower') | list -%}
            {%- set ns.n = ns.n + 1 -%}{%- set ns.name = base ~ '_' ~ ns.n -%}
        {%- endfor -%}
        {%- do headers.append(ns.name) -%}
        {%- do items.append(first.column_names[loop.index0] ~ ' as ' ~ adapter.quote(ns.name)) -%}
    {%- endfor -%}
    {%- set relation -%}
        (select {{ items | join(', ') }}, source_row - 1 as source_row
        from (
            select *, row_number() over (order by file_position) as source_row
            from (select *, monotonically_increasing_id() as file_position from {{ view }})
        )
        where source_row > 1)
    {%- endset -%}
    {{ return((relation, headers)) }}
{%- endmacro %}

{% macro spark__raw_file_metadata(kind, patterns) -%}
    {%- set files = [] if model.resource_type == 'unit_test' else list_raw_files(kind, patterns) -%}
    {%- if files | length == 0 -%}
        ({{ empty_typed_select([('source_file', 'string'), ('file_size', 'bigint'), ('file_modified_at', 'timestamp')]) }})
    {%- else -%}
        {%- set selects = [] -%}
        {%- for f in files -%}
            {%- set one -%}
            select
                '{{ f.source_file | replace("'", "\\'") }}' as source_file,
                cast({{ f.size }} as bigint) as file_size,
                cast('{{ f.modified }}' as timestamp) as file_modified_at
            {%- endset -%}
            {%- do selects.append(one) -%}
        {%- endfor %}
        (
            {{ union_all(selects) }}
        )
    {%- endif -%}
{%- endmacro %}

{% macro spark__raw_file_reasons_sql(files, checks) -%}
    {%- set selects = [] -%}
    {%- for f in files -%}
        {%- set one -%}
        select
            '{{ f.path | replace("'", "\\'") }}' as path,
            case
                when length = 0
                    then 'the file is empty (0 bytes)'
                when hex(substr(content, 1, 2)) in ('FFFE', 'FEFF')
                    then 'UTF-16 text: re-save it as UTF-8'
                when not is_valid_utf8(content)
                    then 'not UTF-8 text (binary, or another encoding such as Latin-1): re-save it as UTF-8'
                when instr(decode(content, 'UTF-8'), char(0)) > 0
                    then 'holds NUL bytes (UTF-16 without a byte-order mark, or a binary file): re-save it as UTF-8'
            end as reason
        from {{ _spark_file_view(f, 'binaryFile') }}
        {%- endset -%}
        {%- do selects.append(one) -%}
    {%- endfor -%}
    {{ return(union_all(selects)) }}
{%- endmacro %}
