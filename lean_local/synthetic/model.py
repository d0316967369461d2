"""Daily return and volume model of the synthetic market.

Each stock's daily log return is

    r = drift + beta * m + loading * s[sector] + e

where the market factor ``m``, the sector factors ``s`` and the idiosyncratic terms ``e`` are independent
GARCH(1,1) processes (the market one with a GJR leverage term) driven by unit-variance Student-t
innovations. The variance targets come from :mod:`universe` (market 16%, sectors 15/13/17%, the
idiosyncratic part fills each stock up to its own ``annual_vol``), so the unconditional annual volatility
of every series is its target while the conditional volatility clusters and the tails are fat. Stocks of
one sector share ``s`` and so correlate more with each other than with the rest of the market.

Random streams are keyed by seed and ticker name (not by position), so adding a ticker to a universe does
not change the paths of the others.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import numpy.typing as npt

from lean_local.synthetic.universe import MARKET_VOL, SECTOR_VOLS, SyntheticTicker

TRADING_DAYS_PER_YEAR = 252
BURN_IN_DAYS = 250

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# stream tags: the second word of every SeedSequence entropy, so streams never coincide
STREAM_FACTOR = 1
STREAM_IDIOSYNCRATIC = 2
STREAM_VOLUME = 3
STREAM_INTRADAY = 4
STREAM_EXTENDED = 5
STREAM_RATES = 6


def name_key(name: str) -> int:
    """A stable 32-bit key for a name (``hash()`` is salted per process, CRC-32 is not)."""
    return zlib.crc32(name.encode("utf-8"))


def make_rng(seed: int, stream: int, *words: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, stream, *words])))


@dataclass(frozen=True)
class GarchParams:
    """sigma2[t+1] = omega + (alpha + gamma * [eps[t] < 0]) * eps[t]^2 + beta * sigma2[t]."""

    alpha: float
    beta: float
    gamma: float
    df: float

    @property
    def persistence(self) -> float:
        return self.alpha + self.beta + 0.5 * self.gamma


MARKET_GARCH = GarchParams(alpha=0.05, beta=0.88, gamma=0.10, df=6.0)
SECTOR_GARCH = GarchParams(alpha=0.06, beta=0.91, gamma=0.0, df=6.0)
IDIOSYNCRATIC_GARCH = GarchParams(alpha=0.06, beta=0.91, gamma=0.0, df=5.0)


def standard_t(rng: np.random.Generator, df: float, size: int) -> FloatArray:
    """Student-t draws scaled to unit variance."""
    draws: FloatArray = rng.standard_t(df, size) * np.sqrt((df - 2.0) / df)
    return draws


def simulate_garch(
    innovations: FloatArray, daily_var: FloatArray, params: Sequence[GarchParams], burn_in: int = BURN_IN_DAYS
) -> tuple[FloatArray, FloatArray]:
    """Run GARCH recursions for several series at once.

    ``innovations`` is (series, burn_in + days) of unit-variance draws; ``daily_var`` the unconditional daily
    variance of each series. Returns the shocks and conditional standard deviations after the burn-in.
    """
    total = innovations.shape[1]
    alpha = np.array([p.alpha for p in params])
    beta = np.array([p.beta for p in params])
    gamma = np.array([p.gamma for p in params])
    persistence = np.array([p.persistence for p in params])
    omega = daily_var * (1.0 - persistence)
    shocks = np.empty_like(innovations)
    sigmas = np.empty_like(innovations)
    var = daily_var.copy()
    for t in range(total):
        sigma = np.sqrt(var)
        eps = sigma * innovations[:, t]
        shocks[:, t] = eps
        sigmas[:, t] = sigma
        var = omega + (alpha + gamma * (eps < 0.0)) * eps * eps + beta * var
    return shocks[:, burn_in:], sigmas[:, burn_in:]


@dataclass(frozen=True)
class DailyModel:
    """Simulated daily log returns and conditional volatilities, one row per ticker."""

    returns: FloatArray  # (tickers, days)
    sigma: FloatArray  # (tickers, days) conditional daily standard deviation of the return
    market: FloatArray  # (days,) market factor shocks
    sectors: dict[str, FloatArray]


def simulate_daily(seed: int, tickers: Sequence[SyntheticTicker], days: int) -> DailyModel:
    """Daily log returns of every ticker over ``days`` sessions."""
    total = days + BURN_IN_DAYS
    sector_names = sorted({t.sector for t in tickers if not t.is_index and t.sector in SECTOR_VOLS})
    factor_names = ["market", *sector_names]
    factor_params = [MARKET_GARCH] + [SECTOR_GARCH] * len(sector_names)
    factor_vols = np.array([MARKET_VOL] + [SECTOR_VOLS[s] for s in sector_names])
    factor_draws = np.stack(
        [
            standard_t(make_rng(seed, STREAM_FACTOR, name_key(name)), params.df, total)
            for name, params in zip(factor_names, factor_params)
        ]
    )
    factor_shocks, factor_sigmas = simulate_garch(
        factor_draws, factor_vols**2 / TRADING_DAYS_PER_YEAR, factor_params
    )

    idio_params = [
        GarchParams(IDIOSYNCRATIC_GARCH.alpha, IDIOSYNCRATIC_GARCH.beta, IDIOSYNCRATIC_GARCH.gamma, t.tail_df)
        for t in tickers
    ]
    idio_draws = np.stack(
        [standard_t(make_rng(seed, STREAM_IDIOSYNCRATIC, name_key(t.ticker)), t.tail_df, total) for t in tickers]
    )
    idio_vols = np.array([t.idiosyncratic_vol() for t in tickers])
    idio_shocks, idio_sigmas = simulate_garch(idio_draws, idio_vols**2 / TRADING_DAYS_PER_YEAR, idio_params)

    returns = np.empty((len(tickers), days))
    sigma = np.empty((len(tickers), days))
    for i, t in enumerate(tickers):
        drift = (t.annual_return - 0.5 * t.annual_vol**2) / TRADING_DAYS_PER_YEAR
        ret = drift + t.beta * factor_shocks[0] + idio_shocks[i]
        var = (t.beta * factor_sigmas[0]) ** 2 + idio_sigmas[i] ** 2
        if not t.is_index and t.sector in SECTOR_VOLS:
            k = 1 + sector_names.index(t.sector)
            ret = ret + t.sector_loading * factor_shocks[k]
            var = var + (t.sector_loading * factor_sigmas[k]) ** 2
        returns[i] = ret
        sigma[i] = np.sqrt(var)
    return DailyModel(
        returns=returns,
        sigma=sigma,
        market=factor_shocks[0],
        sectors={name: factor_shocks[1 + j] for j, name in enumerate(sector_names)},
    )


def simulate_volume(seed: int, ticker: SyntheticTicker, returns: FloatArray, sigma: FloatArray) -> FloatArray:
    """Expected daily share volume (before the intraday split): busier on big moves and volatile regimes,
    with a slow persistent component (AR(1), half-life about a month)."""
    rng = make_rng(seed, STREAM_VOLUME, name_key(ticker.ticker))
    days = int(returns.shape[0])
    phi, shock_sd = 0.97, 0.08
    slow_innovations = rng.standard_normal(days) * shock_sd
    start_level = rng.standard_normal() * shock_sd / np.sqrt(1 - phi * phi)
    slow = np.empty(days)
    level = start_level
    for t, innovation in enumerate(slow_innovations.tolist()):
        level = phi * level + innovation
        slow[t] = level
    surprise = np.minimum(np.abs(returns) / sigma, 6.0) - np.sqrt(2.0 / np.pi)
    regime = np.log(sigma * np.sqrt(TRADING_DAYS_PER_YEAR) / ticker.annual_vol)
    noise = rng.standard_normal(days) * 0.2
    log_volume = np.clip(0.35 * surprise + 0.6 * regime + slow + noise, -1.2, 2.3)
    volume: FloatArray = ticker.avg_volume * np.exp(log_volume - 0.5 * (0.2**2 + 0.33**2))
    return volume
