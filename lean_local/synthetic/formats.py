"""Byte-exact writers for LEAN's on-disk formats (bar zips, factor/map CSVs), deterministic across runs.

Zip archives get one deflated entry with a fixed timestamp and attributes, so the same content always
gives the same bytes. CSV rows are ``\\n``-separated without a trailing newline, as in LEAN's data.
"""
from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Sequence

import numpy as np
import numpy.typing as npt

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def yyyymmdd(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def write_zip(path: Path, entry: str, content: bytes) -> None:
    """A zip holding ``content`` as its single entry ``entry``; identical inputs give identical bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    info = zipfile.ZipInfo(entry, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=3)


def csv_rows(first: Sequence[str] | npt.NDArray[np.int64], values: npt.NDArray[np.int64]) -> bytes:
    """Rows ``first[i],values[i,0],values[i,1],...`` joined by newlines (no trailing newline)."""
    if len(first) != values.shape[0]:
        raise ValueError("row labels and values differ in length")
    fields = values.shape[1]
    template = "{}" + ",{}" * fields
    labels = first.tolist() if isinstance(first, np.ndarray) else list(first)
    text = "\n".join([template.format(label, *row) for label, row in zip(labels, values.tolist())])
    return text.encode("ascii")


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
