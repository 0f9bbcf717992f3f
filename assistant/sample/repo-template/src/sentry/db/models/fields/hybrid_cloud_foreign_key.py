from django.db import models


class HybridCloudForeignKey(models.BigIntegerField):
    """The id of a row of a model that lives in another silo.

    It is a plain integer column: not a Django relation, and no database constraint.
    `foreign_model` ("app_label.ModelName") names that model and `on_delete` ("CASCADE",
    "SET_NULL" or "DO_NOTHING") says what should happen here when that row is deleted.
    """

    def __init__(self, foreign_model: str, *, on_delete: str, **kwargs):
        self.foreign_model = foreign_model
        self.on_delete = on_delete.upper()
        super().__init__(**kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, [self.foreign_model, *args], {**kwargs, "on_delete": self.on_delete}
