{#-
  Raw files skipped as unreadable (var skip_unreadable_files=true): one row per file, with its
  raw kind and the reason, from the same checks the staging readers apply (frame:
  raw_kind_problems, each source's meta). Empty when the var is off: an unreadable file then
  stops the build instead.
-#}
{%- set skipped = raw_kind_problems() if execute and skip_unreadable_files() else [] -%}

with

skipped as (
    {%- if skipped %}
        {%- for p in skipped %}
            {{ 'union all' if not loop.first }}
            select
                '{{ p.raw_kind }}' as raw_kind,
                '{{ p.source_file | replace("'", "''") }}' as source_file,
                '{{ p.reason | replace("'", "''") }}' as reason
        {%- endfor %}
    {%- else %}
        {{ empty_typed_select([('raw_kind', 'varchar'), ('source_file', 'varchar'), ('reason', 'varchar')]) }}
    {%- endif %}
)

select * from skipped
