"""Errors raised by the data layer.

Every message names the file that was expected or is broken and says what to do about it, because a
backtest that silently runs on missing data produces plausible but wrong statistics.
"""
from __future__ import annotations

from pathlib import Path

GET_DATA_HINT = (
    "point --data-folder at a LEAN data folder (`lean init` downloads one) "
    "or run `lean-local data synthetic`"
)


class DataError(Exception):
    """Base class of every data-layer problem."""


class MissingDataError(DataError):
    """A file the request needs does not exist (not merely an absent day, which is normal)."""

    def __init__(self, path: Path | str, what: str, hint: str = GET_DATA_HINT) -> None:
        self.path = Path(path)
        self.what = what
        self.hint = hint
        super().__init__(f"missing {what}: expected file {self.path}; {hint}")


class CorruptDataError(DataError):
    """A file exists but cannot be read as LEAN writes it (bad zip, wrong column count, bad number...)."""

    def __init__(self, path: Path | str, detail: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.detail = detail
        self.line = line
        where = f"{self.path}" if line is None else f"{self.path}, line {line}"
        super().__init__(
            f"corrupt data file {where}: {detail}; re-download or regenerate this file"
        )
