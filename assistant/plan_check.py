"""Check a plan before it is shown or written: every Python file it writes compiles, and (``--verify``)
the project's own Django agrees with the result on a linked scratch copy."""

from __future__ import annotations

from .errors import AssistantError
from .plan import Plan


def check_plan_compiles(plan: Plan) -> None:
    """Every ``.py`` file the plan writes must compile; anything else is the tool's own bug."""
    for edit in plan.edits:
        if edit.after is None or not edit.path.endswith(".py"):
            continue
        try:
            compile(edit.after, edit.path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            where = f"{edit.path}:{getattr(error, 'lineno', None) or '?'}"
            raise AssistantError(
                f"internal error: the plan would write {where}, which does not compile ({error}); "
                "nothing was written — please report this"
            ) from None


def verify_with_django(project, plan: Plan) -> str:
    """Run Django's ``check`` and ``makemigrations --check`` on a linked copy with the plan applied;
    refuse (nothing is written) unless both agree. Returns what Django said."""
    from .django_runner import run_django
    from .sql_preview import scratch_copy

    with scratch_copy(project, plan) as copy:
        for args in (("check",), ("makemigrations", "--check", "--dry-run", "--no-input")):
            result = run_django(copy, *args)
            output = (result.stdout + result.stderr).strip()
            if result.returncode != 0:
                raise AssistantError(
                    f"Django's {' '.join(args[:2])} disagrees with the plan, so nothing was written:\n{output}"
                )
    return "Django's check and makemigrations --check agree with the plan"
