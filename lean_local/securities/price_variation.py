"""Minimum price variation models: the tick size order prices are rounded to (LEAN's ``IPriceVariationModel``).

LEAN gives an equity on adjusted (the default) prices a model with no tick at all, so limit and stop prices are
left as the algorithm computed them; raw-price equities get the $0.01 tick ($0.0001 below $1); everything else
uses the symbol-properties tick.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lean_local.enums import DataNormalizationMode, SecurityType

if TYPE_CHECKING:
    from lean_local.securities.security import Security

_SUB_DOLLAR_TICK = Decimal("0.0001")


class GetMinimumPriceVariationParameters:
    """The security and the price being rounded (the equity tick depends on it)."""

    def __init__(self, security: "Security", reference_price: Decimal) -> None:
        self.security = security
        self.reference_price = reference_price


class SecurityPriceVariationModel:
    """The tick from the symbol-properties database."""

    def get_minimum_price_variation(self, parameters: GetMinimumPriceVariationParameters) -> Decimal:
        value: Decimal = parameters.security.symbol_properties.minimum_price_variation
        return value


class EquityPriceVariationModel(SecurityPriceVariationModel):
    """US equities on raw prices: $0.0001 below one dollar, else the symbol-properties tick."""

    def get_minimum_price_variation(self, parameters: GetMinimumPriceVariationParameters) -> Decimal:
        if parameters.security.type != SecurityType.EQUITY:
            raise ValueError(
                "EquityPriceVariationModel.GetMinimumPriceVariation(): Invalid SecurityType: "
                + "".join(part.capitalize() for part in parameters.security.type.name.split("_"))
            )
        if parameters.reference_price < 1:
            return _SUB_DOLLAR_TICK
        return super().get_minimum_price_variation(parameters)


class AdjustedPriceVariationModel:
    """Adjusted prices are not exchange prices, so there is no tick to round to."""

    def get_minimum_price_variation(self, parameters: GetMinimumPriceVariationParameters) -> Decimal:
        return Decimal(0)


def default_price_variation_model(security: "Security") -> Any:
    """The model LEAN assigns when the security is created: equities by normalization mode, others by tick."""
    if security.type == SecurityType.EQUITY:
        if security.data_normalization_mode == DataNormalizationMode.RAW:
            return EquityPriceVariationModel()
        return AdjustedPriceVariationModel()
    return SecurityPriceVariationModel()


def minimum_price_variation(security: "Security", reference_price: Decimal) -> Decimal:
    """The tick for ``reference_price``: the security's own model, else the default for its type and mode."""
    model = getattr(security, "price_variation_model", None) or default_price_variation_model(security)
    value = model.get_minimum_price_variation(GetMinimumPriceVariationParameters(security, reference_price))
    if isinstance(value, Decimal):
        return value
    from lean_local.csharp import to_decimal

    return to_decimal(value)
