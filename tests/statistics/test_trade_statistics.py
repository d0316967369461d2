"""Trade statistics over closed trades, checked against hand-computed values."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal as D

from lean_local.statistics import Trade, TradeDirection, TradeStatistics

T0 = datetime(2013, 10, 7, 13, 31)


def trade(pl: str, entry_minute: int, exit_minute: int, mae: str, mfe: str, etd: str, fees: str,
          is_win: bool | None = None) -> Trade:
    profit = D(pl)
    return Trade(
        symbol_key="SPY", symbols=[], entry_time=T0 + timedelta(minutes=entry_minute), entry_price=D(100),
        direction=TradeDirection.LONG, quantity=D(10), exit_time=T0 + timedelta(minutes=exit_minute),
        profit_loss=profit, total_fees=D(fees), mae=D(mae), mfe=D(mfe), end_trade_drawdown=D(etd),
        is_win=profit > 0 if is_win is None else is_win,
    )


# the four trades of the FIFO scenario in test_trade_builder: win, win, loss, win
TRADES = [
    trade("150.00", 0, 5, "-100.00", "200.00", "200.00", "2.50"),
    trade("25.00", 1, 5, "-100.00", "50.00", "100.00", "1.00"),
    trade("-50.00", 1, 10, "-100.00", "50.00", "100.00", "2.00"),
    trade("25.00", 10, 20, "0.00", "25.00", "0.00", "1.00"),
]


def test_trade_statistics_by_hand() -> None:
    json = TradeStatistics.from_trades(TRADES).to_json()
    assert json["startDateTime"] == "2013-10-07T13:31:00Z"
    assert json["endDateTime"] == "2013-10-07T13:51:00Z"
    assert (json["totalNumberOfTrades"], json["numberOfWinningTrades"], json["numberOfLosingTrades"]) == (4, 3, 1)
    assert (json["totalProfitLoss"], json["totalProfit"], json["totalLoss"]) == ("150.00", "200.00", "-50.00")
    assert (json["largestProfit"], json["largestLoss"]) == ("150.00", "-50.00")
    assert json["averageProfit"] == "66.6667"
    assert json["averageLoss"] == "-50.00"
    assert json["averageProfitLoss"] == "37.5000"
    assert json["profitLossRatio"] == "1.3333"
    assert (json["winLossRatio"], json["winRate"], json["lossRate"]) == ("3", "0.75", "0.25")
    assert json["profitFactor"] == "4"
    assert (json["maxConsecutiveWinningTrades"], json["maxConsecutiveLosingTrades"]) == (2, 1)
    assert json["maximumClosedTradeDrawdown"] == "-50.00"
    assert json["profitToMaxDrawdownRatio"] == "3"
    assert json["maximumIntraTradeDrawdown"] == "-300.00"
    assert (json["averageMAE"], json["averageMFE"]) == ("-75.00", "81.25")
    assert (json["largestMAE"], json["largestMFE"]) == ("-100.00", "200.00")
    assert json["maximumEndTradeDrawdown"] == "200.00"
    assert json["averageEndTradeDrawdown"] == "-43.7500"
    assert json["profitLossStandardDeviation"] == "82.9156"  # sqrt(20625 / 3)
    assert json["profitLossDownsideDeviation"] == "0"
    assert json["sharpeRatio"] == "0.4523"
    assert json["sortinoRatio"] == "0"
    assert json["totalFees"] == "6.50"
    # durations 5, 4, 9 and 10 minutes; running means through TimeSpan.FromSeconds; upper medians
    assert json["averageTradeDuration"] == "00:07:00"
    assert json["medianTradeDuration"] == "00:09:00"
    assert json["averageWinningTradeDuration"] == "00:06:20"
    assert json["medianWinningTradeDuration"] == "00:05:00"
    assert json["averageLosingTradeDuration"] == "00:09:00"
    assert json["maximumDrawdownDuration"] == "00:00:00"


def test_drawdown_duration_ends_at_the_next_equity_high() -> None:
    trades = [
        trade("10", 0, 1, "0", "0", "0", "0"),
        trade("-5", 1, 2, "0", "0", "0", "0"),
        trade("-5", 2, 3, "0", "0", "0", "0"),
        trade("20", 3, 63, "0", "0", "0", "0"),
    ]
    stats = TradeStatistics.from_trades(trades)
    assert stats.maximum_drawdown_duration == 62 * 60 * 10_000_000  # from the peak at minute 1 to minute 63
    assert stats.max_consecutive_losing_trades == 2
    assert stats.to_json()["profitLossDownsideDeviation"] == "0"


def test_in_the_money_option_loss_counts_as_win() -> None:
    trades = [trade("-30", 0, 1, "0", "0", "0", "0", is_win=True), trade("-10", 1, 2, "0", "0", "0", "0")]
    stats = TradeStatistics.from_trades(trades)
    assert (stats.number_of_winning_trades, stats.number_of_losing_trades) == (1, 1)
    assert stats.total_loss == D(-40)
    assert stats.max_consecutive_winning_trades == 1


def test_no_trades() -> None:
    json = TradeStatistics.from_trades([]).to_json()
    assert json["startDateTime"] is None
    assert json["totalNumberOfTrades"] == 0
    assert json["winLossRatio"] == "0"
    assert json["averageTradeDuration"] == "00:00:00"
    assert json["totalFees"] == "0"
