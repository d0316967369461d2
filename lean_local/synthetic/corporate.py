"""Corporate actions of a synthetic security: event dates, the raw (unadjusted) close path, and the factor
and map file rows LEAN would hold for it.

Conventions (LEAN's, see ``CorporateFactorRow``/``CorporateFactorProvider`` and ``MapFile``):

* Data files hold raw prices. On a split's ex-date the raw price divides by the ratio; on a dividend's
  ex-date it drops by the distribution. Our total-return path is unaffected: with ``C`` the raw close of
  the session before the ex-date, the raw path after the event is scaled by ``(C - D) / C`` (dividend) or
  ``1 / ratio`` (split), which is exactly what LEAN's factors undo.
* A factor file row is dated the session *before* the ex-date and carries the factors for that date and
  back to the previous row, plus ``C`` as reference price. Rows are built from the newest backwards: the
  sentinel ``20501231,1,1,0``, then for each event ``price_factor *= (C - D) / C`` or
  ``split_factor *= 1 / ratio``. The first row is dated the first session of data with the oldest factors
  and reference price 1. Numbers print as LEAN prints them: price factor rounded to 7 places, split factor
  to 8, reference price to 4 and normalised.
* A map file row says "up to and including this date the security traded as this ticker": first session,
  last session before each rename, then ``20501231`` with the current ticker -- or the delisting date
  (the last session with data) instead of ``20501231`` for a delisted security.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext

import numpy as np

from lean_local.csharp import DECIMAL_CONTEXT, decimal_to_string, normalize, round_decimal
from lean_local.synthetic import calendar
from lean_local.synthetic.intraday import CENT, to_deci_cents
from lean_local.synthetic.universe import EventTime, SyntheticTicker

END_OF_TIME = date(2050, 12, 31)
DECI_CENTS_PER_DOLLAR = 10_000


class SyntheticMarketError(ValueError):
    """The synthetic market cannot be generated as asked (bad parameters or output folder)."""


def resolve_event(when: EventTime, days: list[date]) -> int | None:
    """Index of the session an event happens on: a fraction of the span, or the first session on/after a
    date. None when that is outside the span."""
    if isinstance(when, float):
        if not 0.0 <= when < 1.0:
            raise SyntheticMarketError(f"event fraction {when} must be in [0, 1)")
        return min(int(when * len(days)), len(days) - 1)
    index = bisect.bisect_left(days, when)
    return index if index < len(days) else None


def _third_friday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(4 - first.weekday()) % 7 + 14)


def dividend_ex_dates(ticker: SyntheticTicker, first: date, last: date) -> list[date]:
    """Quarterly ex-dividend sessions of ``ticker`` strictly after ``first`` and up to ``last``."""
    if ticker.dividend_yield <= 0:
        return []
    out: list[date] = []
    for year in range(first.year, last.year + 1):
        for month in ticker.dividend_months:
            if ticker.dividend_day is None:
                ex = _third_friday(year, month)
                while not calendar.is_trading_day(ex):
                    ex -= timedelta(days=1)
            else:
                ex = date(year, month, min(ticker.dividend_day, 28))
                while not calendar.is_trading_day(ex):
                    ex += timedelta(days=1)
            if first < ex <= last:
                out.append(ex)
    return sorted(out)


@dataclass(frozen=True)
class SplitEvent:
    index: int  # ex-date session index in the span
    ratio: int
    reference_price: int = 0  # raw close (deci-cents) of the session before the ex-date


@dataclass(frozen=True)
class DividendEvent:
    index: int
    amount_cents: int
    reference_price: int = 0


@dataclass(frozen=True)
class TickerPlan:
    """Where a security's life and events fall in the span (indices into the list of sessions)."""

    ticker: SyntheticTicker
    first: int
    last: int
    rename_index: int | None  # first session under the new ticker
    split_indices: tuple[tuple[int, int], ...]  # (ex index, ratio)
    dividend_indices: tuple[int, ...]
    delisted: bool  # the map file ends at ``last`` instead of 20501231

    def symbol_at(self, index: int) -> str:
        if self.rename_index is not None and index < self.rename_index and self.ticker.rename is not None:
            return self.ticker.rename.old_ticker
        return self.ticker.ticker


def plan_ticker(ticker: SyntheticTicker, days: list[date]) -> TickerPlan | None:
    """Resolve a security's listing, delisting, rename and events; None if it has no session in the span."""
    n = len(days)
    first = 0
    if ticker.listed is not None:
        resolved = resolve_event(ticker.listed, days)
        if resolved is None:
            return None
        first = resolved
    last = n - 1
    delisted = False
    if ticker.delisted is not None:
        resolved = resolve_event(ticker.delisted, days)
        if resolved is not None:
            last, delisted = resolved, True
    if last <= first:
        raise SyntheticMarketError(f"{ticker.ticker}: delisting must come after listing inside the span")

    def inside(when: EventTime) -> int | None:
        index = resolve_event(when, days)
        return index if index is not None and first < index <= last else None

    rename_index = inside(ticker.rename.when) if ticker.rename is not None else None
    splits = []
    for split in ticker.splits:
        if split.ratio < 2:
            raise SyntheticMarketError(f"{ticker.ticker}: split ratio must be an integer >= 2")
        index = inside(split.when)
        if index is not None:
            splits.append((index, split.ratio))
    splits.sort()
    split_at = {index for index, _ in splits}
    dividends = []
    for ex in dividend_ex_dates(ticker, days[first], days[last]):
        index = bisect.bisect_left(days, ex)
        while index in split_at and index < last:
            index += 1  # keep a dividend off a split's ex-date
        if index not in split_at:
            dividends.append(index)
    return TickerPlan(
        ticker=ticker,
        first=first,
        last=last,
        rename_index=rename_index,
        split_indices=tuple(splits),
        dividend_indices=tuple(sorted(set(dividends))),
        delisted=delisted,
    )


