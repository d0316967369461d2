"""Small readers used by the synthetic-market tests (independent of the engine's own readers)."""
from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import numpy as np

#: LEAN's sample data, next to the repository (read-only reference; tests skip what needs it when absent)
LEAN_DATA = Path(__file__).resolve().parents[3] / "shared" / "lean-data"


def zip_entry(path: Path) -> tuple[str, str]:
    """(entry name, text) of a single-entry zip."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert len(names) == 1, f"{path} holds {names}"
        return names[0], archive.read(names[0]).decode("ascii")


def read_bars(path: Path) -> tuple[list[str], np.ndarray]:
    """First column as text and the remaining columns as an int64 array."""
    _, text = zip_entry(path)
    rows = [line.split(",") for line in text.split("\n")]
    labels = [r[0] for r in rows]
    values = np.array([[int(x) for x in r[1:]] for r in rows], dtype=np.int64)
    return labels, values


def day_of(label: str) -> date:
    return datetime.strptime(label[:8], "%Y%m%d").date()


def daily_by_date(root: Path, ticker: str) -> dict[date, np.ndarray]:
    labels, values = read_bars(root / "equity" / "usa" / "daily" / f"{ticker.lower()}.zip")
    return {day_of(l): v for l, v in zip(labels, values)}


def factor_rows(root: Path, ticker: str) -> list[list[str]]:
    text = (root / "equity" / "usa" / "factor_files" / f"{ticker.lower()}.csv").read_text()
    return [line.split(",") for line in text.splitlines() if line]


def map_rows(root: Path, ticker: str) -> list[list[str]]:
    text = (root / "equity" / "usa" / "map_files" / f"{ticker.lower()}.csv").read_text()
    return [line.split(",") for line in text.splitlines() if line]


def adjusted_closes(root: Path, ticker: str) -> tuple[list[date], np.ndarray]:
    """Daily closes times LEAN's price scale factor (factor rows apply to their date and back)."""
    daily = daily_by_date(root, ticker)
    rows = [(datetime.strptime(r[0], "%Y%m%d").date(), float(r[1]) * float(r[2])) for r in factor_rows(root, ticker)]
    days = sorted(daily)
    out = []
    for d in days:
        factor = next(f for row_day, f in rows if row_day >= d)
        out.append(daily[d][3] / 10_000 * factor)
    return days, np.array(out)
