{#-
  The score hand-off (ml/io.py write_scores): a score set of at most TIKTOK_ML_SEED_MAX_ROWS
  rows is a seed CSV, a larger one a Parquet file beside it in the ML seed folder (<build_dir>/
  seeds/ml: ml/score_sets.py ml_seed_dir, where the ML step writes); the other file is always
  present and empty. `ml_score_file(name)` reads the Parquet side: source()
  ('ml_scores', '<name>_parquet') for lineage (and a unit
  test's fixture), the file itself through a dispatched reader.
-#}
{% macro ml_score_file(table_name) -%}
    {%- set _lineage = source('ml_scores', table_name ~ '_parquet') -%}
    {%- if is_unit_test_fixture(_lineage) -%}
        (select * from {{ _lineage }})
    {%- else -%}
        {{ read_parquet_file(build_root() ~ '/seeds/ml/' ~ table_name ~ '.parquet') }}
    {%- endif -%}
{%- endmacro %}

{% macro read_parquet_file(path) -%}
    {{ return(adapter.dispatch('read_parquet_file', 'tiktok_warehouse')(path)) }}
{%- endmacro %}

{% macro default__read_parquet_file(path) -%}
    read_parquet('{{ path | replace("'", "''") }}')
{%- endmacro %}

{% macro spark__read_parquet_file(path) -%}
    parquet.`{{ _spark_absolute(path) }}`
{%- endmacro %}

{#- One score set's rows from both files of the hand-off: the seed, then the Parquet file. -#}
{% macro ml_score_rows(table_name, columns) -%}
    select {{ columns | join(', ') }} from {{ ref(table_name) }}
    union all
    select {{ columns | join(', ') }} from {{ ml_score_file(table_name) }}
{%- endmacro %}
