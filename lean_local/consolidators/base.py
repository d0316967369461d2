"""``ConsolidatorBase``/``DataConsolidator``: what every consolidator shares.

Events: LEAN consolidators raise ``IDataConsolidator.DataConsolidated``; most concrete consolidators also declare
their own typed ``DataConsolidated`` event (C# ``new event``), which is the one Python's
``consolidator.data_consolidated += handler`` subscribes to. The engine's own subscribers (indicator
registration, ``consolidate`` handlers, the scan-time tracker) use the interface event, available through
:func:`interface_event`. The order in which the two fire differs by consolidator, exactly as in LEAN.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from lean_local.indicators.window import EventHandler, WindowBase
from lean_local.market_data import BaseData


class ConsolidatorBase(WindowBase[Any]):
    """Base of all consolidators: ``consolidated`` (last bar emitted), ``window``/``[i]`` history,
    ``data_consolidated`` event, ``update(data)``, ``scan(local_time)``, ``reset()``."""

    def __init__(self) -> None:
        WindowBase.__init__(self, WindowBase.DEFAULT_WINDOW_SIZE)
        self._consolidated: Any = None
        self._interface_consolidated = EventHandler()
        self.data_consolidated = self._interface_consolidated

    # --- IDataConsolidator ------------------------------------------------------------------------------------
    @property
    def consolidated(self) -> Any:
        return self._consolidated

    @consolidated.setter
    def consolidated(self, value: Any) -> None:
        self._consolidated = value

    @property
    def working_data(self) -> Any:
        raise NotImplementedError

    @property
    def input_type(self) -> type:
        raise NotImplementedError

    @property
    def output_type(self) -> type:
        raise NotImplementedError

    def update(self, data: Any) -> None:
        raise NotImplementedError

    def scan(self, current_local_time: datetime) -> None:
        raise NotImplementedError

    # --- emission ---------------------------------------------------------------------------------------------
    def on_data_consolidated(self, consolidated: Any) -> None:
        if consolidated is not None:
            self.current = consolidated
        self.fire_data_consolidated(consolidated)
        self._interface_consolidated(self, consolidated)
        self._consolidated = consolidated

    def fire_data_consolidated(self, consolidated: Any) -> None:
        """Raise the consolidator's typed event before the interface event (renko and timeless consolidators)."""

    def dispose(self) -> None:
        self._interface_consolidated.clear()

    def reset(self) -> None:
        self._consolidated = None
        self.reset_window()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class DataConsolidator(ConsolidatorBase):
    """A consolidator of one input type; other inputs raise (``DataConsolidator<TInput>``)."""

    _input_type: type = BaseData

    @property
    def input_type(self) -> type:
        return self._input_type

    def update(self, data: Any) -> None:
        if not isinstance(data, self._input_type):
            raise TypeError(f"Received type of {type(data).__name__} but expected {self._input_type.__name__}")
        self._update(data)

    def _update(self, data: Any) -> None:
        raise NotImplementedError


def interface_event(consolidator: Any) -> EventHandler:
    """The ``IDataConsolidator.DataConsolidated`` event of a consolidator (its ``data_consolidated`` for
    consolidators written in Python)."""
    event = getattr(consolidator, "_interface_consolidated", None)
    if event is None:
        event = consolidator.data_consolidated
    return event  # type: ignore[no-any-return]
