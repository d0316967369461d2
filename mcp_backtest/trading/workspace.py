"""Where the trading tools find things: workspace root, LEAN data folder, runtime state, risk policy.

Resolution (first match wins), shared by the MCP servers, the hooks and the CLIs:

* root: ``$LEAN_WORKSPACE``, else ``$CLAUDE_PROJECT_DIR``, else the nearest ancestor of the current directory
  holding ``lean.json``, else the repository this package lives in;
* data folder: ``$LEAN_DATA_FOLDER``, else ``lean.json``'s ``data-folder`` (relative to the root) when it holds
  a LEAN market-hours database, else ``<root>/../shared/lean-data`` (LEAN's sample data);
* state directory (paper account, audit trail, kill switch): ``$LEAN_TRADING_STATE``, else ``<root>/.trading``;
* risk policy: ``$LEAN_RISK_POLICY``, else ``<root>/config/risk_policy.toml``.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from lean_local.data.paths import DataFolder

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
STATE_DIR_NAME = ".trading"
POLICY_RELATIVE = Path("config") / "risk_policy.toml"
ACCOUNT_FILE = "paper_account.json"
AUDIT_FILE = "audit.sqlite3"


class WorkspaceError(RuntimeError):
    """The workspace, its data folder or its state cannot be used."""


def _has_market_hours(folder: Path) -> bool:
    return (folder / "market-hours" / "market-hours-database.json").is_file()


def find_root(start: Path | None = None) -> Path:
    for var in ("LEAN_WORKSPACE", "CLAUDE_PROJECT_DIR"):
        value = os.environ.get(var)
        if value:
            return Path(value).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "lean.json").is_file():
            return folder
    return PACKAGE_ROOT


def _data_folder_from_lean_json(root: Path) -> Path | None:
    try:
        config = json.loads((root / "lean.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = config.get("data-folder") if isinstance(config, dict) else None
    if not isinstance(value, str) or not value:
        return None
    folder = Path(value) if Path(value).is_absolute() else root / value
    return folder.resolve() if _has_market_hours(folder) else None


@dataclass(frozen=True)
class Workspace:
    root: Path
    data_folder: Path
    state_dir: Path
    policy_path: Path

    @classmethod
    def discover(cls, start: Path | None = None) -> Workspace:
        root = find_root(start)
        env_data = os.environ.get("LEAN_DATA_FOLDER")
        if env_data:
            data = Path(env_data).resolve()
        else:
            data = _data_folder_from_lean_json(root) or (root / ".." / "shared" / "lean-data").resolve()
        state = Path(os.environ.get("LEAN_TRADING_STATE") or root / STATE_DIR_NAME).resolve()
        policy = Path(os.environ.get("LEAN_RISK_POLICY") or root / POLICY_RELATIVE).resolve()
        return cls(root=root, data_folder=data, state_dir=state, policy_path=policy)

    @property
    def account_path(self) -> Path:
        return self.state_dir / ACCOUNT_FILE

    @property
    def audit_path(self) -> Path:
        return self.state_dir / AUDIT_FILE

    def data(self) -> DataFolder:
        if not _has_market_hours(self.data_folder):
            raise WorkspaceError(
                f"no LEAN data folder at {self.data_folder} (market-hours/market-hours-database.json missing); "
                "set LEAN_DATA_FOLDER, fix lean.json's data-folder, or run `lean-local data synthetic --output data`"
            )
        return DataFolder(self.data_folder)

    def resolve_in_root(self, path: str | Path) -> Path:
        p = Path(path)
        return (p if p.is_absolute() else self.root / p).resolve()
