"""The built-in rule kinds. Each lives in its own module, imported only when a pack uses it,
so a kind with a heavy dependency costs nothing to runs that do not need it."""
from __future__ import annotations

import importlib

from .base import Kind, OptionError

_MODULES = {
    "pattern": ("cleaner.kinds.pattern", "PatternKind"),
    "boilerplate": ("cleaner.kinds.boilerplate", "BoilerplateKind"),
    "encoding": ("cleaner.kinds.encoding", "EncodingKind"),
}


def names() -> list[str]:
    return sorted(_MODULES)


def get(name: str) -> type[Kind]:
    module, cls = _MODULES[name]
    return getattr(importlib.import_module(module), cls)


__all__ = ["Kind", "OptionError", "get", "names"]
