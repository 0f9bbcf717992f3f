from django.db import models


class FlexibleForeignKey(models.ForeignKey):
    """A ForeignKey whose on_delete defaults to CASCADE."""

    def __init__(self, to, on_delete=models.CASCADE, **kwargs):
        super().__init__(to, on_delete=on_delete, **kwargs)
