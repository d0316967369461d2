"""Alpha models for the LEAN Algorithm Framework, beyond LEAN's built-ins.

Import them from their modules (``from alpha.ts_momentum import TimeSeriesMomentumAlphaModel``):

* ``alpha.ts_momentum.TimeSeriesMomentumAlphaModel``: time-series momentum with volatility scaling;
* ``alpha.xs_momentum.CrossSectionalMomentumAlphaModel``: cross-sectional momentum rotation;
* ``alpha.mean_reversion.ZScoreMeanReversionAlphaModel``: Bollinger / z-score mean reversion;
* ``alpha.regime_trend.RegimeFilteredTrendAlphaModel``: moving-average trend only in calm volatility regimes;
* ``alpha.pairs.CointegratedPairsAlphaModel``: Engle-Granger pairs trading with a rolling hedge ratio;
* ``alpha.reversal.ShortTermReversalAlphaModel``: short-term cross-sectional reversal.

``alpha.price_window`` holds the shared consolidator/history plumbing, ``alpha.stats_utils`` the statistics.
"""
