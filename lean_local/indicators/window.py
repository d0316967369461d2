"""``RollingWindow[T]``, the window base shared by indicators and consolidators, and the ``+=`` event type.

``RollingWindow`` keeps the newest item at index 0. It follows LEAN's quirks on purpose: reading an index
past the items held returns ``None``, and reading past the window *size* grows the window to fit (so
``window[9]`` on a size-2 window silently makes it size 10), ``is_ready`` means "has seen ``size`` samples".
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class EventHandler:
    """A C# event as the Python API exposes it: ``obj.updated += handler`` / ``obj.updated -= handler``.

    Handlers are called in subscription order with the event's arguments (``(sender, data)``).
    """

    __slots__ = ("_handlers",)

    def __init__(self) -> None:
        self._handlers: list[Callable[..., Any]] = []

    def __iadd__(self, handler: Callable[..., Any]) -> "EventHandler":
        if not callable(handler):
            raise TypeError(f"event handlers must be callable, got {type(handler).__name__}")
        self._handlers.append(handler)
        return self

    def __isub__(self, handler: Callable[..., Any]) -> "EventHandler":
        # C# removes the last matching subscription
        for index in range(len(self._handlers) - 1, -1, -1):
            if self._handlers[index] == handler:
                del self._handlers[index]
                break
        return self

    def __call__(self, *args: Any) -> None:
        handlers = self._handlers
        if not handlers:
            return
        if len(handlers) == 1:
            handlers[0](*args)
            return
        for handler in list(handlers):
            handler(*args)

    def invoke(self, *args: Any) -> None:
        self(*args)

    def clear(self) -> None:
        self._handlers.clear()

    @property
    def count(self) -> int:
        return len(self._handlers)

    def __repr__(self) -> str:
        return f"EventHandler({len(self._handlers)} handlers)"


class RollingWindow(Generic[T]):
    """A fixed-size window of the most recent items; ``window[0]`` is the newest.

    Use as ``RollingWindow[float](10)`` or ``RollingWindow(10)``.
    """

    __slots__ = ("_items", "_size", "_samples", "_removed", "__orig_class__")

    def __init__(self, size: int) -> None:
        size = int(size)
        if size < 0:
            raise ValueError("RollingWindow must have size of at least 0.")
        self._items: deque[T] = deque()
        self._size = size
        self._samples = 0
        self._removed: T | None = None

    # --- properties -------------------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        return self._size

    @size.setter
    def size(self, value: int) -> None:
        self._resize(int(value))

    @property
    def count(self) -> int:
        return len(self._items)

    @property
    def samples(self) -> int:
        return self._samples

    @property
    def is_ready(self) -> bool:
        return self._samples >= self._size

    @property
    def most_recently_removed(self) -> T:
        """The item that fell off the end on the latest ``add``; raises until one has."""
        if self._samples <= self._size:
            raise RuntimeError("No items have been removed yet!")
        return self._removed  # type: ignore[return-value]

    # --- mutation ---------------------------------------------------------------------------------------------
    def add(self, item: T) -> None:
        self._samples += 1
        items = self._items
        if len(items) == self._size:
            self._removed = items.pop()
        items.appendleft(item)

    def reset(self) -> None:
        self._samples = 0
        self._items.clear()

    def _resize(self, size: int) -> None:
        if size < 0:
            raise ValueError("RollingWindow must have size of at least 0.")
        items = self._items
        while len(items) > size:
            items.pop()
        self._size = size

    # --- access -----------------------------------------------------------------------------------------------
    def __getitem__(self, i: int) -> T:
        i = int(i)
        count = len(self._items)
        if i < 0:
            if self._size + i < 0:
                raise IndexError("Index must be a non-negative integer")
            i = count + i
            if i < 0:
                return None  # type: ignore[return-value]
        if i > count - 1:
            if i > self._size - 1:
                self._resize(i + 1)
            return None  # type: ignore[return-value]
        return self._items[i]

    def __setitem__(self, i: int, value: T) -> None:
        i = int(i)
        if i < 0:
            if self._size + i < 0:
                raise IndexError("Index must be a non-negative integer")
            i = self._size + i
        if i > len(self._items) - 1:
            if i > self._size - 1:
                self._resize(i + 1)
            for _ in range(i - len(self._items) + 1):
                self.add(None)  # type: ignore[arg-type]
        self._items[i] = value

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items))

    def get_enumerator(self) -> Iterator[T]:
        return iter(self)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"RollingWindow(size={self._size}, count={len(self._items)}, samples={self._samples})"


class WindowBase(Generic[T]):
    """History of produced values (LEAN's ``WindowBase``): ``current`` is ``window[0]``; assigning ``current``
    adds to the window. Indicators and consolidators both derive from it."""

    DEFAULT_WINDOW_SIZE = 2

    def __init__(self, window_size: int = DEFAULT_WINDOW_SIZE) -> None:
        self._window: RollingWindow[T] = RollingWindow(window_size)

    @property
    def window(self) -> RollingWindow[T]:
        window = self.__dict__.get("_window")
        if window is None:  # subclasses that skipped the base constructor
            window = self.__dict__["_window"] = RollingWindow(self.DEFAULT_WINDOW_SIZE)
        return window  # type: ignore[no-any-return]

    @property
    def current(self) -> T:
        return self.window[0]

    @current.setter
    def current(self, value: T) -> None:
        self.window.add(value)

    @property
    def previous(self) -> T:
        window = self.window
        return window[1] if window.count > 1 else None  # type: ignore[return-value]

    def __getitem__(self, i: int) -> T:
        return self.window[i]

    def __iter__(self) -> Iterator[T]:
        return iter(self.window)

    def get_enumerator(self) -> Iterator[T]:
        return iter(self.window)

    def reset_window(self) -> None:
        window = self.__dict__.get("_window")
        if window is not None:
            window.reset()
