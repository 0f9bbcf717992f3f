from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    command = ci[-1]
    assert command.endswith("pytest -n auto")
    assert f"```sh\n{command}\n```" in readme
