"""``AlgorithmImports`` in a notebook kernel, without installing anything.

LEAN's research kernels start with ``AlgorithmImports`` loaded. lean_local builds that module in memory only
(a real module of that name in site-packages would shadow ``quantconnect-stubs`` for type checkers), so a
notebook's first cell registers it for the kernel's lifetime::

    from lean_local.research import install_algorithm_imports
    install_algorithm_imports()
    from AlgorithmImports import *   # QuantBook, Resolution, indicators, framework models, np, pd ...

It also makes LEAN's framework import paths (``from Alphas.RsiAlphaModel import ...``) importable and puts the
workspace's ``Library`` folder on ``sys.path``, as the LEAN CLI's research container does, so library projects
(``from alpha.mean_reversion import ...``) import like in an algorithm.
"""
from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

from lean_local import algorithm_imports
from lean_local.research.workspace import workspace_root

_STATE: dict[str, list[str]] = {"modules": [], "paths": []}


def install_algorithm_imports(library: bool | str | Path = True, start: str | Path | None = None) -> types.ModuleType:
    """Register ``AlgorithmImports`` (with ``QuantBook``) in ``sys.modules`` for this process and return it.

    ``library``: True puts ``<workspace>/Library`` (the nearest ``lean.json`` above ``start``, by default the
    working directory) on ``sys.path`` when it exists; a path puts that folder there; False adds nothing.
    Calling it again rebuilds the module (and keeps the paths). :func:`uninstall_algorithm_imports` undoes it.
    """
    from lean_local.framework import exports
    from lean_local.research.quantbook import QuantBook

    module = algorithm_imports.build_module()
    module.__dict__["QuantBook"] = QuantBook
    module.__all__ = [*module.__all__, "QuantBook"]  # type: ignore[attr-defined]
    sys.modules[algorithm_imports.MODULE_NAME] = module
    if algorithm_imports.MODULE_NAME not in _STATE["modules"]:
        _STATE["modules"].append(algorithm_imports.MODULE_NAME)
    _STATE["modules"].extend(exports.install_import_paths(sys.modules))
    folder: Path | None = None
    if library is True:
        root = workspace_root(Path(start) if start is not None else None)
        folder = root / "Library" if root is not None and (root / "Library").is_dir() else None
    elif library is not False:
        folder = Path(library).expanduser().resolve()
        if not folder.is_dir():
            raise FileNotFoundError(f"The library folder '{folder}' given to install_algorithm_imports does not exist.")
    if folder is not None:
        text = str(folder.resolve())
        if text not in sys.path:
            sys.path.insert(0, text)
            _STATE["paths"].append(text)
            importlib.invalidate_caches()
    return module


def uninstall_algorithm_imports() -> None:
    """Remove what :func:`install_algorithm_imports` registered (the modules and the ``sys.path`` entries)."""
    for name in _STATE["modules"]:
        sys.modules.pop(name, None)
    for text in _STATE["paths"]:
        while text in sys.path:
            sys.path.remove(text)
        sys.path_importer_cache.pop(text, None)
    _STATE["modules"].clear()
    _STATE["paths"].clear()
    importlib.invalidate_caches()
