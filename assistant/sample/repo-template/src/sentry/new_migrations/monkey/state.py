from enum import Enum

from django.db.migrations.state import ProjectState


class UnsafeOperationException(Exception):
    pass


class DeletionAction(Enum):
    MOVE_TO_PENDING = 0
    DELETE = 1


class SentryProjectState(ProjectState):
    """A ProjectState that also remembers models and fields that are pending deletion.

    Phase 1 of a removal (MOVE_TO_PENDING) takes the model or field out of the state but
    keeps its table or column; phase 2 (DELETE) drops it using what was recorded here.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # (app_label, model_name) -> model class
        self.pending_deletion_models = {}
        # (app_label, model_name, field_name) -> field
        self.pending_deletion_fields = {}

    def clone(self):
        new_state = super().clone()
        new_state.pending_deletion_models = dict(self.pending_deletion_models)
        new_state.pending_deletion_fields = dict(self.pending_deletion_fields)
        return new_state
