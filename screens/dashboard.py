"""The first screen: apps and their leaf migrations, lockfile health, work in flight."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

INTRO = (
    "Dropping a column or a table while old code is still running breaks production during a deploy, "
    "so it is done in two deploys: phase 1 makes Django forget it (the data stays), phase 2 — after "
    "phase 1 has deployed — drops it. Press r to remove a field, m a model (or ctrl+p); Enter on a pending "
    "deletion above plans its phase 2. Nothing is written before you have seen the diff."
)


class DashboardScreen(Screen):
    BINDINGS = [Binding("ctrl+r", "app.reload", "Reload")]

    def __init__(self):
        super().__init__()
        self.findings: list = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="dashboard"):
            yield Static("Reading the repository…", id="progress-label")
            yield ProgressBar(total=1.0, show_eta=False, id="progress")
            yield Static(id="apps")
            yield Static(id="lockfile")
            yield Static("Pending deletions — phase 2 is due once phase 1 has deployed", classes="section")
            yield OptionList(id="pending")
            yield Static("Unsafe new migrations — what Sentry's migration framework would refuse", classes="section")
            yield OptionList(id="findings")
            yield Static(INTRO, id="hint")
        yield Footer()

    def show_progress(self, message: str, fraction: float) -> None:
        self.query_one("#progress-label", Static).update(message)
        self.query_one("#progress", ProgressBar).update(progress=fraction)

    def show_status(self, status, check=None) -> None:
        self.query_one("#progress-label").display = False
        self.query_one("#progress").display = False
        table = Table(title="Apps", title_justify="left", box=None, header_style="bold", padding=(0, 3, 0, 0))
        table.add_column("App")
        table.add_column("Leaf migration")
        table.add_column("Lockfile")
        for app in status.apps:
            leaf = app.leaf or " + ".join(app.leaves) or "(no migrations)"
            if status.lockfile is None:
                lock = Text("no lockfile", style="dim")
            elif app.lockfile_ok:
                lock = Text("ok", style="green")
            else:
                lock = Text(f"says {app.locked or 'nothing'}", style="bold red")
            table.add_row(app.label, Text(leaf, style="red" if len(app.leaves) > 1 else ""), lock)
        self.query_one("#apps", Static).update(table)
        self.query_one("#lockfile", Static).update(_lockfile_line(status))
        pending = self.query_one("#pending", OptionList)
        pending.clear_options()
        for item in status.pending:
            prompt = Text.assemble((item.target, "bold"), f"  {item.kind} · moved by {item.migration}")
            pending.add_option(Option(prompt, id=f"{item.kind}:{item.target}"))
        if status.pending:
            pending.highlighted = 0
            pending.focus()
        else:
            pending.add_option(Option(Text("nothing is pending deletion", style="dim"), disabled=True))
        self._show_findings(check)

    def _show_findings(self, check) -> None:
        findings = self.query_one("#findings", OptionList)
        findings.clear_options()
        self.findings = list(check.findings) if check else []
        for number, finding in enumerate(self.findings):
            action = "  — Enter: rewrite as phase 1" if _fixes_migration(finding) else "  — Enter: how to fix it"
            prompt = Text.assemble(
                (f"{finding.path}:{finding.line} ", "bold"),
                (finding.rule, "bold red"),
                f" {finding.message}",
                (action, "dim"),
            )
            findings.add_option(Option(prompt, id=f"finding:{number}"))
        if self.findings:
            findings.highlighted = 0
        else:
            checked = len(check.checked) if check else 0
            findings.add_option(Option(Text(f"none ({checked} new migration(s) checked)", style="dim"), disabled=True))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        kind, target = (event.option.id or ":").split(":", 1)
        if kind != "finding":
            self.app.plan_removal([target], 2, {kind})
            return
        finding = self.findings[int(target)]
        if _fixes_migration(finding):
            self.app.plan_fix_migration(finding.path)
        else:
            command = f"\nRun: {finding.command}" if finding.command else ""
            self.app.notify(
                f"{finding.fix}{command}", title=f"{finding.rule} at {finding.path}:{finding.line}", timeout=20
            )


def _lockfile_line(status) -> Text:
    several = [app.label for app in status.apps if len(app.leaves) > 1]
    if status.lockfile is None:
        line = Text("Lockfile: none")
    elif status.lockfile_conflicted:
        line = Text(f"Lockfile: {status.lockfile} has conflict markers", style="bold red")
    elif status.lockfile_ok:
        return Text.assemble("Lockfile: ", (status.lockfile, "bold"), (" agrees with the graph", "green"))
    else:
        line = Text.assemble("Lockfile: ", (status.lockfile, "bold"), (" disagrees with the graph", "bold red"))
    if several:
        line.append(f"; several leaves in {', '.join(several)}", style="bold red")
    if status.lockfile is not None:
        line.append("  — press f to fix it", style="bold")
    return line


def _fixes_migration(finding) -> bool:
    return bool(finding.command and finding.command.startswith("migrate-assistant fix-migration"))
