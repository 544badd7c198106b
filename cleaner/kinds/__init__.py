"""The built-in rule kinds, one module each: ``cleaner/kinds/<name>.py`` defines the kind
``<name>``. A module is imported only when a pack uses its kind, so a kind with a heavy
dependency (language identification) costs nothing to runs that do not need it."""
from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path

from .base import Kind, OptionError

_NOT_KINDS = {"__init__", "base"}


@lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    here = Path(__file__).parent
    return tuple(sorted(p.stem for p in here.glob("*.py") if p.stem not in _NOT_KINDS and not p.stem.startswith("_")))


def get(name: str) -> type[Kind]:
    if name not in names():
        raise KeyError(name)
    module = importlib.import_module(f"{__name__}.{name}")
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, Kind) and value is not Kind and value.name == name:
            return value
    raise KeyError(name)  # pragma: no cover - a kind module without its class


__all__ = ["Kind", "OptionError", "get", "names"]
