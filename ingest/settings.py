"""The settings of an ingest run, read once from the environment (the build's raw-data contract)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

import tiktok_settings

TRUE = (True, 1, "true", "True", "TRUE", "1", "yes")


@dataclass(frozen=True)
class Settings:
    raw: Path
    build: Path
    skip_unreadable_files: bool

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        given = tiktok_settings.current(environ)
        return cls(
            raw=given.raw_dir,
            build=given.build_dir,
            skip_unreadable_files=skip_unreadable_files(given.dbt_vars),
        )


def skip_unreadable_files(dbt_vars: str) -> bool:
    """`skip_unreadable_files` of TIKTOK_DBT_VARS (YAML or JSON, as dbt's --vars takes it)."""
    if not dbt_vars.strip():
        return False
    try:
        given = yaml.safe_load(dbt_vars)
    except yaml.YAMLError as exc:
        raise ValueError(f"TIKTOK_DBT_VARS is not YAML: {exc}") from None
    return isinstance(given, dict) and given.get("skip_unreadable_files", False) in TRUE
