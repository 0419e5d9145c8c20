{#-
  DuckDB's memory limit for this build: TIKTOK_DUCKDB_MEMORY_LIMIT if set, else var
  `duckdb_memory_limit` (dbt_project.yml: 4GB), a DuckDB size such as 6GB; `default` keeps
  DuckDB's own default (80% of RAM). Beyond the limit joins, aggregates, sorts, windows and
  materialised CTEs spill to <build>/warehouse.duckdb.tmp. Without one, DuckDB keeps what it
  has used, many times the limit at scale (docs/benchmarks.md), and two models at a time can exhaust a machine.
  A query that cannot spill fails with "Out of Memory": raise the limit then. Other engines:
  nothing.
-#}
{% macro duckdb_memory_limit() -%}
    {%- set limit = env_var('TIKTOK_DUCKDB_MEMORY_LIMIT', var('duckdb_memory_limit', 'default')) | trim -%}
    {%- if target.type == 'duckdb' and limit and limit | lower != 'default' -%}
        {%- if not modules.re.fullmatch('[0-9]+(\\.[0-9]+)?\\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)', limit) -%}
            {{ exceptions.raise_compiler_error(
                "TIKTOK_DUCKDB_MEMORY_LIMIT='" ~ limit ~ "' is not a DuckDB memory size such as 6GB or 4096MiB"
                ~ " (or `default` for DuckDB's own, 80% of RAM)"
            ) }}
        {%- endif -%}
        set memory_limit = '{{ limit }}'
    {%- endif -%}
{%- endmacro %}
