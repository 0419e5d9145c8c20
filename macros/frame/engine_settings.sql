{#-
  DuckDB's memory limit for this build, from TIKTOK_DUCKDB_MEMORY_LIMIT (a DuckDB size such as
  6GB). Unset: nothing is set and DuckDB keeps its default, 80% of RAM. A fixed default would
  be wrong on most machines: the export parser holds the parsed documents of the folders it
  parses in memory (docs/benchmarks.md), and DuckDB fails with "Out of Memory" when a query
  needs more than the limit rather than slowing down. Sorts, joins and windows beyond it spill
  to <build>/warehouse.duckdb.tmp. Other engines: nothing.
-#}
{% macro duckdb_memory_limit() -%}
    {%- set limit = env_var('TIKTOK_DUCKDB_MEMORY_LIMIT', '') | trim -%}
    {%- if target.type == 'duckdb' and limit -%}
        {%- if not modules.re.fullmatch('[0-9]+(\\.[0-9]+)?\\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)', limit) -%}
            {{ exceptions.raise_compiler_error(
                "TIKTOK_DUCKDB_MEMORY_LIMIT='" ~ limit ~ "' is not a DuckDB memory size such as 6GB or 4096MiB"
            ) }}
        {%- endif -%}
        set memory_limit = '{{ limit }}'
    {%- endif -%}
{%- endmacro %}
