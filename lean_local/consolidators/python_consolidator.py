"""``PythonConsolidator``: the base of consolidators written in Python.

Subclasses set ``consolidated``, ``working_data``, ``input_type`` and ``output_type`` themselves, implement
``update(data)`` and ``scan(time)``, and emit with ``self.on_data_consolidated(self, bar)``; they need not call
``super().__init__()``.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from lean_local.indicators.window import EventHandler, WindowBase


class PythonConsolidator(WindowBase[Any]):
    """Base class for custom consolidators (LEAN's ``QuantConnect.Python.PythonConsolidator``)."""

    consolidated: Any = None
    working_data: Any = None
    input_type: Any = None
    output_type: Any = None

    def __init__(self) -> None:
        WindowBase.__init__(self, WindowBase.DEFAULT_WINDOW_SIZE)

    @property
    def data_consolidated(self) -> EventHandler:
        event = self.__dict__.get("_data_consolidated")
        if event is None:
            event = self.__dict__["_data_consolidated"] = EventHandler()
        return event  # type: ignore[no-any-return]

    @data_consolidated.setter
    def data_consolidated(self, value: EventHandler) -> None:
        self.__dict__["_data_consolidated"] = value

    @property
    def _interface_consolidated(self) -> EventHandler:
        return self.data_consolidated

    def on_data_consolidated(self, *args: Any) -> None:
        """``on_data_consolidated(sender, data)`` (or ``(data)``): add to the window, then raise the event."""
        sender, data = (args[0], args[1]) if len(args) == 2 else (self, args[0])
        if data is not None:
            self.current = data
        self.data_consolidated(sender, data)

    def reset(self) -> None:
        self.consolidated = None
        self.working_data = None
        self.reset_window()

    def scan(self, current_local_time: datetime) -> None:
        pass

    def update(self, data: Any) -> None:
        pass

    def dispose(self) -> None:
        pass
