"""Order properties and time in force (LEAN's ``OrderProperties``, ``TimeInForce`` and its three kinds).

Serialized forms (inside an order's ``"properties"``):

* good-til-canceled → ``{"timeInForce": {}}``
* day → ``{"timeInForce": {"$type": "QuantConnect.Orders.TimeInForces.DayTimeInForce"}}``
* good-til-date → ``{"timeInForce": {"$type": "QuantConnect.Orders.TimeInForces.GoodTilDateTimeInForce",
  "Expiry": "2013-10-10T00:00:00"}}`` (the expiry as given, no time zone suffix)
"""
from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from lean_local.enums import SecurityType

if TYPE_CHECKING:
    from lean_local.orders.order import Order
    from lean_local.orders.order_event import OrderEvent

_NEW_YORK = "America/New_York"
_FOREX_CUTOFF = timedelta(hours=17)


def _exchange_hours(security: Any) -> Any:
    return security.exchange.hours


def _exchange_time_zone(security: Any) -> str:
    hours = _exchange_hours(security)
    zone = getattr(hours, "time_zone", None)
    if zone is None:
        zone = getattr(security.exchange, "time_zone", _NEW_YORK)
    return str(zone)


def _last_daily_market_close(security: Any, local: datetime) -> datetime:
    """``SecurityExchangeHours.GetLastDailyMarketClose(local, extendedMarketHours: false)``."""
    hours = _exchange_hours(security)
    method = getattr(hours, "get_last_daily_market_close", None)
    if method is not None:
        return method(local, False)  # type: ignore[no-any-return]
    return hours.get_next_market_close(local, False)  # type: ignore[no-any-return]


class TimeInForce:
    """How long an order stays working before it is canceled. Use :attr:`GOOD_TIL_CANCELED`, :attr:`DAY` or
    :meth:`good_til_date`."""

    GOOD_TIL_CANCELED: ClassVar[TimeInForce]
    DAY: ClassVar[TimeInForce]
    GOOD_TIL_DATE: ClassVar[Callable[[datetime], TimeInForce]]

    #: C# type name written under ``"$type"`` (``None`` for good-til-canceled, which writes ``{}``)
    lean_type_name: ClassVar[str | None] = None

    @staticmethod
    def good_til_date(expiry: date | datetime) -> GoodTilDateTimeInForce:
        return GoodTilDateTimeInForce(expiry)

    def is_order_expired(self, security: Any, order: Order) -> bool:
        raise NotImplementedError

    def is_fill_valid(self, security: Any, order: Order, fill: OrderEvent) -> bool:
        return True

    def json_fields(self) -> OrderedDict[str, Any]:
        """Public properties written after ``$type`` (names as in C#)."""
        return OrderedDict()

    def clone(self) -> TimeInForce:
        return self


class GoodTilCanceledTimeInForce(TimeInForce):
    def is_order_expired(self, security: Any, order: Order) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoodTilCanceledTimeInForce)

    def __hash__(self) -> int:
        return hash(GoodTilCanceledTimeInForce)

    def __repr__(self) -> str:
        return "TimeInForce.GOOD_TIL_CANCELED"


class DayTimeInForce(TimeInForce):
    lean_type_name = "QuantConnect.Orders.TimeInForces.DayTimeInForce"

    def is_order_expired(self, security: Any, order: Order) -> bool:
        """Equities and other exchange-traded assets expire at the market close of the order's day; forex and
        CFDs at 17:00 New York; crypto at midnight."""
        from lean_local.timeutil import convert, from_utc

        zone = _exchange_time_zone(security)
        order_time = from_utc(order.time, zone)
        now: datetime = security.local_time
        security_type = order.security_type
        if security_type in (SecurityType.FOREX, SecurityType.CFD):
            order_ny = from_utc(order.time, _NEW_YORK)
            expiry = datetime.combine(order_ny.date(), time()) + _FOREX_CUTOFF
            if order_ny - datetime.combine(order_ny.date(), time()) > _FOREX_CUTOFF:
                expiry += timedelta(days=1)
            return convert(now, zone, _NEW_YORK) >= expiry
        if security_type in (SecurityType.CRYPTO, SecurityType.CRYPTO_FUTURE):
            return now.date() > order_time.date()
        return now >= _last_daily_market_close(security, order_time)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DayTimeInForce)

    def __hash__(self) -> int:
        return hash(DayTimeInForce)

    def __repr__(self) -> str:
        return "TimeInForce.DAY"