@dataclass(frozen=True)
class RawPath:
    closes: np.ndarray  # int64 deci-cents, sessions first..last of the plan
    base: np.ndarray  # float dollars: previous close in today's share terms (after today's event)
    splits: tuple[SplitEvent, ...]
    dividends: tuple[DividendEvent, ...]
    share_multiplier: np.ndarray  # float, cumulative split ratio (scales share volume)


def raw_close_path(plan: TickerPlan, returns: np.ndarray, days: list[date]) -> RawPath:
    """Raw closes of a security whose total (dividend- and split-neutral) log returns are ``returns``."""
    t = plan.ticker
    r = returns[plan.first : plan.last + 1]
    total_return = t.start_price * np.exp(np.cumsum(r))
    multiplier = np.ones_like(total_return)
    shares = np.ones_like(total_return)
    events: list[tuple[int, str, int]] = [(i, "split", ratio) for i, ratio in plan.split_indices]
    events += [(i, "dividend", 0) for i in plan.dividend_indices]
    events.sort()
    splits: list[SplitEvent] = []
    dividends: list[DividendEvent] = []
    amount_cents = 0
    amount_year = -1
    for index, kind, ratio in events:
        k = index - plan.first
        reference = int(to_deci_cents(np.array([total_return[k - 1] * multiplier[k - 1]]))[0])
        if kind == "split":
            multiplier[k:] /= ratio
            shares[k:] *= ratio
            amount_cents = max(1, round(amount_cents / ratio)) if amount_cents else 0
            splits.append(SplitEvent(index, ratio, reference))
            continue
        ex_year = days[index].year
        if amount_cents == 0 or ex_year != amount_year:
            amount_cents = max(1, round(t.dividend_yield / 4.0 * reference / CENT))
            amount_year = ex_year
        amount_cents = min(amount_cents, reference // CENT // 5)  # never more than 20% of the price
        if amount_cents <= 0:
            continue
        multiplier[k:] *= (reference - amount_cents * CENT) / reference
        dividends.append(DividendEvent(index, amount_cents, reference))
    closes = to_deci_cents(total_return * multiplier)
    base = (total_return * multiplier) / np.exp(r)
    return RawPath(closes, base, tuple(splits), tuple(dividends), shares)


@dataclass(frozen=True)
class FactorRow:
    day: date
    price_factor: Decimal
    split_factor: Decimal
    reference_price: Decimal

    def line(self) -> str:
        return ",".join(
            (
                f"{self.day.year:04d}{self.day.month:02d}{self.day.day:02d}",
                decimal_to_string(round_decimal(self.price_factor, 7)),
                decimal_to_string(round_decimal(self.split_factor, 8)),
                decimal_to_string(normalize(round_decimal(self.reference_price, 4))),
            )
        )


def factor_rows(days: list[date], first: int, path: RawPath) -> list[FactorRow]:
    """Factor file rows, oldest first, for the events of ``path``."""
    one = Decimal(1)
    rows = [FactorRow(END_OF_TIME, one, one, Decimal(0))]
    price_factor, split_factor = one, one
    events: list[tuple[int, int, SplitEvent | DividendEvent]] = [(e.index, 1, e) for e in path.splits]
    events += [(e.index, 0, e) for e in path.dividends]
    events.sort(key=lambda item: (item[0], item[1]), reverse=True)
    with localcontext(DECIMAL_CONTEXT):
        for index, _, event in events:
            reference = Decimal(event.reference_price) / DECI_CENTS_PER_DOLLAR
            if isinstance(event, SplitEvent):
                split_factor = split_factor * (one / Decimal(event.ratio))
            else:
                distribution = Decimal(event.amount_cents) / 100
                price_factor = price_factor * (reference - distribution) / reference
            row = FactorRow(days[index - 1], price_factor, split_factor, reference)
            if rows[-1].day == row.day:
                rows[-1] = row
            else:
                rows.append(row)
    if rows[-1].day != days[first]:
        rows.append(FactorRow(days[first], price_factor, split_factor, one))
    rows.reverse()
    return rows


def map_rows(plan: TickerPlan, days: list[date]) -> list[tuple[date, str, str]]:
    """Map file rows (date, lower-case ticker, exchange code), oldest first."""
    t = plan.ticker
    exchange = t.exchange
    rows = [(days[plan.first], plan.symbol_at(plan.first).lower(), exchange)]
    if plan.rename_index is not None and t.rename is not None:
        rows.append((days[plan.rename_index - 1], t.rename.old_ticker.lower(), exchange))
    last_day = days[plan.last] if plan.delisted else END_OF_TIME
    rows.append((last_day, t.ticker.lower(), exchange))
    deduped: list[tuple[date, str, str]] = []
    for row in rows:
        if deduped and deduped[-1][0] == row[0]:
            deduped[-1] = row
        else:
            deduped.append(row)
    return deduped
