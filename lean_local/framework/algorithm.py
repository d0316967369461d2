"""The Algorithm Framework side of ``QCAlgorithm``: alpha → portfolio construction → risk → execution.

The engine calls three hooks (see ``lean_local/engine.py``):

* ``framework_post_initialize()`` once after ``initialize``: rebalance settings are applied to the portfolio
  construction model, the universe selection model's universes are added, order events start reaching the
  execution model.
* ``on_framework_securities_changed(changes)`` after ``on_securities_changed``: every model hears the changes.
* ``on_framework_data(slice)`` after ``on_data``: alpha ``update`` → insights (stamped, stored in
  ``self.insights``, announced to ``insights_generated``) → ``create_targets`` → ``manage_risk`` → ``execute``.

Defaults are LEAN's: null alpha, null portfolio construction, immediate execution, null risk, null universes.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lean_local.framework.alphas import CompositeAlphaModel, NullAlphaModel, model_name
from lean_local.framework.execution import ImmediateExecutionModel
from lean_local.framework.insights import GeneratedInsightsCollection, Insight, InsightManager
from lean_local.framework.portfolio import NullPortfolioConstructionModel, PortfolioConstructionModel
from lean_local.framework.risk import CompositeRiskManagementModel, NullRiskManagementModel, distinct_by_symbol
from lean_local.framework.selection import CompositeUniverseSelectionModel, NullUniverseSelectionModel


class AlgorithmEvent:
    """A C#-style event: ``algorithm.insights_generated += handler``; handlers get ``(algorithm, args)``."""

    def __init__(self) -> None:
        self._handlers: list[Callable[..., Any]] = []

    def __iadd__(self, handler: Callable[..., Any]) -> AlgorithmEvent:
        self._handlers.append(handler)
        return self

    def __isub__(self, handler: Callable[..., Any]) -> AlgorithmEvent:
        if handler in self._handlers:
            self._handlers.remove(handler)
        return self

    def __call__(self, sender: Any, args: Any) -> None:
        for handler in list(self._handlers):
            handler(sender, args)

    def __len__(self) -> int:
        return len(self._handlers)


class _FrameworkState:
    def __init__(self, algorithm: Any) -> None:
        self.universe_selection: Any = NullUniverseSelectionModel()
        self.alpha: Any = NullAlphaModel()
        self.portfolio_construction: Any = NullPortfolioConstructionModel()
        self.execution: Any = ImmediateExecutionModel()
        self.risk_management: Any = NullRiskManagementModel()
        self.insights = InsightManager(algorithm)
        self.insights_generated = AlgorithmEvent()
        self.universe_symbols: dict[Any, Any] = {}
        self.post_initialized = False
        self.warmup_warning_sent = False
        self.delisted_warning_sent = False
        self.debug_mode = False