class GoodTilDateTimeInForce(TimeInForce):
    lean_type_name = "QuantConnect.Orders.TimeInForces.GoodTilDateTimeInForce"

    def __init__(self, expiry: date | datetime) -> None:
        if not isinstance(expiry, datetime):
            expiry = datetime.combine(expiry, time())
        self._expiry = expiry

    @property
    def expiry(self) -> datetime:
        return self._expiry

    def is_order_expired(self, security: Any, order: Order) -> bool:
        """Equities expire at the market close of the expiry date; forex/CFD at 17:00 New York; crypto after the
        expiry date."""
        from lean_local.timeutil import to_utc

        now: datetime = security.local_time
        security_type = order.security_type
        if security_type in (SecurityType.FOREX, SecurityType.CFD):
            return to_utc(now, _exchange_time_zone(security)) >= self.get_forex_order_expiry_date_time(order)
        if security_type in (SecurityType.CRYPTO, SecurityType.CRYPTO_FUTURE):
            return now.date() > self._expiry.date()
        expiry_day = datetime.combine(self._expiry.date(), time())
        return now >= _last_daily_market_close(security, expiry_day)

    def is_fill_valid(self, security: Any, order: Order, fill: OrderEvent) -> bool:
        return True

    def get_forex_order_expiry_date_time(self, order: Order) -> datetime:
        """UTC time at which a forex/CFD good-til-date order expires: 17:00 New York on the expiry date (the next
        day when the order was placed after 17:00 on that date)."""
        from lean_local.timeutil import from_utc, to_utc

        expiry_local = datetime.combine(self._expiry.date(), time()) + _FOREX_CUTOFF
        if order.time.date() == self._expiry.date():
            order_ny = from_utc(order.time, _NEW_YORK)
            if order_ny - datetime.combine(order_ny.date(), time()) > _FOREX_CUTOFF:
                expiry_local += timedelta(days=1)
        return to_utc(expiry_local, _NEW_YORK)

    def json_fields(self) -> OrderedDict[str, Any]:
        fields: OrderedDict[str, Any] = OrderedDict()
        fields["Expiry"] = self._expiry  # naive: written without a zone suffix
        return fields

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoodTilDateTimeInForce) and other._expiry == self._expiry

    def __hash__(self) -> int:
        return hash((GoodTilDateTimeInForce, self._expiry))

    def __repr__(self) -> str:
        return f"TimeInForce.good_til_date({self._expiry!r})"


TimeInForce.GOOD_TIL_CANCELED = GoodTilCanceledTimeInForce()
TimeInForce.DAY = DayTimeInForce()
TimeInForce.GOOD_TIL_DATE = GoodTilDateTimeInForce


class OrderProperties:
    """Per-order settings. Brokerage-specific subclasses add fields by overriding :meth:`json_fields` (their
    own fields first, as Newtonsoft writes derived-class members first)."""

    def __init__(self, exchange: Any = None) -> None:
        self.time_in_force: TimeInForce = TimeInForce.GOOD_TIL_CANCELED
        #: LEAN ``Exchange``; written only when set
        self.exchange: Any = exchange

    def clone(self) -> OrderProperties:
        return copy.copy(self)

    def json_fields(self, camel_case: bool) -> OrderedDict[str, Any]:
        """Serialized members. ``camel_case`` selects the result-file naming (LEAN's camelCase naming strategy
        with ``OverrideSpecifiedNames``) instead of the default contract used for OrderListHash."""
        fields: OrderedDict[str, Any] = OrderedDict()
        fields["timeInForce"] = self.time_in_force
        if self.exchange is not None:
            fields["exchange" if camel_case else "Exchange"] = self.exchange
        return fields

    def __repr__(self) -> str:
        return f"OrderProperties(time_in_force={self.time_in_force!r})"
