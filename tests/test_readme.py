from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    command = ci[-1]
    assert command.endswith("pytest -n auto")
    assert f"```sh\n{command}\n```" in readme


def _command_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("migrate-assistant ")]


def test_every_command_line_in_the_readme_and_the_help_is_accepted():
    """The examples of the README's shell blocks and of each command's --help parse as they are written."""
    import re
    import shlex

    from migrate_assistant.cli import build_parser

    parser = build_parser()
    blocks = re.findall(r"```(?:sh|yaml)\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    readme = [line.split(" && ")[0].split(" > ")[0].split(" >> ")[0] for b in blocks for line in _command_lines(b)]
    commands = parser._subparsers._group_actions[0].choices
    helps = {name: _command_lines(command.format_help()) for name, command in commands.items()}
    assert all(helps.values()), [name for name, lines in helps.items() if not lines]
    for line in readme + [line for lines in helps.values() for line in lines]:
        args = shlex.split(line.replace("~", "/home"))[1:]
        try:
            parsed = parser.parse_args(args)
        except SystemExit:
            raise AssertionError(f"not accepted: {line}") from None
        assert parsed.command, line
