{#-
  dbt-spark's split_part builds a regex with a '\\' literal, which the spark target's
  spark.sql.parser.escapedStringLiterals (string literals read as written, like DuckDB) turns
  into a different pattern. Spark 3.3+ has split_part with a plain delimiter: use it.
  dbt_project.yml puts this project first in the `dbt` dispatch search order.
-#}
{% macro spark__split_part(string_text, delimiter_text, part_number) -%}
    split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }})
{%- endmacro %}

{#- dbt-spark's listagg ignores the order (a warning, then collection order) and Spark 4's
    listagg(distinct ...) within group fails in the analyser: the values collected (a set for
    `distinct x`), sorted, joined. Supports ordering by the aggregated value only, as used here. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set is_distinct = measure.strip().lower().startswith('distinct ') -%}
    {%- set value = measure.strip()[9:] if is_distinct else measure -%}
    {%- if limit_num or (order_by_clause and order_by_clause.strip().lower() != 'order by ' ~ value.strip().lower()) -%}
        {{ exceptions.raise_compiler_error("spark__listagg: only ordering by the value itself, no limit") }}
    {%- endif -%}
    {%- set collected = ('collect_set(' if is_distinct else 'collect_list(') ~ value ~ ')' -%}
    array_join({{ 'array_sort(' ~ collected ~ ')' if order_by_clause else collected }}, {{ delimiter_text }})
{%- endmacro %}

{#- dbt-spark's session cursor formats seed bindings as quoted text, so an empty CSV cell
    arrives as the string 'None' (and a quote in a value breaks the statement): values are
    rendered here as SQL literals instead, an empty cell as null. With
    spark.sql.parser.escapedStringLiterals a literal is taken as written (a doubled quote stays
    two quotes, a backslash escapes the closing quote), so quotes and backslashes are spliced in
    with chr(). -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    {%- set value = row[loop.index0] -%}
                    {%- set text = value | string -%}
                    {%- set literal = "'" ~ text ~ "'" -%}
                    {%- if "'" in text or "\\" in text -%}
                        {%- set literal = "concat('" ~ (text | replace("'", "', chr(39), '") | replace("\\", "', chr(92), '")) ~ "')" -%}
                    {%- endif -%}
                    cast({{ 'null' if value is none else literal }} as {{ type }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}