class FrameworkAlgorithm:
    """Mixed into ``QCAlgorithm``: the framework models, ``self.insights`` and the per-slice framework loop."""

    @property
    def _framework(self) -> _FrameworkState:
        state = self.__dict__.get("_framework_state")
        if state is None:
            state = self.__dict__["_framework_state"] = _FrameworkState(self)
        return state

    # --- models ------------------------------------------------------------------------------------------------
    @property
    def universe_selection(self) -> Any:
        return self._framework.universe_selection

    @universe_selection.setter
    def universe_selection(self, model: Any) -> None:
        self._framework.universe_selection = model

    @property
    def alpha(self) -> Any:
        return self._framework.alpha

    @alpha.setter
    def alpha(self, model: Any) -> None:
        self._framework.alpha = model

    @property
    def portfolio_construction(self) -> Any:
        return self._framework.portfolio_construction

    @portfolio_construction.setter
    def portfolio_construction(self, model: Any) -> None:
        self._framework.portfolio_construction = model

    @property
    def execution(self) -> Any:
        return self._framework.execution

    @execution.setter
    def execution(self, model: Any) -> None:
        self._framework.execution = model

    @property
    def risk_management(self) -> Any:
        return self._framework.risk_management

    @risk_management.setter
    def risk_management(self, model: Any) -> None:
        self._framework.risk_management = model

    @property
    def insights(self) -> InsightManager:
        """Every insight emitted so far (``get_insights``) and the open ones by symbol."""
        return self._framework.insights

    @property
    def insights_generated(self) -> AlgorithmEvent:
        return self._framework.insights_generated

    @insights_generated.setter
    def insights_generated(self, event: AlgorithmEvent) -> None:
        # ``self.insights_generated += handler`` assigns the event back
        self._framework.insights_generated = event

    @property
    def debug_mode(self) -> bool:
        return self._framework.debug_mode

    @debug_mode.setter
    def debug_mode(self, value: bool) -> None:
        self._framework.debug_mode = bool(value)

    @property
    def is_framework_algorithm(self) -> bool:
        return not isinstance(self._framework.alpha, NullAlphaModel)

    def set_universe_selection(self, universe_selection: Any) -> None:
        self._framework.universe_selection = universe_selection

    def add_universe_selection(self, universe_selection: Any) -> None:
        current = self._framework.universe_selection
        if type(current) is NullUniverseSelectionModel:
            self._framework.universe_selection = universe_selection
        elif isinstance(current, CompositeUniverseSelectionModel):
            current.add_universe_selection(universe_selection)
        else:
            self._framework.universe_selection = CompositeUniverseSelectionModel(current, universe_selection)

    def set_alpha(self, alpha: Any) -> None:
        self._framework.alpha = alpha

    def add_alpha(self, alpha: Any) -> None:
        current = self._framework.alpha
        if type(current) is NullAlphaModel:
            self._framework.alpha = alpha
        elif isinstance(current, CompositeAlphaModel):
            current.add_alpha(alpha)
        else:
            self._framework.alpha = CompositeAlphaModel(current, alpha)

    def set_portfolio_construction(self, portfolio_construction: Any) -> None:
        self._framework.portfolio_construction = portfolio_construction

    def set_execution(self, execution: Any) -> None:
        self._framework.execution = execution

    def set_risk_management(self, risk_management: Any) -> None:
        self._framework.risk_management = risk_management

    def add_risk_management(self, risk_management: Any) -> None:
        current = self._framework.risk_management
        if type(current) is NullRiskManagementModel:
            self._framework.risk_management = risk_management
        elif isinstance(current, CompositeRiskManagementModel):
            current.add_risk_management(risk_management)
        else:
            self._framework.risk_management = CompositeRiskManagementModel(current, risk_management)

    # --- engine hooks -------------------------------------------------------------------------------------------
    def framework_post_initialize(self) -> None:
        """After ``initialize``: apply rebalance settings, add the selection model's universes, wire order events."""
        state = self._framework
        if state.post_initialized:
            return
        state.post_initialized = True
        algorithm: Any = self
        settings = algorithm.settings
        model = state.portfolio_construction
        if isinstance(model, PortfolioConstructionModel):
            model._state()
            if settings.rebalance_portfolio_on_security_changes is not None:
                model.rebalance_on_security_changes = settings.rebalance_portfolio_on_security_changes
            if settings.rebalance_portfolio_on_insight_changes is not None:
                model.rebalance_on_insight_changes = settings.rebalance_portfolio_on_insight_changes
        elif settings.rebalance_portfolio_on_insight_changes is not None or settings.rebalance_portfolio_on_security_changes is not None:
            algorithm.debug(
                "Warning: rebalance portfolio settings are set but not supported by the current IPortfolioConstructionModel "
                f"type: {type(model).__name__}"
            )
        for universe in state.universe_selection.create_universes(self) or ():
            self._add_framework_universe(universe)
            state.universe_symbols[universe.configuration.symbol] = universe
        if state.debug_mode:
            state.insights_generated += lambda sender, data: algorithm.log(
                f"{algorithm.time}: {' | '.join(str(i) for i in sorted(data.insights, key=lambda i: str(i.symbol)))}"
            )
        handler = getattr(getattr(algorithm, "transactions", None), "handler", None)
        listeners = getattr(handler, "on_order_event_listeners", None)
        if listeners is not None:
            listeners.append(self._framework_order_event)

    def _framework_order_event(self, order_event: Any) -> None:
        on_order_event = getattr(self._framework.execution, "on_order_event", None)
        if on_order_event is not None:
            on_order_event(self, order_event)

    def on_framework_securities_changed(self, changes: Any) -> None:
        state = self._framework
        if state.debug_mode:
            self.debug(f"{self.time}: {changes}")  # type: ignore[attr-defined]
        state.alpha.on_securities_changed(self, changes)
        state.portfolio_construction.on_securities_changed(self, changes)
        state.execution.on_securities_changed(self, changes)
        state.risk_management.on_securities_changed(self, changes)

    def on_framework_data(self, slice: Any) -> None:
        state = self._framework
        algorithm: Any = self
        utc = algorithm.utc_time
        if state.post_initialized and utc >= state.universe_selection.get_next_refresh_time_utc():
            self._refresh_framework_universes()
        state.insights.step(utc)
        if not slice.has_data:
            return
        insights = list(state.alpha.update(self, slice) or ())
        if insights:
            insights = self._initialize_insights(insights)
            self._on_insights_generated(insights)
        self._process_insights(insights)

    def emit_insights(self, *insights: Any) -> None:
        """Emit insights by hand (for algorithms ported to the framework): stamped, stored and executed now."""
        algorithm: Any = self
        items: list[Insight] = []
        for item in insights:
            if isinstance(item, Insight):
                items.append(item)
            else:
                items.extend(item)
        if algorithm.is_warming_up:
            if not self._framework.warmup_warning_sent:
                algorithm.error("Warning: insights emitted during algorithm warmup are ignored.")
                self._framework.warmup_warning_sent = True
            return
        items = self._initialize_insights(items)
        self._on_insights_generated(items)
        self._process_insights(items)

    # --- the loop -----------------------------------------------------------------------------------------------
    def _initialize_insights(self, insights: list[Insight]) -> list[Insight]:
        algorithm: Any = self
        valid: list[Insight] = []
        for insight in insights:
            security = algorithm.securities[insight.symbol]
            if security.is_delisted:
                if not self._framework.delisted_warning_sent:
                    algorithm.error("QCAlgorithm.EmitInsights(): Warning: cannot emit insights for delisted securities, these will be discarded")
                    self._framework.delisted_warning_sent = True
                continue
            insight.generated_time_utc = algorithm.utc_time
            if int(insight.type) == 0:
                insight.reference_value = security.cache.price
            else:
                volatility_model = getattr(security, "volatility_model", None)
                volatility = getattr(volatility_model, "volatility", 0) if volatility_model is not None else 0
                from lean_local.csharp import to_decimal

                insight.reference_value = to_decimal(float(volatility))
            if not insight.source_model:
                insight.source_model = model_name(self._framework.alpha)
            insight.set_period_and_close_time(security.exchange.hours)
            valid.append(insight)
        return valid

    def _on_insights_generated(self, insights: list[Insight]) -> None:
        algorithm: Any = self
        state = self._framework
        if state.debug_mode:
            algorithm.log(f"{algorithm.time}: ALPHA: {' | '.join(sorted(str(i) for i in insights))}")
        state.insights.add_range(insights)
        state.insights_generated(self, GeneratedInsightsCollection(algorithm.utc_time, insights))

    def _process_insights(self, insights: list[Insight]) -> None:
        algorithm: Any = self
        state = self._framework
        targets = list(state.portfolio_construction.create_targets(self, insights) or ())
        for target in targets:
            algorithm.securities[target.symbol].holdings.target = target
        if state.debug_mode and targets:
            algorithm.log(f"{algorithm.time}: PORTFOLIO: {' | '.join(sorted(str(t) for t in targets))}")
        overrides = list(state.risk_management.manage_risk(self, targets) or ())
        for target in overrides:
            algorithm.securities[target.symbol].holdings.target = target
        if state.debug_mode and overrides:
            algorithm.log(f"{algorithm.time}: RISK: {' | '.join(sorted(str(t) for t in overrides))}")
        adjusted = distinct_by_symbol(overrides, targets) if (overrides or targets) else []
        if state.debug_mode and overrides:
            algorithm.log(f"{algorithm.time}: RISK ADJUSTED TARGETS: {' | '.join(sorted(str(t) for t in adjusted))}")
        state.execution.execute(self, adjusted)

    # --- universes ----------------------------------------------------------------------------------------------
    def _refresh_framework_universes(self) -> None:
        state = self._framework
        for symbol in [s for s, u in state.universe_symbols.items() if getattr(u, "dispose_requested", False)]:
            state.universe_symbols.pop(symbol, None)
        to_remove = set(state.universe_symbols)
        for universe in state.universe_selection.create_universes(self) or ():
            symbol = universe.configuration.symbol
            if symbol not in state.universe_symbols:
                self._add_framework_universe(universe)
                state.universe_symbols[symbol] = universe
            to_remove.discard(symbol)
        for symbol in to_remove:
            universe = state.universe_symbols[symbol]
            universe.dispose()

    def _add_framework_universe(self, universe: Any) -> None:
        """Add a universe created by the selection model (``QCAlgorithm.add_universe``)."""
        algorithm: Any = self
        algorithm.add_universe(universe)
