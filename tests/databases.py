"""Read a test database's real schema with SQL."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Database:
    url: str

    @property
    def kind(self) -> str:
        return "sqlite" if self.url.startswith("sqlite") else "postgresql"

    def query(self, sql: str, *params) -> list[tuple]:
        if self.kind == "sqlite":
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as connection:
                return connection.execute(sql, params).fetchall()
        import psycopg

        with psycopg.connect(self.url) as connection:
            return connection.execute(sql.replace("?", "%s"), params).fetchall()

    def tables(self) -> set[str]:
        if self.kind == "sqlite":
            return {row[0] for row in self.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {row[0] for row in self.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}

    def columns(self, table: str) -> set[str]:
        if self.kind == "sqlite":
            return {row[1] for row in self.query(f'PRAGMA table_info("{table}")')}
        rows = self.query("SELECT column_name FROM information_schema.columns WHERE table_name = ?", table)
        return {row[0] for row in rows}

    def not_null(self, table: str, column: str) -> bool:
        if self.kind == "sqlite":
            return any(row[1] == column and row[3] for row in self.query(f'PRAGMA table_info("{table}")'))
        rows = self.query(
            "SELECT is_nullable FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
            table,
            column,
        )
        return rows == [("NO",)]

    def foreign_keys(self, table: str) -> set[str]:
        """Columns of ``table`` that carry a foreign key constraint."""
        if self.kind == "sqlite":
            return {row[3] for row in self.query(f'PRAGMA foreign_key_list("{table}")')}
        rows = self.query(
            """
            SELECT kcu.column_name FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage kcu
              ON tc.constraint_name = kcu.constraint_name AND tc.table_name = kcu.table_name
            WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = ?
            """,
            table,
        )
        return {row[0] for row in rows}

    def indexes(self, table: str) -> set[str]:
        if self.kind == "sqlite":
            return {row[1] for row in self.query(f'PRAGMA index_list("{table}")')}
        return {row[0] for row in self.query("SELECT indexname FROM pg_indexes WHERE tablename = ?", table)}
