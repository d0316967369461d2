"""Custom indicators written in Python: ``class MyIndicator(PythonIndicator)`` with ``update(input)`` and ``value``.

In LEAN the engine calls the managed ``Update`` of the indicator, which runs the usual bookkeeping (samples,
``current``, ``updated`` event) and calls the Python ``update`` to compute. A Python subclass overrides
``update`` here, so :class:`PythonIndicator` moves the user's method aside when the subclass is created and
installs the managed one; the user's ``__init__`` does not have to call ``super().__init__()``.
Objects that only look like indicators (``update``, ``value``, ``is_ready``) are wrapped by :func:`as_indicator`.
"""
from __future__ import annotations

import weakref
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from lean_local.indicators.base import DATA, IndicatorBase
from lean_local.indicators.data_point import exact

_BASE_MARKER = "_lean_indicator_base_ready"


def _ensure_base(indicator: Any, name: str | None = None) -> None:
    state = indicator.__dict__
    if state.get(_BASE_MARKER):
        return
    state[_BASE_MARKER] = True
    existing_name = state.get("name")
    IndicatorBase.__init__(indicator, existing_name if existing_name is not None else (name or ""))
    state.setdefault("_is_ready_flag", False)


def _managed_update(self: "PythonIndicator", input: Any = None, value: Any = None, *, time: Any = None) -> bool:
    _ensure_base(self)
    if value is not None or time is not None:
        raise NotImplementedError(
            f"{type(self).__name__} does not support the `Update(DateTime, decimal)` method. Use one of the following "
            "methods instead: Update(TradeBar), Update(QuoteBar), Update(Tick)"
        )
    return self._update(input)


class PythonIndicator(IndicatorBase):
    """Base class of indicators written in Python (``update(input) -> bool`` and a ``value`` attribute)."""

    _input_kind = DATA
    _python_update: Callable[..., Any] | None = None

    def __init__(self, *args: Any) -> None:
        name = args[0] if args and isinstance(args[0], str) else None
        if not self.__dict__.get(_BASE_MARKER):
            _ensure_base(self, name)
        elif name is not None:
            self.name = name
        if "value" not in self.__dict__:
            self.value: Any = 0

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        user_update = cls.__dict__.get("update")
        if user_update is not None and user_update is not _managed_update:
            cls._python_update = user_update
            cls.update = _managed_update  # type: ignore[assignment]
        user_init = cls.__dict__.get("__init__")
        if user_init is not None and not getattr(user_init, "_lean_wrapped", False):

            @wraps(user_init)
            def init(self: Any, *args: Any, **kw: Any) -> None:
                _ensure_base(self)
                user_init(self, *args, **kw)

            init._lean_wrapped = True  # type: ignore[attr-defined]
            cls.__init__ = init  # type: ignore[method-assign]

    def __getattr__(self, name: str) -> Any:
        # instances whose __init__ never ran the base setup (e.g. created with __new__)
        if name.startswith("__") or self.__dict__.get(_BASE_MARKER):
            raise AttributeError(name)
        _ensure_base(self)
        return getattr(self, name)

    @property
    def is_ready(self) -> bool:
        return bool(self.__dict__.get("_is_ready_flag", False))

    @is_ready.setter
    def is_ready(self, value: bool) -> None:
        self.__dict__["_is_ready_flag"] = bool(value)

    def compute_next_value(self, input: Any) -> Decimal:
        compute = type(self)._python_update
        if compute is None:
            raise NotImplementedError(f"Indicator.update must be implemented. Please implement this missing method in {self.name}")
        ready = compute(self, input)
        if ready is None:
            ready = self.is_ready
        self.__dict__["_is_ready_flag"] = bool(ready)
        return exact(getattr(self, "value", 0))


class _PythonIndicatorAdapter(IndicatorBase):
    """Wraps an object that quacks like an indicator (``update``, ``value``, ``is_ready``)."""

    _input_kind = DATA

    def __init__(self, target: Any) -> None:
        for attribute in ("is_ready", "update", "value"):
            if not hasattr(target, attribute):
                name = getattr(target, "name", type(target).__name__)
                raise NotImplementedError(
                    f"Indicator.{attribute} must be implemented. Please implement this missing method in {name}"
                )
        super().__init__(getattr(target, "name", None) or type(target).__name__)
        self.target = target
        self._ready = False

    @property
    def is_ready(self) -> bool:
        if self._ready:
            return True
        return bool(getattr(self.target, "is_ready", False))

    @property
    def warm_up_period(self) -> int:
        return int(getattr(self.target, "warm_up_period", 0) or 0)

    def compute_next_value(self, input: Any) -> Decimal:
        ready = self.target.update(input)
        self._ready = bool(ready) if ready is not None else bool(getattr(self.target, "is_ready", False))
        return exact(self.target.value)


_ADAPTERS: "weakref.WeakKeyDictionary[Any, _PythonIndicatorAdapter]" = weakref.WeakKeyDictionary()


def as_indicator(value: Any) -> IndicatorBase:
    """An ``IndicatorBase`` for ``value``: itself, or a (cached) adapter around a Python look-alike."""
    if isinstance(value, IndicatorBase):
        if isinstance(value, PythonIndicator):
            _ensure_base(value)
        return value
    try:
        adapter = _ADAPTERS.get(value)
    except TypeError:
        adapter = None
    if adapter is None:
        adapter = _PythonIndicatorAdapter(value)
        try:
            _ADAPTERS[value] = adapter
        except TypeError:
            pass
    return adapter
