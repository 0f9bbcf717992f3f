from enum import Enum


class SiloMode(Enum):
    """Where a model's table lives: everywhere (monolith), the control silo or a cell."""

    MONOLITH = "MONOLITH"
    CONTROL = "CONTROL"
    CELL = "CELL"
