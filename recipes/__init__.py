"""Recipes: each plans one multi-phase schema change and never writes a file.

A recipe reads the project's index and returns a ``Plan`` (file edits with a
diff preview); ``migrate_assistant.apply`` writes it.
"""
