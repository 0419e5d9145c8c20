"""The settings of an ingest run, read once from the environment (the build's raw-data contract)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
TRUE = (True, 1, "true", "True", "TRUE", "1", "yes")


@dataclass(frozen=True)
class Settings:
    raw: Path
    build: Path
    skip_unreadable_files: bool

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            raw=Path(env.get("TIKTOK_RAW_DIR") or REPO / "data" / "sample").resolve(),
            build=Path(env.get("TIKTOK_BUILD_DIR") or REPO / "build").resolve(),
            skip_unreadable_files=skip_unreadable_files(env.get("TIKTOK_DBT_VARS", "")),
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
