"""LEAN's enumerations under the names and integer values the Python API and result JSON use.

Integer values matter: they are what LEAN writes into result files (order type, status, security type).
"""
from __future__ import annotations

from enum import IntEnum


class Resolution(IntEnum):
    TICK = 0
    SECOND = 1
    MINUTE = 2
    HOUR = 3
    DAILY = 4


class SecurityType(IntEnum):
    BASE = 0
    EQUITY = 1
    OPTION = 2
    COMMODITY = 3
    FOREX = 4
    FUTURE = 5
    CFD = 6
    CRYPTO = 7
    FUTURE_OPTION = 8
    INDEX = 9
    INDEX_OPTION = 10
    CRYPTO_FUTURE = 11


class TickType(IntEnum):
    TRADE = 0
    QUOTE = 1
    OPEN_INTEREST = 2


class OrderType(IntEnum):
    MARKET = 0
    LIMIT = 1
    STOP_MARKET = 2
    STOP_LIMIT = 3
    MARKET_ON_OPEN = 4
    MARKET_ON_CLOSE = 5
    OPTION_EXERCISE = 6
    LIMIT_IF_TOUCHED = 7
    COMBO_MARKET = 8
    COMBO_LIMIT = 9
    COMBO_LEG_LIMIT = 10
    TRAILING_STOP = 11


class OrderStatus(IntEnum):
    NEW = 0
    SUBMITTED = 1
    PARTIALLY_FILLED = 2
    FILLED = 3
    CANCELED = 5
    NONE = 6
    INVALID = 7
    CANCEL_PENDING = 8
    UPDATE_SUBMITTED = 9

    # LEAN's OrderExtensions: methods, as algorithms call them (``order_event.status.is_fill()``)
    def is_closed(self) -> bool:
        return self in (OrderStatus.FILLED, OrderStatus.CANCELED, OrderStatus.INVALID)

    def is_open(self) -> bool:
        return not self.is_closed()

    def is_fill(self) -> bool:
        return self in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED)


class OrderField(IntEnum):
    """Fields ``OrderTicket.get`` reads (LEAN's ``OrderField``)."""

    LIMIT_PRICE = 0
    STOP_PRICE = 1
    TRIGGER_PRICE = 2
    TRAILING_AMOUNT = 3
    TRAILING_AS_PERCENTAGE = 4


class OrderRequestType(IntEnum):
    SUBMIT = 0
    UPDATE = 1
    CANCEL = 2


class OrderRequestStatus(IntEnum):
    UNPROCESSED = 0
    PROCESSING = 1
    PROCESSED = 2
    ERROR = 3


class OrderResponseErrorCode(IntEnum):
    NONE = 0
    PROCESSING_ERROR = -1
    ORDER_ALREADY_EXISTS = -2
    INSUFFICIENT_BUYING_POWER = -3
    BROKERAGE_MODEL_REFUSED_TO_SUBMIT_ORDER = -4
    BROKERAGE_FAILED_TO_SUBMIT_ORDER = -5
    BROKERAGE_FAILED_TO_UPDATE_ORDER = -6
    BROKERAGE_HANDLER_REFUSED_TO_UPDATE_ORDER = -7
    BROKERAGE_FAILED_TO_CANCEL_ORDER = -8
    INVALID_ORDER_STATUS = -9
    UNABLE_TO_FIND_ORDER = -10
    ORDER_QUANTITY_ZERO = -11
    UNSUPPORTED_REQUEST_TYPE = -12
    PRE_ORDER_CHECKS_ERROR = -13
    MISSING_SECURITY = -14
    EXCHANGE_NOT_OPEN = -15
    SECURITY_PRICE_ZERO = -16
    FOREX_BASE_AND_QUOTE_CURRENCIES_REQUIRED = -17
    FOREX_CONVERSION_RATE_ZERO = -18
    SECURITY_HAS_NO_DATA = -19
    EXCEEDED_MAXIMUM_ORDERS = -20
    MARKET_ON_CLOSE_ORDER_TOO_LATE = -21
    INVALID_REQUEST = -22
    REQUEST_CANCELED = -23
    ALGORITHM_WARMING_UP = -24
    BROKERAGE_MODEL_REFUSED_TO_UPDATE_ORDER = -25
    QUOTE_CURRENCY_REQUIRED = -26
    CONVERSION_RATE_ZERO = -27
    NON_TRADABLE_SECURITY = -28
    NON_EXERCISABLE_SECURITY = -29
    ORDER_QUANTITY_LESS_THAN_LOT_SIZE = -30
    EXCEEDS_SHORTABLE_QUANTITY = -31
    INVALID_NEW_ORDER_STATUS = -32
    EUROPEAN_OPTION_NOT_EXPIRED_ON_EXERCISE = -33
    OPTION_ORDER_ON_STOCK_SPLIT = -34
    MARKET_ON_OPEN_NOT_ALLOWED_DURING_REGULAR_HOURS = -35


class OrderDirection(IntEnum):
    BUY = 0
    SELL = 1
    HOLD = 2


class OrderPosition(IntEnum):
    BUY_TO_OPEN = 0
    BUY_TO_CLOSE = 1
    SELL_TO_OPEN = 2
    SELL_TO_CLOSE = 3


