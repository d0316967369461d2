"""Sampling during the run and statistics at the end (LEAN's ``BacktestingResultHandler``).

Two sampling clocks, as in LEAN: the equity candle is sampled every ``ResamplePeriod`` at the end of a time
slice, and every calendar-day midnight the "Daily Sampling" scheduled event samples equity, benchmark, daily
return, drawdown, exposure, capacity and turnover. The statistics are then computed from those samples.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lean_local.csharp import ZERO, round_decimal, smart_rounding, to_decimal
from lean_local.enums import OrderStatus, SecurityType
from lean_local.market_data import QuoteBar, TradeBar
from lean_local.statistics.builder import StatisticsInputs, StatisticsResults, build_statistics
from lean_local.statistics.capacity import CapacityEstimate
from lean_local.statistics.drawdown import drawdown_percent
from lean_local.statistics.trade_builder import FillRecord, TradeBuilder
from lean_local.timeutil import to_utc, unix_seconds

if TYPE_CHECKING:
    from lean_local.engine import Engine
    from lean_local.securities.security import Security

SERIES_LINE = 0
SERIES_SCATTER = 1
SERIES_CANDLE = 2
SERIES_BAR = 3
SERIES_STACKED_AREA = 5
SERIES_TREEMAP = 7

STRATEGY_EQUITY = "Strategy Equity"
EQUITY = "Equity"
RETURN = "Return"
BENCHMARK = "Benchmark"
DRAWDOWN = "Drawdown"
PORTFOLIO_TURNOVER = "Portfolio Turnover"
CAPACITY = "Capacity"
EXPOSURE = "Exposure"
ASSETS_SALES_VOLUME = "Assets Sales Volume"

MINIMUM_SAMPLE_PERIOD_MINUTES = 4
SAMPLES = 4000


@dataclass
class Series:
    name: str
    unit: str
    index: int
    series_type: int
    values: list[tuple[Any, ...]] = field(default_factory=list)

    def add(self, point: tuple[Any, ...], always: bool = False) -> None:
        if always or not self.values or point[0] > self.values[-1][0]:
            self.values.append(point)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "unit": self.unit,
            "index": self.index,
            "seriesType": self.series_type,
            "values": [[int(unix_seconds(p[0])), *p[1:]] for p in self.values],
        }
        if self.series_type != SERIES_CANDLE:
            data["color"] = ""
            data["scatterMarkerSymbol"] = "none"
        return data


@dataclass
class Chart:
    name: str
    series: dict[str, Series] = field(default_factory=dict)

    def get(self, name: str, unit: str, index: int, series_type: int) -> Series:
        found = self.series.get(name)
        if found is None:
            found = self.series[name] = Series(name, unit, index, series_type)
        return found

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "chartType": 0, "series": {k: v.to_json() for k, v in self.series.items()}}


class _EquityBar:
    """The running candle of portfolio value between equity samples (LEAN's ``Bar``)."""

    def __init__(self) -> None:
        self.open = self.high = self.low = self.close = ZERO
        self._set = False

    def update(self, value: Decimal) -> None:
        if value == 0:
            return
        if not self._set:
            self.open = self.high = self.low = self.close = value
            self._set = True
        elif value > self.high:
            self.high = value
        elif value < self.low:
            self.low = value
        self.close = value


class _CapacitySecurityView:
    """The engine's security as the capacity estimator reads it."""

    def __init__(self, security: "Security") -> None:
        self._security = security

    @property
    def symbol_id(self) -> str:
        return str(self._security.symbol.id)

    @property
    def security_type(self) -> SecurityType:
        return self._security.type

    @property
    def conversion_rate(self) -> Decimal:
        return Decimal(1)

    @property
    def contract_multiplier(self) -> Decimal:
        multiplier: Decimal = self._security.symbol_properties.contract_multiplier
        return multiplier

    @property
    def leverage(self) -> Decimal:
        leverage: Decimal = self._security.buying_power_model.get_leverage_exact(self._security)
        return leverage

    @property
    def invested(self) -> bool:
        return self._security.holdings.invested

    @property
    def internal_feed_only(self) -> bool:
        configs = self._security.subscriptions
        return bool(configs) and all(c.is_internal_feed for c in configs)

    def used_buying_power(self) -> Decimal:
        used: Decimal = self._security.buying_power_model.get_reserved_buying_power_for_position(self._security)
        return used

    def cached_trade_bar(self, utc_time: datetime) -> Any:
        bar = self._security.cache.get_data(TradeBar)
        if bar is not None and to_utc(bar.end_time, self._security.exchange.time_zone) == utc_time:
            return bar
        return None


class _CapacitySliceView:
    def __init__(self, current: Any) -> None:
        self._current = current

    def trade_bar(self, symbol_key: Hashable) -> Any:
        return self._current.bars.get(symbol_key) if self._current is not None else None

    def quote_bar(self, symbol_key: Hashable) -> Any:
        return self._current.quote_bars.get(symbol_key) if self._current is not None else None


class BacktestResultHandler:
    """Charts, samples, the trade builder and the capacity estimate of one backtest."""

    def __init__(self, engine: "Engine") -> None:
        self.engine = engine
        self.charts: "OrderedDict[str, Chart]" = OrderedDict()
        self.trade_builder = TradeBuilder()
        self.capacity: CapacityEstimate | None = None
        self.starting_portfolio_value = ZERO
        self.daily_portfolio_value = ZERO
        self.cumulative_max_portfolio_value = ZERO
        self._portfolio_value = ZERO
        self._benchmark_value = ZERO
        self._equity_bar: _EquityBar | None = None
        self._next_sample = datetime.min
        self.resample_period = timedelta(minutes=MINIMUM_SAMPLE_PERIOD_MINUTES)
        self._previous_sales_volume: list[Decimal] = [ZERO]
        self._previous_turnover_sample: datetime | None = None
        self.user_charts: "OrderedDict[str, Chart]" = OrderedDict()
        self.runtime_statistics: dict[str, str] = {}
        self._series: dict[tuple[str, str], Series] = {}  # (chart, series) -> the series in self.charts
        self._exposure_names: dict[tuple[SecurityType, str], str] = {}
        self._start_utc: tuple[Any, Any, datetime] | None = None  # (start date, time zone, start in UTC)

    # --- setup ------------------------------------------------------------------------------------------------
    def set_algorithm(self, starting_portfolio_value: Decimal) -> None:
        algorithm = self.engine.algorithm
        self.starting_portfolio_value = starting_portfolio_value
        self.daily_portfolio_value = starting_portfolio_value
        self.cumulative_max_portfolio_value = starting_portfolio_value
        self._portfolio_value = starting_portfolio_value
        self.capacity = CapacityEstimate(algorithm.start_date, algorithm.end_date)
        total_minutes = (algorithm.end_date - algorithm.start_date).total_seconds() / 60
        if total_minutes < MINIMUM_SAMPLE_PERIOD_MINUTES * SAMPLES:
            minutes = float(MINIMUM_SAMPLE_PERIOD_MINUTES)
        else:
            minutes = total_minutes / SAMPLES
        self.resample_period = timedelta(minutes=minutes)

    def on_warmup_finished(self) -> None:
        """Re-capture the starting value after warm-up, keeping decimal scale when unchanged (LEAN does)."""
        self._update_portfolio_value()
        current = self._portfolio_value
        if self.cumulative_max_portfolio_value != current:
            self.cumulative_max_portfolio_value = current
        if self.daily_portfolio_value != current:
            self.daily_portfolio_value = current
        if self.starting_portfolio_value != current:
            self.starting_portfolio_value = current
            self._equity_bar = None

    # --- values -------------------------------------------------------------------------------------------------
    def _update_portfolio_value(self) -> None:
        self._portfolio_value = self.engine.algorithm.portfolio.total_portfolio_value_exact

    def _update_benchmark_value(self, utc: datetime) -> None:
        benchmark = self.engine.algorithm.benchmark
        if benchmark is not None:
            value = benchmark.evaluate(utc)
            self._benchmark_value = smart_rounding(value if isinstance(value, Decimal) else to_decimal(float(value)))

    def _current_equity_bar(self) -> _EquityBar:
        if self._equity_bar is None:
            self._equity_bar = _EquityBar()
            self._equity_bar.update(round_decimal(self._portfolio_value, 4))
        return self._equity_bar

    def _update_algorithm_equity(self) -> None:
        self._current_equity_bar().update(round_decimal(self._portfolio_value, 4))

    # --- chart sampling ----------------------------------------------------------------------------------------------
    def _chart(self, name: str) -> Chart:
        chart = self.charts.get(name)
        if chart is None:
            chart = self.charts[name] = Chart(name)
        return chart

    def _sample(self, chart: str, series: str, index: int, series_type: int, point: tuple[Any, ...], unit: str = "$") -> None:
        if self.engine.algorithm.is_warming_up:
            return
        found = self._series.get((chart, series))
        if found is None:
            found = self._series[(chart, series)] = self._chart(chart).get(series, unit, index, series_type)
        found.add(point, always=(chart == PORTFOLIO_TURNOVER))

    def _sample_equity(self, utc: datetime) -> None:
        bar = self._current_equity_bar()
        candle = (utc, smart_rounding(bar.open), smart_rounding(bar.high), smart_rounding(bar.low), smart_rounding(bar.close))
        self._sample(STRATEGY_EQUITY, EQUITY, 0, SERIES_CANDLE, candle, "$")
        self._equity_bar = None

    def process_synchronous_events(self, force: bool = False) -> None:
        """End of every time slice: capacity, the running equity candle, and an equity sample when due."""
        algorithm = self.engine.algorithm
        utc = algorithm.utc_time
        self._update_portfolio_value()
        if self.capacity is not None:
            self.capacity.update_market_capacity(utc, _CapacitySliceView(algorithm.current_slice), self._portfolio_value, force)
        self._update_algorithm_equity()
        if utc > self._next_sample or force:
            self._next_sample = utc + self.resample_period
            self._sample_equity(utc)
            for key, value in algorithm.runtime_statistics.items():
                self.runtime_statistics[key] = value

    def sample(self, utc: datetime) -> None:
        """The daily sample (and the final one): equity, benchmark, return, drawdown, exposure, turnover."""
        algorithm = self.engine.algorithm
        self._update_portfolio_value()
        self._update_benchmark_value(utc)
        current = self._portfolio_value
        performance = ZERO if self.daily_portfolio_value == 0 else round_decimal(
            (current - self.daily_portfolio_value) * 100 / self.daily_portfolio_value, 10
        )
        self.cumulative_max_portfolio_value = max(current, self.cumulative_max_portfolio_value)
        self._update_algorithm_equity()
        self._sample_equity(utc)
        self._sample(BENCHMARK, BENCHMARK, 0, SERIES_LINE, (utc, self._benchmark_value), "$")
        self._sample(STRATEGY_EQUITY, RETURN, 1, SERIES_BAR, (utc, smart_rounding(performance)), "%")
        if self.cumulative_max_portfolio_value != 0:
            drawdown = drawdown_percent(current, self.cumulative_max_portfolio_value)
            self._sample(DRAWDOWN, "Equity Drawdown", 0, SERIES_LINE, (utc, smart_rounding(drawdown)), "%")
        self._sample_sales_volume(utc)
        self._sample_exposure(utc, current)
        if self.capacity is not None:
            self._sample(CAPACITY, "Strategy Capacity", 0, SERIES_LINE, (utc, smart_rounding(self.capacity.capacity)), "$")
        self._sample_turnover(utc, current)
        self.daily_portfolio_value = current

    def _sample_sales_volume(self, utc: datetime) -> None:
        holdings = [s.holdings for s in self.engine.algorithm.securities.values() if s.holdings.total_sale_volume_exact != 0]
        holdings.sort(key=lambda h: h.total_sale_volume_exact, reverse=True)
        for holding in holdings[:30]:
            self._sample(ASSETS_SALES_VOLUME, holding.symbol.value, 0, SERIES_TREEMAP, (utc, smart_rounding(holding.total_sale_volume_exact)), "$")

    def _sample_exposure(self, utc: datetime, current: Decimal) -> None:
        if current == 0:
            return
        longs: dict[SecurityType, Decimal] = {}
        shorts: dict[SecurityType, Decimal] = {}
        for security in self.engine.algorithm.securities.values():
            security_type = security.type
            longs.setdefault(security_type, ZERO)
            shorts.setdefault(security_type, ZERO)
            value = security.holdings.holdings_value_exact
            if value > 0:
                longs[security_type] += value
            elif value < 0:
                shorts[security_type] += value
        for side, values in (("Long", longs), ("Short", shorts)):
            for security_type, value in values.items():
                ratio = round_decimal(value / current, 4)
                name = self._exposure_names.get((security_type, side))
                if name is None:
                    name = self._exposure_names[(security_type, side)] = f"{_security_type_name(security_type)} - {side} Ratio"
                self._sample(EXPOSURE, name, 0, SERIES_LINE, (utc, smart_rounding(ratio)), "")

    def _sample_turnover(self, utc: datetime, current: Decimal) -> None:
        algorithm = self.engine.algorithm
        if current == 0:
            return
        start = self._start_utc
        if start is None or start[0] != algorithm.start_date or start[1] != algorithm.time_zone:
            start = self._start_utc = (algorithm.start_date, algorithm.time_zone, to_utc(algorithm.start_date, algorithm.time_zone))
        if start[2] == utc:
            return
        volume = algorithm.portfolio.total_sale_volume_exact
        if self._previous_turnover_sample == utc:
            previous = self._previous_sales_volume[-2] if len(self._previous_sales_volume) >= 2 else ZERO
        else:
            previous = self._previous_sales_volume[-1]
        turnover = (volume - previous) / current
        self._previous_sales_volume.append(volume)
        self._previous_turnover_sample = utc
        self._sample(PORTFOLIO_TURNOVER, PORTFOLIO_TURNOVER, 0, SERIES_LINE, (utc, smart_rounding(turnover)), "%")

    def plot(self, chart: str, series: str, utc: datetime, value: float) -> None:
        user_chart = self.user_charts.get(chart)
        if user_chart is None:
            user_chart = self.user_charts[chart] = Chart(chart)
        index = len(user_chart.series) if series not in user_chart.series else user_chart.series[series].index
        user_chart.get(series, "$", index, SERIES_LINE).add((utc, smart_rounding(to_decimal(value))), always=True)

    # --- fills --------------------------------------------------------------------------------------------------------
    def set_market_price(self, security: "Security") -> None:
        self.trade_builder.set_market_price(security.symbol, security.cache.price)

    def process_fill(self, event: Any, security: "Security", fee: Decimal) -> None:
        record = FillRecord(
            order_id=event.order_id,
            symbol_key=security.symbol,
            symbol_json=security.symbol.to_json_dict(),
            utc_time=event.utc_time,
            fill_price=event.fill_price_exact,
            fill_quantity=event.fill_quantity_exact,
            direction=event.direction,
        )
        self.trade_builder.process_fill(record, Decimal(1), fee, security.symbol_properties.contract_multiplier)

    def on_order_event(self, event: Any) -> None:
        if self.capacity is None or event.status not in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED):
            return
        security = self.engine.algorithm.securities[event.symbol]
        self.capacity.on_order_event(
            symbol_key=security.symbol,
            security=_CapacitySecurityView(security),
            status=event.status,
            utc_time=event.utc_time,
            fill_price=event.fill_price_exact,
            fill_quantity=event.fill_quantity_exact,
        )

    def apply_split(self, split: Any, mode: Any) -> None:
        from lean_local.enums import DataNormalizationMode

        if mode == DataNormalizationMode.RAW:
            self.trade_builder.apply_split(split.symbol, split.split_factor_exact)

    # --- statistics ---------------------------------------------------------------------------------------------------
    def series_points(self, chart: str, series: str) -> list[tuple[datetime, Decimal]]:
        found = self.charts.get(chart)
        if found is None or series not in found.series:
            return []
        values = found.series[series].values
        if found.series[series].series_type == SERIES_CANDLE:
            return [(p[0], p[4]) for p in values]
        return [(p[0], p[1]) for p in values]

    def statistics(self) -> StatisticsResults:
        algorithm = self.engine.algorithm
        portfolio = algorithm.portfolio
        records = portfolio.transaction_record.records
        capacity = self.capacity
        if capacity is not None:
            capacity.update_market_capacity(algorithm.utc_time, _CapacitySliceView(algorithm.current_slice), portfolio.total_portfolio_value_exact, True)
        rates = self.engine.interest_rates
        inputs = StatisticsInputs(
            equity=self.series_points(STRATEGY_EQUITY, EQUITY),
            performance=self.series_points(STRATEGY_EQUITY, RETURN),
            benchmark=self.series_points(BENCHMARK, BENCHMARK),
            portfolio_turnover=self.series_points(PORTFOLIO_TURNOVER, PORTFOLIO_TURNOVER),
            closed_trades=self.trade_builder.closed_trades,
            profit_loss={t: v for t, (v, _) in sorted(records.items())},
            starting_capital=self.starting_portfolio_value,
            total_fees=portfolio.total_fees_exact,
            total_orders=self.engine.transaction_handler.total_order_count,
            risk_free_rate=rates.get_interest_rate,
            winning_transactions=[t for t, (_, win) in records.items() if win],
            losing_transactions=[t for t, (_, win) in records.items() if not win],
            trading_days_per_year=algorithm.settings.trading_days_per_year or 252,
            capacity=capacity.capacity if capacity is not None else None,
            lowest_capacity_asset=capacity.lowest_capacity_asset if capacity is not None else None,
            custom_summary=dict(algorithm.summary_statistics),
        )
        return build_statistics(inputs)

    def runtime_statistics_snapshot(self, summary: dict[str, str]) -> dict[str, str]:
        """LEAN's runtime statistics, sorted by name, with the algorithm's own entries included."""
        from lean_local.results.formatting import currency, number_n2, percent_text

        portfolio = self.engine.algorithm.portfolio
        start = self.starting_portfolio_value
        net_return = ZERO if start <= 0 else (self._portfolio_value - start) / start
        values = dict(self.runtime_statistics)
        values["Probabilistic Sharpe Ratio"] = summary.get("Probabilistic Sharpe Ratio", "0%")
        values["Unrealized"] = currency(portfolio.total_unrealized_profit_exact)
        values["Fees"] = "-$" + number_n2(portfolio.total_fees_exact)
        values["Net Profit"] = currency(portfolio.total_profit_exact - portfolio.total_fees_exact)
        values["Return"] = percent_text(net_return)
        values["Equity"] = currency(self._portfolio_value)
        values["Holdings"] = currency(portfolio.total_holdings_value_exact)
        values["Volume"] = currency(portfolio.total_sale_volume_exact)
        return dict(sorted(values.items()))


def _security_type_name(security_type: SecurityType) -> str:
    return "".join(part.capitalize() for part in security_type.name.split("_"))
