"""Intraday paths: regular-session minute bars for every session, hour and daily bars aggregated from them,
and, for the minute-data sessions, pre/post-market trade rows and quote bars.

Every session is simulated minute by minute, so the hour and daily bars are always exact aggregates of
minute bars (also on the sessions whose minute files are not written): open of the first minute, highest
high, lowest low, close of the last minute, summed volume. The minute closes follow a Brownian bridge in
log price from the session open to the session close, with a U-shaped intraday variance profile; volume
follows a U-shaped profile with log-normal noise. Prices are whole cents, held as int64 deci-cents.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

CENT = 100  # deci-cents
LOT = 100  # shares in a round lot
OPEN_MINUTE = 9 * 60 + 30  # 09:30 in minutes after midnight
PRE_MARKET_START = 4 * 60  # 04:00
POST_MARKET_END = 20 * 60  # 20:00
REGULAR_MINUTES = 390  # 09:30-16:00
EARLY_CLOSE_MINUTES = 210  # 09:30-13:00
PRE_MARKET_MINUTES = OPEN_MINUTE - PRE_MARKET_START
MS_PER_MINUTE = 60_000

#: share of a session's close-to-close variance that happens between the open and the close
INTRADAY_VARIANCE_SHARE = 0.6
#: overnight gap = GAP_RETURN_SHARE * r + GAP_NOISE * sigma * N(0, 1)
GAP_RETURN_SHARE = 0.3
GAP_NOISE = 0.3


def variance_profile(minutes: int) -> FloatArray:
    """Fraction of the session's price variance in each minute: high after the open, rising into the close."""
    k = np.arange(minutes, dtype=np.float64)
    last = minutes - 1
    weights = 1.0 + 2.0 * np.exp(-k / 20.0) + 0.8 * np.exp(-(last - k) / 15.0)
    result: FloatArray = weights / weights.sum()
    return result


def volume_profile(minutes: int) -> FloatArray:
    """Fraction of the session's volume in each minute: the familiar U shape with a closing spike."""
    k = np.arange(minutes, dtype=np.float64)
    last = minutes - 1
    weights = 1.0 + 3.0 * np.exp(-k / 25.0) + 2.5 * np.exp(-(last - k) / 12.0)
    result: FloatArray = weights / weights.sum()
    return result


def hour_starts(minutes: int) -> IntArray:
    """Minute offsets (from 09:30) where each hour bar starts: 09:30, 10:00, 11:00, ..."""
    starts = [0] + list(range(30, minutes, 60))
    return np.array(starts, dtype=np.int64)


