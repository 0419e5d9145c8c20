{#-
  Where things are. dbt never opens a raw file: ingest
  lands the raw folder as Parquet before dbt runs (docs/ingest.md), and the staging models read
  those files through source() (landed_files.sql).
-#}

{#- Absolute-or-relative raw root as configured, without a trailing slash. -#}
{% macro raw_root() -%}
    {{- (var('raw_dir') | replace('\\', '/')).rstrip('/') -}}
{%- endmacro %}

{#- The build dir as configured (var build_dir, env TIKTOK_BUILD_DIR), without a trailing slash. -#}
{% macro build_root() -%}
    {{- (var('build_dir') | replace('\\', '/')).rstrip('/') -}}
{%- endmacro %}

{#- A path as Spark needs it: absolute (its file sources resolve a relative path against the
    warehouse dir, not the project). -#}
{% macro _spark_absolute(path) -%}
    {%- if path.startswith('/') or ':' in path.split('/')[0] -%}{{ path }}
    {%- else -%}{{ (env_var('PWD', '.') ~ '/' ~ path) }}{%- endif -%}
{%- endmacro %}

{#- True when `relation` (a source() or ref()) is a dbt unit test's fixture: the caller then
    selects the fixture instead of reading files. -#}
{% macro is_unit_test_fixture(relation) -%}
    {{- return(model.resource_type == 'unit_test'
        or (relation.identifier is string and relation.identifier.startswith('__dbt__cte__'))) -}}
{%- endmacro %}
