{#-
  The landed files (docs/ingest.md): ingest writes <build>/landed/<table>/*.parquet before dbt
  runs; the sources of schema `landed` declare them once.
-#}

{#- on-run-start: make the landed folders readable as source() relations. DuckDB reads the files
    through each source's external_location: nothing to do. -#}
{% macro register_landed_tables() -%}
    {{ return(adapter.dispatch('register_landed_tables', 'tiktok_warehouse')()) }}
{%- endmacro %}

{% macro default__register_landed_tables() -%}
{%- endmacro %}

{#- Spark (dbt-spark has no external_location): each landed folder becomes a table of schema
    `landed` over its Parquet files, created afresh every run so it lists the files ingest wrote
    for this build (a table dropped this way keeps its files: it only points at them). These
    run_query calls only register tables in the catalog, no file is read: the columns are the
    source's declared ones (the landed schema, ingest/schema.py), so Spark infers nothing from
    the files. That also types the landed timestamps as `timestamp` (UTC, as on DuckDB): inferred
    from Parquet written without a time zone they would be Spark 4's `timestamp_ntz`. Spark reads
    the Parquet when a model selects from the table, matching columns by name. -#}
{% macro spark__register_landed_tables() -%}
    {%- if execute -%}
        {%- set spark_types = {'varchar': 'string', 'text': 'string'} -%}
        {%- do run_query('create database if not exists landed') -%}
        {%- for node in graph.sources.values() if node.schema == 'landed' -%}
            {%- set columns = [] -%}
            {%- for column in node.columns.values() -%}
                {%- set type = column.data_type | lower -%}
                {%- do columns.append(adapter.quote(column.name) ~ ' ' ~ spark_types.get(type, type)) -%}
            {%- endfor -%}
            {%- set folder = _spark_absolute(build_root() ~ '/landed/' ~ node.identifier) -%}
            {%- do run_query('drop table if exists landed.' ~ node.identifier) -%}
            {%- do run_query('create table landed.' ~ node.identifier ~ ' (' ~ columns | join(', ')
                ~ ") using parquet location '" ~ folder | replace("'", "\\'") ~ "'") -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- The files under the raw folder now, as a select of (source_file, file_size), read at run
    time (never at compile time); none where the engine cannot list a folder in SQL. -#}
{% macro raw_folder_listing() -%}
    {{ return(adapter.dispatch('raw_folder_listing', 'tiktok_warehouse')()) }}
{%- endmacro %}

{% macro default__raw_folder_listing() -%}
    {%- set root = raw_root() -%}
    {%- set listing -%}
        select
            substr(replace(filename, '\', '/'), {{ root | length + 2 }}) as source_file,
            size as file_size
        from read_blob('{{ root | replace("'", "''") }}/**')
    {%- endset -%}
    {{ return(listing) }}
{%- endmacro %}

{#- Spark lists files only through a data source (binaryFile) that cannot be opened inside a
    query: the pipeline runs ingest right before dbt there, so the check is DuckDB's alone. -#}
{% macro spark__raw_folder_listing() -%}
    {{ return(none) }}
{%- endmacro %}

{#-
  The landed data describes the raw folder as it is now: every file under it is in the manifest
  with the size it has, and every manifest file is still there (ZIP members are checked through
  their ZIP). Fails with one row per file that is new, gone or changed since the last ingest
  run: a bare `dbt build` after the raw folder changed builds stale data (run `make ingest`).
  Use with severity warn.
-#}
{% test landed_data_is_current(model) %}
    {%- set listing = raw_folder_listing() -%}
    {%- if listing is none %}
    select
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_string() }}) as problem
    where 1 = 0
    {%- else %}
    with

    landed as (
        select
            source_file,
            file_size
        from {{ model }}
        where
            not {{ regex_matches('lower(source_file)', '[.]zip/') }}
            -- the enrichment step's file lives in the build dir, not the raw folder
            and source_file <> 'enrichment/video_metadata.csv'
    ),

    on_disk as (
        {{ listing }}
    ),

    compared as (
        select
            coalesce(on_disk.source_file, landed.source_file) as source_file,
            case
                when landed.source_file is null then 'new since the last ingest run'
                when on_disk.source_file is null then 'gone since the last ingest run'
                else 'changed since the last ingest run (its size differs)'
            end as problem
        from on_disk
        full outer join landed
            on on_disk.source_file = landed.source_file
        where
            landed.source_file is null
            or on_disk.source_file is null
            or on_disk.file_size <> landed.file_size
    )

    select * from compared
    {%- endif %}
{% endtest %}

{#- dbt unit tests type a source's fixture rows by the source relation's columns. A landed
    source is a folder of files, not a table, so on DuckDB its declared columns (the landed
    schema, ingest/schema.py) type the fixture: unit tests need no landed file. -#}
{% macro duckdb__get_columns_in_relation(relation) -%}
    {%- if relation.schema == 'landed' and not relation.external -%}
        {%- for node in graph.sources.values()
            if node.schema == 'landed' and node.identifier == relation.identifier -%}
            {%- set columns = [] -%}
            {%- for column in node.columns.values() -%}
                {%- do columns.append(api.Column.create(column.name, column.data_type)) -%}
            {%- endfor -%}
            {{ return(columns) }}
        {%- endfor -%}
    {%- endif -%}
    {#- dbt-duckdb's own implementation (this override replaces it for every relation) -#}
    {% call statement('get_columns_in_relation', fetch_result=True) %}
        select
            column_name,
            column_type as data_type,
            cast(null as bigint) as character_maximum_length,
            cast(null as bigint) as numeric_precision,
            cast(null as bigint) as numeric_scale
        from (describe {{ relation.render() }})
    {% endcall %}
    {{ return(sql_convert_columns_in_relation(load_result('get_columns_in_relation').table)) }}
{%- endmacro %}
