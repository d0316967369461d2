"""Print a ``tests/fidelity/more`` entry for LEAN regression algorithms, read from a LEAN checkout.

Usage: ``python tests/fidelity/transcribe.py LEAN_ROOT NAME [NAME ...]``. For each ``Algorithm.CSharp/NAME.cs``
it reads the ``ExpectedStatistics`` dictionary and ``DataPoints`` and prints JSON to paste into a ``more/*.json``
file (fill in ``algorithm``). A development aid only: the tests never read LEAN's sources.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_PAIR = re.compile(r'\{\s*"([^"]+)"\s*,\s*"([^"]*)"\s*\}')
_DATA_POINTS = re.compile(r"DataPoints\s*=>\s*(\d+)")


def transcribe(lean_root: Path, name: str) -> dict[str, object]:
    source = Path("Algorithm.CSharp") / f"{name}.cs"
    text = (lean_root / source).read_text(encoding="utf-8", errors="replace")
    start = text.find("ExpectedStatistics")
    if start < 0:
        raise SystemExit(f"{source}: no ExpectedStatistics; is {name} a regression algorithm?")
    body = text[start:text.find("};", start)]
    data_points = _DATA_POINTS.search(text)
    return {
        "source": source.as_posix(),
        "algorithm": f"algorithms/{re.sub(r'(?<!^)(?=[A-Z])', '_', name).lower()}.py",
        "data_points": int(data_points.group(1)) if data_points else 0,
        "expected_statistics": dict(_PAIR.findall(body)),
    }


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    root = Path(sys.argv[1])
    print(json.dumps({name: transcribe(root, name) for name in sys.argv[2:]}, indent=2))
