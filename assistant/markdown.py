"""Markdown for pull-request comments: ``check`` findings and the SQL of new migrations."""

from __future__ import annotations

from .checks import RULES


def findings_markdown(findings: list, suppressed: list, checked: int) -> str:
    """The findings with their fixes, as a PR comment."""
    plural = "s" if checked != 1 else ""
    if not findings:
        lines = [f"### migrate-assistant check: no findings\n\n{checked} migration{plural} checked."]
    else:
        lines = [
            f"### migrate-assistant check: {len(findings)} finding{'s' if len(findings) != 1 else ''}\n",
            f"{checked} migration{plural} checked.\n",
            "| rule | where | what |",
            "| --- | --- | --- |",
        ]
        lines += [f"| {f.rule} | `{f.path}:{f.line}` | {_cell(f.message)} |" for f in findings]
        lines.append("\n#### Fixes\n")
        for finding in findings:
            run = f" Run: `{finding.command}`" if finding.command else ""
            lines.append(
                f"- **{finding.rule}** ({RULES[finding.rule]}) `{finding.path}:{finding.line}`: {finding.fix}{run}"
            )
    if suppressed:
        lines.append("\n<details><summary>Suppressed with a reason</summary>\n")
        lines += [f"- {f.rule} `{f.path}:{f.line}`: {f.suppressed}" for f in suppressed]
        lines.append("\n</details>")
    return "\n".join(lines)


def sql_markdown(items: list[tuple[str, str]], title: str, heading: str) -> str:
    """``(app/migration, SQL)`` pairs as a PR comment; ``heading`` names the backend they are for."""
    if not items:
        return f"### {title}\n\nNo new migrations."
    lines = [f"### {title}\n\n{heading}."]
    for migration, sql in items:
        fence = "````" if "```" in sql else "```"
        lines.append(f"\n#### `{migration}`\n\n{fence}sql\n{sql.strip() or '-- (no SQL)'}\n{fence}")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
