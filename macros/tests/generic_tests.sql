{#- Generic data tests this project needs (no dbt packages: dbt deps cannot reach its hub). -#}

{#- Rows whose combination of `combination_of_columns` is not unique. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as n_rows
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{#- Rows where `expression` is false (null counts as passing, like SQL check constraints). -#}
{% test expression_is_true(model, expression, column_name=none) %}
    select *
    from {{ model }}
    where not ({{ expression | replace('{column}', column_name or '') }})
{% endtest %}

{#- Values outside [min_value, max_value]; either bound may be omitted. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
    select {{ column_name }}
    from {{ model }}
    where
        {{ column_name }} is not null
        and (
            1 = 0
            {%- if min_value is not none %}
            or {{ column_name }} {{ '<' if inclusive else '<=' }} {{ min_value }}
            {%- endif %}
            {%- if max_value is not none %}
            or {{ column_name }} {{ '>' if inclusive else '>=' }} {{ max_value }}
            {%- endif %}
        )
{% endtest %}

{#- Fails when the model has no rows at all (use with severity warn on user data). -#}
{% test not_empty(model) %}
    select 1 as no_rows
    where not exists (select 1 from {{ model }})
{% endtest %}

{#- Reconciliation: rows where `raw_column` <> sum of `part_columns` (nothing silently lost). -#}
{% test sums_reconcile(model, raw_column, part_columns) %}
    select *
    from {{ model }}
    where
        {{ raw_column }}
        <> {% for c in part_columns %}coalesce({{ c }}, 0){{ ' + ' if not loop.last }}{% endfor %}
{% endtest %}
