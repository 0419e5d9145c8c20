"""The reconciliation skeleton (macros/audit/reconciliation.sql reconciliation_counts) on literal
rows: each relation's aggregate per key side by side, 0 where a relation has no row for a key.
The reconciliation models that use it are checked on the sample by their data tests."""

from __future__ import annotations

import json

from conftest import Build, run_dbt

ROWS = """
with

raw_rows as (
    select * from (values ('a', true), ('a', false), ('a', false), ('b', false), ('b', false))
        as t (source_file, is_wrapped_line)
),

staged as (
    select * from (values ('a', 5), ('a', 7)) as t (source_file, n)
),

quarantined as (
    select * from (values ('b', 'bad date')) as t (source_file, reason)
),

account_keys as (
    select * from (values ('ann', 'likes'), ('ann', 'likes'), ('bob', 'posts')) as t (account_id, list_name)
),

sections as (
    select * from (values ('ann', 'likes', 3), ('ann', 'likes', 4)) as t (account_id, list_name, item_count)
)
"""


def show(build: Build, sql: str, check: bool = True):
    proc = run_dbt(build.env, "show", "--inline", sql, "--output", "json", "--log-format", "text", check=check)
    if not check:
        return proc
    text = proc.stdout
    start = text.index("{", text.index('"show"') - 10)
    return json.loads(text[start : text.rindex("}") + 1])["show"]


def test_counts_per_key_with_zeros_where_a_relation_has_no_rows(sample_build: Build):
    rows = show(
        sample_build,
        ROWS
        + """
select * from (
    {{ reconciliation_counts('source_file', [
        ['raw_rows', 'raw_rows'],
        ['staged_rows', 'staged'],
        ['staged_total', 'staged', 'sum(n)'],
        ['quarantined_rows', 'quarantined'],
        ['wrapped_line_rows', 'raw_rows', 'count(case when is_wrapped_line then 1 end)'],
    ]) }}
) as reconciled
order by source_file
""",
    )
    assert rows == [
        {
            "source_file": "a",
            "raw_rows": 3,
            "staged_rows": 2,
            "staged_total": 12,
            "quarantined_rows": 0,
            "wrapped_line_rows": 1,
        },
        {
            "source_file": "b",
            "raw_rows": 2,
            "staged_rows": 0,
            "staged_total": 0,
            "quarantined_rows": 1,
            "wrapped_line_rows": 0,
        },
    ]


def test_keys_from_drives_a_composite_key(sample_build: Build):
    rows = show(
        sample_build,
        ROWS
        + """
select * from (
    {{ reconciliation_counts(['account_id', 'list_name'], [
        ['raw_item_count', 'sections', 'cast(sum(item_count) as bigint)'],
    ], keys_from='account_keys') }}
) as reconciled
order by account_id
""",
    )
    assert rows == [
        {"account_id": "ann", "list_name": "likes", "raw_item_count": 7},
        {"account_id": "bob", "list_name": "posts", "raw_item_count": 0},
    ]
    proc = show(
        sample_build,
        ROWS + "{{ reconciliation_counts('source_file', [['raw_rows', 'raw_rows']], keys_from='raw_rows') }}",
        check=False,
    )
    assert proc.returncode != 0 and "is also counted" in proc.stdout
