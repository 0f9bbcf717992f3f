"""Source edits with libcst: only the lines that must change change.

Each function takes a module's source text and returns the new text;
comments and formatting elsewhere survive byte for byte.
"""
