"""The synthetic securities: their model parameters and corporate actions, and the default universe.

Every name here is made up. Apart from ``SPY`` (kept so LEAN's default benchmark resolves, but it is a
*synthetic* index fund, not the SPDR S&P 500 ETF) all tickers are six letters starting with ``SYN``:
US exchanges list at most five letters, so they cannot be mistaken for a real security.

Event dates are given either as a calendar date (the first trading day on or after it is used) or as a
fraction in ``[0, 1)`` of the generated span's trading days, so the default universe keeps all of its
corporate actions inside any span the caller asks for.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: Annualised volatility of the market factor (and so, roughly, of the synthetic index fund).
MARKET_VOL = 0.16
#: Annualised volatility of each sector factor.
SECTOR_VOLS: dict[str, float] = {"Technology": 0.15, "Financials": 0.13, "Energy": 0.17}

EventTime = date | float


@dataclass(frozen=True)
class SplitSpec:
    """A forward split: ``ratio`` new shares for each old one; the raw price divides by ``ratio``.

    ``when`` is the ex-date, the first session that trades at the split price.
    """

    when: EventTime
    ratio: int


@dataclass(frozen=True)
class RenameSpec:
    """The security traded as ``old_ticker`` until the session before ``when``; from ``when`` it trades
    under the ticker of its :class:`SyntheticTicker`."""

    when: EventTime
    old_ticker: str


@dataclass(frozen=True)
class SyntheticTicker:
    """One synthetic security. ``ticker`` is its last ticker (the name of its map and factor files)."""

    ticker: str
    name: str
    sector: str
    start_price: float
    annual_vol: float
    beta: float = 1.0
    sector_loading: float = 1.0
    annual_return: float = 0.08
    avg_volume: int = 2_000_000
    spread_bps: float = 4.0
    exchange: str = "Q"
    dividend_yield: float = 0.0
    #: months of the quarterly ex-dividend dates
    dividend_months: tuple[int, ...] = (2, 5, 8, 11)
    #: ex-date: the first trading day on or after this day of the month; None = the month's third Friday
    #: (or the trading day before it when that Friday is a holiday)
    dividend_day: int | None = 10
    splits: tuple[SplitSpec, ...] = ()
    rename: RenameSpec | None = None
    #: first trading day (an IPO inside the span); None = listed for the whole span
    listed: EventTime | None = None
    #: last trading day (the map file ends there); None = still listed at the end
    delisted: EventTime | None = None
    #: True for the index fund: it follows the market factor (sector is ignored) with a tiny tracking error
    is_index: bool = False
    #: Student-t degrees of freedom of the idiosyncratic innovations
    tail_df: float = 5.0

    def idiosyncratic_vol(self) -> float:
        """Annualised idiosyncratic volatility needed to reach ``annual_vol`` given the factor loadings."""
        systematic = (self.beta * MARKET_VOL) ** 2
        if not self.is_index:
            systematic += (self.sector_loading * SECTOR_VOLS.get(self.sector, 0.0)) ** 2
        remaining = self.annual_vol**2 - systematic
        if remaining <= 0:
            raise ValueError(
                f"{self.ticker}: annual_vol {self.annual_vol} is below its systematic volatility "
                f"{systematic ** 0.5:.4f}; lower beta/sector_loading or raise annual_vol"
            )
        return float(remaining**0.5)

    def all_tickers(self) -> tuple[str, ...]:
        """Every ticker the security used, oldest first."""
        if self.rename is None:
            return (self.ticker,)
        return (self.rename.old_ticker, self.ticker)


def default_universe() -> tuple[SyntheticTicker, ...]:
    """SPY (synthetic index fund) and ten fictional stocks in three sectors.

    Corporate actions: SYNCHP splits 2:1 and SYNSFT 3:1; SPY, SYNCHP, SYNBNK, SYNINS, SYNOIL, SYNGAS and
    SYNPWR pay quarterly dividends; SYNCLD traded as SYNNET before its rename; SYNPAY lists a quarter of the
    way into the span; SYNGAS is delisted (taken over) 70% of the way in.
    """
    return (
        SyntheticTicker(
            "SPY", "Synthetic Broad Market Index Fund (NOT the SPDR S&P 500 ETF)", "Index",
            start_price=205.0, annual_vol=0.161, beta=1.0, annual_return=0.085,
            avg_volume=80_000_000, spread_bps=0.2, exchange="P", dividend_yield=0.018,
            dividend_months=(3, 6, 9, 12), dividend_day=None, is_index=True, tail_df=6.0,
        ),
        SyntheticTicker(
            "SYNCHP", "Synthetic Chipworks Inc", "Technology",
            start_price=118.0, annual_vol=0.38, beta=1.3, annual_return=0.14,
            avg_volume=9_000_000, spread_bps=2.5, dividend_yield=0.008, dividend_months=(3, 6, 9, 12),
            splits=(SplitSpec(0.42, 2),),
        ),
        SyntheticTicker(
            "SYNSFT", "Synthetic Softworks Corp", "Technology",
            start_price=162.0, annual_vol=0.31, beta=1.15, annual_return=0.15,
            avg_volume=6_000_000, spread_bps=2.0, splits=(SplitSpec(0.63, 3),),
        ),
        SyntheticTicker(
            "SYNCLD", "Synthetic Cloudline Networks", "Technology",
            start_price=41.0, annual_vol=0.42, beta=1.25, annual_return=0.12,
            avg_volume=4_000_000, spread_bps=5.0, rename=RenameSpec(0.5, "SYNNET"),
        ),
        SyntheticTicker(
            "SYNBNK", "Synthetic Bancorp", "Financials",
            start_price=58.0, annual_vol=0.27, beta=1.1, annual_return=0.09,
            avg_volume=12_000_000, spread_bps=2.5, exchange="N", dividend_yield=0.03,
        ),
        SyntheticTicker(
            "SYNINS", "Synthetic Mutual Insurance Group", "Financials",
            start_price=84.0, annual_vol=0.22, beta=0.85, sector_loading=0.9, annual_return=0.08,
            avg_volume=3_000_000, spread_bps=3.5, exchange="N", dividend_yield=0.025,
            dividend_months=(1, 4, 7, 10), dividend_day=20,
        ),
        SyntheticTicker(
            "SYNPAY", "Synthetic Payments Holdings", "Financials",
            start_price=36.0, annual_vol=0.36, beta=1.2, annual_return=0.13,
            avg_volume=5_000_000, spread_bps=4.5, listed=0.25,
        ),
        SyntheticTicker(
            "SYNOIL", "Synthetic Petroleum Corp", "Energy",
            start_price=72.0, annual_vol=0.30, beta=0.95, annual_return=0.07,
            avg_volume=10_000_000, spread_bps=3.0, exchange="N", dividend_yield=0.04,
            dividend_months=(2, 5, 8, 11), dividend_day=15,
        ),
        SyntheticTicker(
            "SYNGAS", "Synthetic Gas Transmission Partners", "Energy",
            start_price=27.0, annual_vol=0.28, beta=0.8, annual_return=0.07,
            avg_volume=2_500_000, spread_bps=6.0, exchange="N", dividend_yield=0.05,
            dividend_months=(1, 4, 7, 10), dividend_day=5, delisted=0.7,
        ),
        SyntheticTicker(
            "SYNPWR", "Synthetic Power & Light", "Energy",
            start_price=49.0, annual_vol=0.20, beta=0.6, sector_loading=0.7, annual_return=0.065,
            avg_volume=3_500_000, spread_bps=3.5, exchange="N", dividend_yield=0.035,
            dividend_months=(3, 6, 9, 12), dividend_day=1,
        ),
        SyntheticTicker(
            "SYNSUN", "Synthetic Solar Systems", "Energy",
            start_price=22.0, annual_vol=0.45, beta=1.35, sector_loading=1.2, annual_return=0.14,
            avg_volume=7_000_000, spread_bps=8.0,
        ),
    )
