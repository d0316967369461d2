"""Securities: identifiers, symbols and (in sibling modules) security state.

Only the identity types are re-exported here; import other modules directly.
"""
from lean_local.securities.identifier import SecurityIdentifier
from lean_local.securities.symbol import Symbol, SymbolCache

__all__ = ["SecurityIdentifier", "Symbol", "SymbolCache"]