def hour_labels(minutes: int) -> list[int]:
    """Clock hour of each hour bar (LEAN stamps hour bars with the start of their hour: 9, 10, ...)."""
    return [(OPEN_MINUTE + int(s)) // 60 for s in hour_starts(minutes)]


def to_deci_cents(prices: FloatArray) -> IntArray:
    cents = np.maximum(np.rint(prices * 100.0), 1.0)
    result: IntArray = (cents * CENT).astype(np.int64)
    return result


@dataclass
class Bars:
    """OHLCV arrays (int64, prices in deci-cents) of the same shape."""

    open: IntArray
    high: IntArray
    low: IntArray
    close: IntArray
    volume: IntArray

    def take(self, index: IntArray | slice | int) -> "Bars":
        return Bars(
            self.open[index], self.high[index], self.low[index], self.close[index], self.volume[index]
        )

    def stack(self) -> IntArray:
        """(rows, 5) array: open, high, low, close, volume."""
        return np.stack([self.open, self.high, self.low, self.close, self.volume], axis=-1)


def session_opens(base: FloatArray, returns: FloatArray, sigma: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Session opens in dollars: the previous close (in today's share terms) moved by an overnight gap."""
    gap = GAP_RETURN_SHARE * returns + GAP_NOISE * sigma * rng.standard_normal(returns.shape[0])
    opens: FloatArray = base * np.exp(gap)
    return opens


def simulate_sessions(
    rng: np.random.Generator,
    opens: IntArray,
    closes: IntArray,
    sigma: FloatArray,
    volume: FloatArray,
    minutes: int,
) -> Bars:
    """Minute bars (days, minutes) of regular sessions from each session's open to its close.

    ``sigma`` is the close-to-close daily standard deviation, ``volume`` the expected session volume.
    """
    days = opens.shape[0]
    var_w = variance_profile(minutes)
    step_sd = (np.sqrt(INTRADAY_VARIANCE_SHARE) * sigma)[:, None] * np.sqrt(var_w)[None, :]
    x0 = np.log(opens / 10_000.0)[:, None]
    x1 = np.log(closes / 10_000.0)[:, None]
    walk = np.cumsum(rng.standard_normal((days, minutes)) * step_sd, axis=1)
    fraction = np.cumsum(var_w)
    fraction /= fraction[-1]
    path = x0 + walk - fraction[None, :] * (walk[:, -1:] - (x1 - x0))
    close = to_deci_cents(np.exp(path))
    close[:, -1] = closes
    open_ = np.empty_like(close)
    open_[:, 0] = opens
    open_[:, 1:] = close[:, :-1]
    top = np.maximum(open_, close)
    bottom = np.minimum(open_, close)
    reach_up = np.exp(0.35 * step_sd * rng.standard_exponential((days, minutes)))
    reach_down = np.exp(-0.35 * step_sd * rng.standard_exponential((days, minutes)))
    high = np.maximum(to_deci_cents(top / 10_000.0 * reach_up), top)
    low = np.minimum(to_deci_cents(bottom / 10_000.0 * reach_down), bottom)
    noise = np.exp(0.5 * rng.standard_normal((days, minutes)) - 0.125)
    vol = np.maximum(np.rint(volume[:, None] * volume_profile(minutes)[None, :] * noise), 1.0).astype(np.int64)
    return Bars(open_, high, low, close, vol)


def aggregate_hours(minute_bars: Bars, minutes: int) -> Bars:
    """Hour bars (days, hours) from minute bars (days, minutes)."""
    starts = hour_starts(minutes)
    ends = np.append(starts[1:], minutes) - 1
    return Bars(
        minute_bars.open[:, starts],
        np.maximum.reduceat(minute_bars.high, starts, axis=1),
        np.minimum.reduceat(minute_bars.low, starts, axis=1),
        minute_bars.close[:, ends],
        np.add.reduceat(minute_bars.volume, starts, axis=1),
    )


def aggregate_days(minute_bars: Bars) -> Bars:
    """Daily bars (days,) from minute bars (days, minutes)."""
    return Bars(
        minute_bars.open[:, 0],
        minute_bars.high.max(axis=1),
        minute_bars.low.min(axis=1),
        minute_bars.close[:, -1],
        minute_bars.volume.sum(axis=1),
    )


# ----- extended hours and quotes (minute-data sessions only) ------------------------------------------------


@dataclass(frozen=True)
class Liquidity:
    """How busy a security is outside the regular session, and its quote sizes."""

    extended_trade_probability: float
    extended_volume: float  # mean shares per extended-hours trade row
    quote_lots: float  # mean quote size in 100-share lots
    spread_bps: float

    @staticmethod
    def for_volume(avg_volume: float, spread_bps: float) -> "Liquidity":
        busy = float(np.log10(max(avg_volume, 1.0) / 1e6))
        return Liquidity(
            extended_trade_probability=float(np.clip(0.5 * busy - 0.15, 0.03, 0.85)),
            extended_volume=max(100.0, avg_volume * 4e-5),
            quote_lots=float(np.clip(avg_volume / 4e5, 1.0, 150.0)),
            spread_bps=spread_bps,
        )


def _bridge(rng: np.random.Generator, start: float, end: float | None, steps: int, sd: float) -> FloatArray:
    """Log-price path of ``steps + 1`` points from ``start``; pinned to ``end`` when given."""
    walk = np.concatenate([[0.0], np.cumsum(rng.standard_normal(steps) * sd)])
    if end is not None:
        walk = walk - np.linspace(0.0, 1.0, steps + 1) * (walk[-1] - (end - start))
    result: FloatArray = start + walk
    return result


def _path_bars(rng: np.random.Generator, path: FloatArray, sd: float) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    prices = to_deci_cents(np.exp(path))
    open_, close = prices[:-1], prices[1:]
    steps = open_.shape[0]
    top = np.maximum(open_, close)
    bottom = np.minimum(open_, close)
    high = np.maximum(to_deci_cents(top / 10_000.0 * np.exp(0.3 * sd * rng.standard_exponential(steps))), top)
    low = np.minimum(to_deci_cents(bottom / 10_000.0 * np.exp(-0.3 * sd * rng.standard_exponential(steps))), bottom)
    return open_, high, low, close


@dataclass
class ExtendedSession:
    """Rows outside the regular session of one day: minute of day and OHLC for trades and quotes."""

    trade_minutes: IntArray
    trades: Bars
    quote_minutes: IntArray
    quote_prices: Bars  # quote mid OHLC (volume unused)


def simulate_extended(
    rng: np.random.Generator,
    base: float,
    open_: int,
    close: int,
    sigma: float,
    liquidity: Liquidity,
    post_market: bool,
) -> ExtendedSession:
    """Sparse pre-market rows (04:00-09:29) drifting from the previous close to the open and, on full
    sessions, post-market rows (16:00-19:59) wandering from the close. Volume is thin."""
    pre_sd = 0.25 * sigma / np.sqrt(PRE_MARKET_MINUTES)
    pre = _bridge(rng, float(np.log(base)), float(np.log(open_ / 10_000.0)), PRE_MARKET_MINUTES, pre_sd)
    k = np.arange(PRE_MARKET_MINUTES, dtype=np.float64)
    pre_shape = 0.4 + 1.2 * (k / (PRE_MARKET_MINUTES - 1)) ** 2
    shapes = [pre_shape / pre_shape.mean()]
    minutes = [PRE_MARKET_START + np.arange(PRE_MARKET_MINUTES, dtype=np.int64)]
    paths = [(pre, pre_sd)]
    if post_market:
        post_minutes = POST_MARKET_END - (OPEN_MINUTE + REGULAR_MINUTES)
        post_sd = 0.2 * sigma / np.sqrt(post_minutes)
        post = _bridge(rng, float(np.log(close / 10_000.0)), None, post_minutes, post_sd)
        j = np.arange(post_minutes, dtype=np.float64)
        post_shape = 0.3 + 2.5 * np.exp(-j / 15.0)
        shapes.append(0.6 * post_shape / post_shape.mean())
        minutes.append(OPEN_MINUTE + REGULAR_MINUTES + np.arange(post_minutes, dtype=np.int64))
        paths.append((post, post_sd))

    bars = [_path_bars(rng, path, sd) for path, sd in paths]
    o, h, l, c = (np.concatenate([b[i] for b in bars]) for i in range(4))
    minute = np.concatenate(minutes)
    shape = np.concatenate(shapes)
    p_trade = np.minimum(liquidity.extended_trade_probability * shape, 0.98)
    traded = rng.random(minute.shape[0]) < p_trade
    quoted = traded | (rng.random(minute.shape[0]) < np.minimum(2.5 * p_trade, 0.98))
    volume = np.maximum(
        np.rint(liquidity.extended_volume * np.exp(rng.standard_normal(minute.shape[0]) - 0.5)), 1.0
    ).astype(np.int64)
    trades = Bars(o[traded], h[traded], l[traded], c[traded], volume[traded])
    quotes = Bars(o[quoted], h[quoted], l[quoted], c[quoted], np.zeros(int(quoted.sum()), dtype=np.int64))
    return ExtendedSession(minute[traded], trades, minute[quoted], quotes)


def quote_rows(rng: np.random.Generator, prices: Bars, liquidity: Liquidity, spread_scale: float) -> IntArray:
    """Quote bar rows (n, 10): bid open/high/low/close, last bid size, ask open/high/low/close, last ask size.

    Bids sit ``ceil(spread / 2)`` below the trade prices and asks one spread above the bids, so every
    trade price lies inside the quoted market. The spread is whole cents, at least one.
    """
    n = prices.open.shape[0]
    mid_dollars = prices.close / 10_000.0
    spread_cents = np.maximum(
        np.rint(mid_dollars * liquidity.spread_bps / 100.0 * spread_scale * np.exp(0.35 * rng.standard_normal(n) - 0.06)),
        1.0,
    ).astype(np.int64)
    half = (spread_cents + 1) // 2 * CENT
    spread = spread_cents * CENT
    bids = [np.maximum(p - half, CENT) for p in (prices.open, prices.high, prices.low, prices.close)]
    asks = [b + spread for b in bids]
    lots = np.maximum(liquidity.quote_lots / max(spread_scale, 1.0), 1.0)
    bid_size = LOT * np.ceil(lots * np.exp(rng.standard_normal(n) - 0.5)).astype(np.int64)
    ask_size = LOT * np.ceil(lots * np.exp(rng.standard_normal(n) - 0.5)).astype(np.int64)
    return np.stack([*bids, bid_size, *asks, ask_size], axis=1)
