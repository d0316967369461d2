"""Credential hygiene. Paper trading needs no credentials; a later live broker will read them **only from the
environment** (``LEAN_BROKER_*`` variables), never from tool arguments, config files in the repository or
logs. This module is the one place that knows which names and values are secret, so the audit trail and the
servers can scrub them.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Mapping

ENV_PREFIX = "LEAN_BROKER_"
SECRET_NAME = re.compile(r"(secret|token|password|passwd|api[_-]?key|apikey|credential|private[_-]?key|auth)", re.I)
REDACTED = "[REDACTED]"
_MIN_SECRET_LEN = 6


def is_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name))


def secret_values(environ: Mapping[str, str] | None = None) -> list[str]:
    """Values of environment variables that hold secrets (broker credentials and anything named like one)."""
    env = os.environ if environ is None else environ
    values = {
        v for k, v in env.items()
        if v and len(v) >= _MIN_SECRET_LEN and (k.startswith(ENV_PREFIX) or is_secret_name(k))
    }
    return sorted(values, key=len, reverse=True)


def redact(value: Any, environ: Mapping[str, str] | None = None, _secrets: list[str] | None = None) -> Any:
    """A copy of ``value`` (JSON-like) with secret-named keys masked and secret env values cut out of strings."""
    secrets = secret_values(environ) if _secrets is None else _secrets
    if isinstance(value, Mapping):
        return {
            str(k): (REDACTED if is_secret_name(str(k)) and v not in (None, "") else redact(v, environ, secrets))
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact(v, environ, secrets) for v in value]
    if isinstance(value, str):
        for s in secrets:
            if s in value:
                value = value.replace(s, REDACTED)
        return value
    return value


@dataclass(frozen=True)
class BrokerCredentials:
    """Credentials for a future live broker; ``repr`` never shows them. Not used by the paper broker."""

    api_key: str
    api_secret: str
    account: str

    def __repr__(self) -> str:
        return f"BrokerCredentials(account={self.account!r}, api_key={REDACTED}, api_secret={REDACTED})"

    __str__ = __repr__

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> BrokerCredentials | None:
        """``LEAN_BROKER_API_KEY``, ``LEAN_BROKER_API_SECRET``, ``LEAN_BROKER_ACCOUNT``; None unless all are set."""
        env = os.environ if environ is None else environ
        key, secret, account = (env.get(ENV_PREFIX + n, "") for n in ("API_KEY", "API_SECRET", "ACCOUNT"))
        if not (key and secret and account):
            return None
        return cls(key, secret, account)
