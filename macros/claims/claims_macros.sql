{#-
  Claims domain macros. Engine-specific constructs (regex, file checks, percentiles) sit behind
  adapter.dispatch with a DuckDB `default__` so a Spark port only adds `spark__` versions.
-#}

{#- The 1-based capture `group` of `pattern` in `expression` ('' when it does not match). -#}
{% macro claims_regexp_extract(expression, pattern, group) -%}
    {{ return(adapter.dispatch('claims_regexp_extract', 'tiktok_warehouse')(expression, pattern, group)) }}
{%- endmacro %}

{% macro default__claims_regexp_extract(expression, pattern, group) -%}
    regexp_extract({{ expression }}, '{{ pattern }}', {{ group }})
{%- endmacro %}

{#- True when `expression` matches the regular expression `pattern` (anywhere). -#}
{% macro claims_regexp_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('claims_regexp_matches', 'tiktok_warehouse')(expression, pattern)) }}
{%- endmacro %}

{% macro default__claims_regexp_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{#- Continuous percentile (linear interpolation) of `expression` as an aggregate. -#}
{% macro claims_percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('claims_percentile', 'tiktok_warehouse')(expression, fraction)) }}
{%- endmacro %}

{% macro default__claims_percentile(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{#- cast that yields null instead of failing. dbt.safe_cast is a plain cast on dbt-duckdb
    1.11 (no duckdb__ override), so it cannot be used to detect garbage. -#}
{% macro claims_try_cast(expression, type) -%}
    {{ return(adapter.dispatch('claims_try_cast', 'tiktok_warehouse')(expression, type)) }}
{%- endmacro %}

{% macro default__claims_try_cast(expression, type) -%}
    try_cast({{ expression }} as {{ type }})
{%- endmacro %}

{#-
  A count cell as the course file writes it: a non-negative whole number, or a missing marker
  (`#N/A`, empty). Returns a bigint, or null for a missing marker AND for garbage: use
  claims_count_is_invalid to tell those apart.
-#}
{% macro claims_parse_count(column) -%}
    case
        when {{ claims_is_missing_marker(column) }} then null
        when
            {{ claims_try_cast('trim(' ~ column ~ ')', 'double') }} >= 0
            and {{ claims_try_cast('trim(' ~ column ~ ')', 'double') }}
            = floor({{ claims_try_cast('trim(' ~ column ~ ')', 'double') }})
            then cast({{ claims_try_cast('trim(' ~ column ~ ')', 'double') }} as bigint)
    end
{%- endmacro %}

{#- True for the course file's markers of a missing value: null, empty, `#N/A`, `N/A`, `NaN`. -#}
{% macro claims_is_missing_marker(column) -%}
    coalesce(upper(trim({{ column }})), '') in ('', '#N/A', 'N/A', 'NAN', 'NULL')
{%- endmacro %}

{#- True when a count cell holds something that is neither a count nor a missing marker. -#}
{% macro claims_count_is_invalid(column) -%}
    (not {{ claims_is_missing_marker(column) }} and ({{ claims_parse_count(column) }}) is null)
{%- endmacro %}

{#-
  claims_check_raw_files(source_name, table_name, required_columns): fail the build, naming the
  file, when a claims CSV cannot be read or lacks the course columns. Without this a CSV with
  another header would silently stage as rows of nulls. Runs at execution time only.
-#}
{% macro claims_check_raw_files(source_name, table_name, required_columns) -%}
    {{ return(adapter.dispatch('claims_check_raw_files', 'tiktok_warehouse')(source_name, table_name, required_columns)) }}
{%- endmacro %}

{% macro default__claims_check_raw_files(source_name, table_name, required_columns) -%}
    {%- if execute and model.resource_type != 'unit_test' -%}
        {%- set node = graph.sources.values()
            | selectattr('source_name', 'equalto', source_name)
            | selectattr('name', 'equalto', table_name) | first -%}
        {%- set meta = node.meta -%}
        {%- set opts = {'header': 'true', 'all_varchar': 'true', 'auto_detect': 'true'} -%}
        {%- do opts.update(meta.get('csv_options', {})) -%}
        {%- for f in list_raw_files(meta.raw_kind, meta.get('patterns', ['*.csv', '*.CSV'])) -%}
            {#- A full count(*) scan: DuckDB reports undecodable bytes anywhere in the file,
                with the file's path, and the build stops here. -#}
            {%- set reader -%}
                read_csv('{{ f.path | replace("'", "''") }}'
                {%- for k, v in opts.items() %}, {{ k }} = {{ v }}{% endfor %})
            {%- endset -%}
            {%- do run_query('select count(*) from ' ~ reader) -%}
            {%- set found = run_query('describe select * from ' ~ reader).columns[0].values()
                | map('lower') | list -%}
            {%- set missing = [] -%}
            {%- for c in required_columns if c | lower not in found -%}
                {%- do missing.append(c) -%}
            {%- endfor -%}
            {%- if missing -%}
                {{ exceptions.raise_compiler_error(
                    "claims raw file " ~ f.source_file ~ ": not a claims CSV in the course format: "
                    ~ "header lacks " ~ (missing | join(', ')) ~ " (found: " ~ (found | join(', ')) ~ ")"
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#-
  claims_raw_source(source_name, table_name): raw_source(), except inside a dbt unit test, where
  the source's `format: sql` fixture stands in for the files (raw_source reads the graph's
  sources, which unit tests do not carry).
-#}
{% macro claims_raw_source(source_name, table_name) -%}
    {%- if model.resource_type == 'unit_test' -%}
        {{ source(source_name, table_name) }}
    {%- else -%}
        {{ raw_source(source_name, table_name) }}
    {%- endif -%}
{%- endmacro %}

{#- True when `left` and `right` hold equal values (nulls equal to nulls) in every column. -#}
{% macro claims_null_safe_equal_all(left, right, columns) -%}
    (
    {%- for column in columns %}
        {{ 'and ' if not loop.first }}coalesce({{ left }}.{{ column }} = {{ right }}.{{ column }}, {{ left }}.{{ column }} is null and {{ right }}.{{ column }} is null)
    {%- endfor %}
    )
{%- endmacro %}
