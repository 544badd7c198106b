"""cleaner: clean machine-translation artifacts out of English news articles.

The command line is a thin shell over `cleaner.api`; see its docstring.
"""
__version__ = "0.1.0"


def __getattr__(name: str):
    # `from cleaner import Cleaner` without importing the library for `cleaner --version`
    if name == "Cleaner":
        from .core import Cleaner

        return Cleaner
    raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
