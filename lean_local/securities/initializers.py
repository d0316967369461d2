"""Security initializers and seeders (LEAN's ``ISecurityInitializer`` / ``ISecuritySeeder`` family).

Every new security passes through the algorithm's security initializer once. By default that is a
``BrokerageModelSecurityInitializer`` bound to the algorithm's brokerage model with a seeder that does nothing;
``set_security_initializer`` replaces it entirely (so the brokerage models are no longer applied, the security
keeps its type's defaults), and ``add_security_initializer`` appends to it. A seeder gives a new security its
last known prices (``security.set_market_price``) so it can be valued and traded before its first live bar.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from lean_local.market_data import BaseData

if TYPE_CHECKING:
    from lean_local.securities.security import Security


class SecuritySeeder:
    """A seeder that does nothing (LEAN's ``SecuritySeeder.Null``); base of the other seeders."""

    NULL: "SecuritySeeder"

    def seed_security(self, security: "Security") -> bool:
        return True


SecuritySeeder.NULL = SecuritySeeder()


class FuncSecuritySeeder(SecuritySeeder):
    """Seeds a security with whatever ``seed_function(security)`` returns: one data point or an iterable of them.

    Canonical symbols (option and future chains) are never seeded; a function that raises or returns nothing
    leaves the security unseeded, as in LEAN, without failing the algorithm."""

    def __init__(self, seed_function: Callable[["Security"], Any]) -> None:
        self.seed_function = seed_function

    def seed_security(self, security: "Security") -> bool:
        symbol = security.symbol
        if getattr(symbol, "is_canonical", lambda: False)():
            return True
        try:
            seeded = False
            for data in _as_data_points(self.seed_function(security)):
                seeded = True
                security.set_market_price(data)
            return seeded
        except Exception:  # noqa: BLE001 - LEAN logs a failed seed and carries on
            return False


def _as_data_points(result: Any) -> Iterable[BaseData]:
    if result is None:
        return ()
    if isinstance(result, BaseData):
        return (result,)
    return [data for data in result if data is not None]


class BrokerageModelSecurityInitializer:
    """Gives a security the models of ``brokerage_model`` (fill, fee, slippage, settlement, buying power) and
    then seeds it with ``security_seeder``."""

    def __init__(self, brokerage_model: Any = None, security_seeder: SecuritySeeder | None = None) -> None:
        self.brokerage_model = brokerage_model
        self.security_seeder = security_seeder if security_seeder is not None else SecuritySeeder.NULL

    def initialize(self, security: "Security") -> None:
        apply_brokerage_models(self.brokerage_model, security)
        self.security_seeder.seed_security(security)


class CurrentBrokerageModelInitializer:
    """The default initializer: the models of whatever brokerage model the algorithm has when a security is added
    (``set_brokerage_model`` after ``add_security_initializer`` still takes effect, as in LEAN)."""

    def __init__(self, brokerage_model: Callable[[], Any]) -> None:
        self.brokerage_model = brokerage_model

    def initialize(self, security: "Security") -> None:
        apply_brokerage_models(self.brokerage_model(), security)


class FuncSecurityInitializer:
    """A plain function of the security used as an initializer."""

    def __init__(self, initializer: Callable[["Security"], None]) -> None:
        self.initializer = initializer

    def initialize(self, security: "Security") -> None:
        self.initializer(security)


class CompositeSecurityInitializer:
    """Runs several initializers in order."""

    def __init__(self, *initializers: Any) -> None:
        self.initializers: list[Any] = [as_security_initializer(i) for i in initializers]

    def add_security_initializer(self, initializer: Any) -> None:
        self.initializers.append(as_security_initializer(initializer))

    def initialize(self, security: "Security") -> None:
        for initializer in self.initializers:
            initializer.initialize(security)


def as_security_initializer(initializer: Any) -> Any:
    """An object with ``initialize(security)``: initializers pass through, functions are wrapped."""
    if hasattr(initializer, "initialize"):
        return initializer
    if callable(initializer):
        return FuncSecurityInitializer(initializer)
    raise TypeError(f"{initializer!r} is not a security initializer")


def apply_brokerage_models(brokerage_model: Any, security: "Security") -> None:
    """Set the security's models from the brokerage model (``BrokerageModelSecurityInitializer.Initialize``)."""
    security.fee_model = brokerage_model.get_fee_model(security)
    security.fill_model = brokerage_model.get_fill_model(security)
    security.slippage_model = brokerage_model.get_slippage_model(security)
    security.settlement_model = brokerage_model.get_settlement_model(security)
    security.buying_power_model = brokerage_model.get_buying_power_model(security)
