"""``algorithm.object_store``: LEAN's key-value store, kept as files under the workspace's ``storage/`` folder.

The LEAN CLI mounts ``<workspace>/storage`` as the object store of local backtests, so values an algorithm saves
here are the files a later ``lean backtest`` (or research notebook) of the same workspace reads. Keys are relative
paths; they may not leave the store.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any


class ObjectStoreError(ValueError):
    pass


class ObjectStore:
    """Save and read strings, bytes and JSON by key."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # --- keys --------------------------------------------------------------------------------------------------
    def _path(self, key: str) -> Path:
        if not isinstance(key, str) or not key.strip():
            raise ObjectStoreError("object store keys are non-empty strings, e.g. 'models/weights.json'")
        relative = PurePosixPath(key.replace("\\", "/").lstrip("/"))
        if any(part == ".." for part in relative.parts):
            raise ObjectStoreError(f"object store key '{key}' points outside the store; use a path below it")
        return self.root.joinpath(*relative.parts)

    def contains_key(self, key: str) -> bool:
        return self._path(key).is_file()

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.contains_key(key)

    @property
    def keys(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file())

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys)

    def get_file_path(self, key: str) -> str:
        """The file backing ``key`` (created empty parents included), for libraries that want a path."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        return str(path)

    # --- writing -----------------------------------------------------------------------------------------------
    def save_bytes(self, key: str, contents: bytes) -> bool:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(bytes(contents))
        temporary.replace(path)
        return True

    def save_string(self, key: str, text: str, encoding: str = "utf-8") -> bool:
        return self.save_bytes(key, str(text).encode(encoding))

    def save_json(self, key: str, value: Any) -> bool:
        return self.save_string(key, json.dumps(value))

    def save(self, key: str, value: Any = None) -> bool:
        """``save(key, text)`` or ``save(key, bytes)``; ``save(key)`` keeps what the file already holds."""
        if value is None:
            return self.contains_key(key)
        if isinstance(value, (bytes, bytearray)):
            return self.save_bytes(key, bytes(value))
        return self.save_string(key, value)

    def delete(self, key: str) -> bool:
        path = self._path(key)
        if not path.is_file():
            return False
        path.unlink()
        return True

    # --- reading -----------------------------------------------------------------------------------------------
    def read_bytes(self, key: str) -> bytes:
        path = self._path(key)
        if not path.is_file():
            raise KeyError(f"The object store does not contain the key '{key}' ({path}); save it first or check "
                           "object_store.contains_key")
        return path.read_bytes()

    def read_string(self, key: str, encoding: str = "utf-8") -> str:
        return self.read_bytes(key).decode(encoding)

    def read(self, key: str) -> str:
        return self.read_string(key)

    def read_json(self, key: str) -> Any:
        return json.loads(self.read_string(key))
