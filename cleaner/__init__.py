"""cleaner: clean machine-translation artifacts out of English news articles.

The command line is a thin shell over `cleaner.api`; see its docstring.
"""
__version__ = "0.1.0"
