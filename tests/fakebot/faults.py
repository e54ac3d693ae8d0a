"""Scripted failures so tests can prove the bot survives flood limits, outages and lost replies."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ApiError

__all__ = ["Fault", "Faults"]

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    403: "Forbidden: injected failure",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass
class Fault:
    """One armed failure; ``remaining`` counts the calls it still applies to."""

    kind: str  # "error" or "drop"
    remaining: int
    status: int = 429
    retry_after: int | None = None
    description: str | None = None
    after_effect: bool = False

    def error(self) -> ApiError:
        """The API error this fault answers with (429 carries parameters.retry_after)."""
        if self.status == 429:
            retry = self.retry_after if self.retry_after is not None else 1
            text = self.description or f"Too Many Requests: retry after {retry}"
            return ApiError(429, text, retry_after=retry)
        text = self.description or _DEFAULT_DESCRIPTIONS.get(self.status, "Injected failure")
        return ApiError(self.status, text, retry_after=self.retry_after)


class Faults:
    """Per-method queues of faults; ``"*"`` matches any method except getUpdates."""

    def __init__(self) -> None:
        self._armed: dict[str, list[Fault]] = {}

    def arm(self, method: str, fault: Fault) -> None:
        """Queue a fault for the next ``fault.remaining`` calls of ``method``."""
        self._armed.setdefault(method.lower(), []).append(fault)

    def take(self, method: str) -> Fault | None:
        """Consume one use of the first fault matching this call, if any."""
        key = method.lower()
        for name in (key, "*"):
            if name == "*" and key == "getupdates":
                continue
            queue = self._armed.get(name)
            if queue:
                fault = queue[0]
                fault.remaining -= 1
                if fault.remaining <= 0:
                    queue.pop(0)
                return fault
        return None

    def clear(self) -> None:
        """Disarm everything (between scenario steps)."""
        self._armed.clear()
