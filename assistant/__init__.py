"""migrate-assistant: safe multi-phase Django schema changes, Sentry's way.

The root package is the core: it reads a repository statically (``ast`` for the
whole tree, ``libcst`` for the files it edits), turns recipe plans into file
edits and applies them all-or-nothing. It never imports Textual or Django.
"""

__version__ = "0.1.0"
