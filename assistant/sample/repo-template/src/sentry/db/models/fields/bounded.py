from django.db import models


class BoundedPositiveIntegerField(models.PositiveIntegerField):
    """A PositiveIntegerField that refuses values that do not fit in a 32-bit column."""

    MAX_VALUE = 2**31 - 1

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is not None and value > self.MAX_VALUE:
            raise ValueError(f"{value} is too large for {self.name}")
        return value


class BoundedBigIntegerField(models.BigIntegerField):
    """A BigIntegerField that refuses values that do not fit in a 64-bit column."""

    MAX_VALUE = 2**63 - 1

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is not None and value > self.MAX_VALUE:
            raise ValueError(f"{value} is too large for {self.name}")
        return value