class DataNormalizationMode(IntEnum):
    RAW = 0
    ADJUSTED = 1
    SPLIT_ADJUSTED = 2
    TOTAL_RETURN = 3
    FORWARD_PANAMA_CANAL = 4
    BACKWARDS_PANAMA_CANAL = 5
    BACKWARDS_RATIO = 6
    SCALED_RAW = 7


class AccountType(IntEnum):
    MARGIN = 0
    CASH = 1


class BrokerageName(IntEnum):
    DEFAULT = 0
    QUANT_CONNECT_BROKERAGE = 0
    INTERACTIVE_BROKERS_BROKERAGE = 2
    TRADIER_BROKERAGE = 3
    OANDA_BROKERAGE = 4
    FXCM_BROKERAGE = 5
    BITFINEX = 6
    BINANCE = 7
    ALPACA = 9
    ALPHA_STREAMS = 10
    ZERODHA = 11
    GDAX = 12
    SAMCO = 12
    ATREYU = 13
    TRADING_TECHNOLOGIES = 14
    KRAKEN = 15
    FTX = 16
    FTXUS = 17
    EXANTE = 18
    BINANCE_US = 19
    WOLVERINE = 20
    TD_AMERITRADE = 21
    BINANCE_FUTURES = 22
    BINANCE_COIN_FUTURES = 23
    RBI = 24
    BYBIT = 25
    EZE = 26
    AXOS = 27
    COINBASE = 28
    TRADE_STATION = 29
    TERMINAL_LINK = 30
    CHARLES_SCHWAB = 31
    TASTYTRADE = 32
    INTERACTIVE_BROKERS_FIX = 33
    DYDX = 34
    WEBULL = 35
    PUBLIC = 36
    BLOOMBERG_FIX = 37
    CLEAR_STREET = 38


class InsightDirection(IntEnum):
    DOWN = -1
    FLAT = 0
    UP = 1


class InsightType(IntEnum):
    PRICE = 0
    VOLATILITY = 1


class OptionRight(IntEnum):
    CALL = 0
    PUT = 1


class OptionStyle(IntEnum):
    AMERICAN = 0
    EUROPEAN = 1


class SplitType(IntEnum):
    WARNING = 0
    SPLIT_OCCURRED = 1


class DelistingType(IntEnum):
    WARNING = 0
    DELISTED = 1


class MarketDataType(IntEnum):
    BASE = 0
    TRADE_BAR = 1
    TICK = 2
    AUXILIARY = 3
    QUOTE_BAR = 4
    OPTION_CHAIN = 5
    FUTURES_CHAIN = 6


class DataMappingMode(IntEnum):
    LAST_TRADING_DAY = 0
    FIRST_DAY_MONTH = 1
    OPEN_INTEREST = 2
    OPEN_INTEREST_ANNUAL = 3


class SettlementType(IntEnum):
    PHYSICAL_DELIVERY = 0
    CASH = 1


class MarketHoursState(IntEnum):
    CLOSED = 0
    PRE_MARKET = 1
    MARKET = 2
    POST_MARKET = 3


class AlgorithmStatus(IntEnum):
    DEPLOY_ERROR = 0
    IN_QUEUE = 1
    RUNNING = 2
    STOPPED = 3
    LIQUIDATED = 4
    DELETED = 5
    COMPLETED = 6
    RUNTIME_ERROR = 7
    INVALID = 8
    LOGGING_IN = 9
    INITIALIZING = 10
    HISTORY = 11
    PENDING_INPUT = 12
    IDLE = 13


class BrokerageMessageType(IntEnum):
    INFORMATION = 0
    WARNING = 1
    ERROR = 2
    RECONNECT = 3
    DISCONNECT = 4
    ACTION_REQUIRED = 5


class Market:
    """Market identifiers as LEAN spells them (lower-case strings)."""

    USA = "usa"
    OANDA = "oanda"
    FXCM = "fxcm"
    CBOE = "cboe"
    CME = "cme"
    NYMEX = "nymex"
    COMEX = "comex"
    CBOT = "cbot"
    ICE = "ice"
    NASDAQ = "nasdaq"
    INDIA = "india"
    DUKASCOPY = "dukascopy"
    BITFINEX = "bitfinex"
    GLOBEX = "cmeglobex"
    CFE = "cfe"
    EUREX = "eurex"
    SGX = "sgx"
    HKFE = "hkfe"
    OSE = "ose"
    NYSELIFFE = "nyseliffe"
    COINBASE = "coinbase"
    GDAX = COINBASE
    KRAKEN = "kraken"
    BITSTAMP = "bitstamp"
    OK_COIN = "okcoin"
    BITHUMB = "bithumb"
    BINANCE = "binance"
    POLONIEX = "poloniex"
    COINONE = "coinone"
    HIT_BTC = "hitbtc"
    BITTREX = "bittrex"
    FTX = "ftx"
    FTXUS = "ftxus"
    BINANCE_US = "binanceus"
    BYBIT = "bybit"
    INTERACTIVE_BROKERS = "interactivebrokers"
    DYDX = "dydx"
    KRX = "krx"
