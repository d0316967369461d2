"""Where LEAN keeps each kind of data inside a data folder (rules of LEAN's ``LeanData`` path helpers).

Tickers in paths are the *mapped* ticker of the day (see ``map_files``), lower-cased. Equity daily and hour
data live in one zip per ticker; finer resolutions in one zip per day and tick type.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from lean_local.csharp import normalize
from lean_local.enums import OptionRight, OptionStyle, Resolution, TickType

USA = "usa"

_TICK_TYPE_FILE = {TickType.TRADE: "trade", TickType.QUOTE: "quote", TickType.OPEN_INTEREST: "openinterest"}
# the equity tick entry uses the C# enum names verbatim (``{tickType}_{resolution}``)
_TICK_TYPE_NAME = {TickType.TRADE: "Trade", TickType.QUOTE: "Quote", TickType.OPEN_INTEREST: "OpenInterest"}
_RESOLUTION_FILE = {
    Resolution.TICK: "tick",
    Resolution.SECOND: "second",
    Resolution.MINUTE: "minute",
    Resolution.HOUR: "hour",
    Resolution.DAILY: "daily",
}
_STYLE_FILE = {OptionStyle.AMERICAN: "american", OptionStyle.EUROPEAN: "european"}
_RIGHT_FILE = {OptionRight.CALL: "call", OptionRight.PUT: "put"}


def tick_type_name(tick_type: TickType) -> str:
    """The lower-case tick type LEAN writes in file names (``trade``, ``quote``, ``openinterest``)."""
    return _TICK_TYPE_FILE[TickType(tick_type)]


def resolution_name(resolution: Resolution) -> str:
    return _RESOLUTION_FILE[Resolution(resolution)]


def is_hour_or_daily(resolution: Resolution) -> bool:
    return Resolution(resolution) in (Resolution.HOUR, Resolution.DAILY)


def yyyymmdd(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def scaled_strike(strike: Decimal | int | str) -> str:
    """Strike as it appears in option entry names: strike × 10000, trailing zeros dropped (750 → 7500000)."""
    value = normalize(Decimal(strike) * 10000)
    return format(value, "f")


class DataFolder:
    """A LEAN data folder (the ``Data/`` directory of a LEAN checkout or of ``lean init``)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"DataFolder({str(self.root)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DataFolder) and other.root == self.root

    def __hash__(self) -> int:
        return hash(self.root)

    # ----- global databases -------------------------------------------------------------------------------
    def market_hours_database(self) -> Path:
        return self.root / "market-hours" / "market-hours-database.json"

    def symbol_properties_database(self) -> Path:
        return self.root / "symbol-properties" / "symbol-properties-database.csv"

    def interest_rate(self) -> Path:
        return self.root / "alternative" / "interest-rate" / "usa" / "interest-rate.csv"

    # ----- equities -----------------------------------------------------------------------------------------
    def equity_dir(self, resolution: Resolution, market: str = USA) -> Path:
        return self.root / "equity" / market.lower() / resolution_name(resolution)

    def equity_zip(
        self,
        ticker: str,
        resolution: Resolution,
        day: date | None = None,
        tick_type: TickType = TickType.TRADE,
        market: str = USA,
    ) -> Path:
        """``equity/usa/{daily,hour}/<ticker>.zip`` or ``equity/usa/<res>/<ticker>/<yyyyMMdd>_<type>.zip``."""
        directory = self.equity_dir(resolution, market)
        if is_hour_or_daily(resolution):
            return directory / f"{ticker.lower()}.zip"
        if day is None:
            raise ValueError(f"a date is needed for {resolution_name(resolution)} equity data")
        return directory / ticker.lower() / f"{yyyymmdd(day)}_{tick_type_name(tick_type)}.zip"

    @staticmethod
    def equity_zip_entry(
        ticker: str, resolution: Resolution, day: date | None = None, tick_type: TickType = TickType.TRADE
    ) -> str:
        """The csv inside an equity zip: ``<ticker>.csv`` or ``<yyyyMMdd>_<ticker>_minute_<type>.csv``."""
        low = ticker.lower()
        if is_hour_or_daily(resolution):
            return f"{low}.csv"
        if day is None:
            raise ValueError(f"a date is needed for {resolution_name(resolution)} equity data")
        if Resolution(resolution) == Resolution.TICK:
            return f"{yyyymmdd(day)}_{low}_{_TICK_TYPE_NAME[TickType(tick_type)]}_Tick.csv"
        return f"{yyyymmdd(day)}_{low}_{resolution_name(resolution)}_{tick_type_name(tick_type)}.csv"

    def equity_daily_zip(self, ticker: str, market: str = USA) -> Path:
        return self.equity_zip(ticker, Resolution.DAILY, market=market)

    def equity_hour_zip(self, ticker: str, market: str = USA) -> Path:
        return self.equity_zip(ticker, Resolution.HOUR, market=market)

    def equity_minute_zip(self, ticker: str, day: date, tick_type: TickType = TickType.TRADE, market: str = USA) -> Path:
        return self.equity_zip(ticker, Resolution.MINUTE, day, tick_type, market)

    def equity_ticker_dir(self, ticker: str, resolution: Resolution = Resolution.MINUTE, market: str = USA) -> Path:
        """Folder holding the per-day zips of one ticker (minute, second, tick)."""
        return self.equity_dir(resolution, market) / ticker.lower()

    def factor_files_dir(self, market: str = USA) -> Path:
        return self.root / "equity" / market.lower() / "factor_files"

    def factor_file(self, permtick: str, market: str = USA) -> Path:
        """Factor files are named by the map file's permtick (``aaa.1.csv``), not by today's ticker."""
        return self.factor_files_dir(market) / f"{permtick.lower()}.csv"

    def map_files_dir(self, market: str = USA) -> Path:
        return self.root / "equity" / market.lower() / "map_files"

    def map_file(self, permtick: str, market: str = USA) -> Path:
        return self.map_files_dir(market) / f"{permtick.lower()}.csv"

    def coarse_fundamental_dir(self, market: str = USA) -> Path:
        return self.root / "equity" / market.lower() / "fundamental" / "coarse"

    def coarse_fundamental(self, day: date, market: str = USA) -> Path:
        return self.coarse_fundamental_dir(market) / f"{yyyymmdd(day)}.csv"

    # ----- equity options -----------------------------------------------------------------------------------
    def option_dir(self, resolution: Resolution = Resolution.MINUTE, market: str = USA) -> Path:
        return self.root / "option" / market.lower() / resolution_name(resolution)

    def option_zip(
        self,
        underlying: str,
        day: date,
        tick_type: TickType,
        resolution: Resolution = Resolution.MINUTE,
        style: OptionStyle = OptionStyle.AMERICAN,
        market: str = USA,
    ) -> Path:
        """``option/usa/minute/<underlying>/<yyyyMMdd>_<type>_<style>.zip`` (hour/daily: one zip per year)."""
        directory = self.option_dir(resolution, market)
        kind = tick_type_name(tick_type)
        style_name = _STYLE_FILE[OptionStyle(style)]
        if is_hour_or_daily(resolution):
            return directory / f"{underlying.lower()}_{day.year}_{kind}_{style_name}.zip"
        return directory / underlying.lower() / f"{yyyymmdd(day)}_{kind}_{style_name}.zip"

    @staticmethod
    def option_zip_entry(
        underlying: str,
        day: date,
        tick_type: TickType,
        right: OptionRight,
        strike: Decimal | int | str,
        expiry: date,
        resolution: Resolution = Resolution.MINUTE,
        style: OptionStyle = OptionStyle.AMERICAN,
    ) -> str:
        """``<yyyyMMdd>_<underlying>_minute_<type>_<style>_<right>_<strike×10000>_<expiry>.csv``."""
        parts = [
            underlying.lower(),
            tick_type_name(tick_type),
            _STYLE_FILE[OptionStyle(style)],
            _RIGHT_FILE[OptionRight(right)],
            scaled_strike(strike),
            yyyymmdd(expiry),
        ]
        if not is_hour_or_daily(resolution):
            parts.insert(0, yyyymmdd(day))
            parts.insert(2, resolution_name(resolution))
        return "_".join(parts) + ".csv"

    def option_universes_dir(self, underlying: str, market: str = USA) -> Path:
        return self.root / "option" / market.lower() / "universes" / underlying.lower()

    def option_universe(self, underlying: str, day: date, market: str = USA) -> Path:
        """Daily option chain file ``option/usa/universes/<underlying>/<yyyyMMdd>.csv``."""
        return self.option_universes_dir(underlying, market) / f"{yyyymmdd(day)}.csv"
