"""Dataclass code compiled once for all runs: the same classes as without the cache, and a cache that
is never trusted blindly (corrupt, foreign or writable by others: compiled again)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.util import MAGIC_NUMBER

PROBE = """
import dataclasses, json, sys
from migrate_assistant import generated_code

generated_code.install()

@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    y: int = 2
    tags: list = dataclasses.field(default_factory=list, compare=False)

@dataclasses.dataclass(order=True, slots=True, kw_only=True)
class Row:
    name: str
    size: "int" = 0
    def __post_init__(self):
        self.name = self.name.upper()

point, row = Point(1), Row(name="a", size=3)
try:
    point.x = 5
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
facts = {
    "repr": [repr(point), repr(row)],
    "eq": [point == Point(1, 2, ["x"]), Row(name="a") < Row(name="b"), hash(point) == hash(Point(1))],
    "frozen": frozen,
    "annotations": [repr(Point.__init__.__annotations__), repr(Row.__init__.__annotations__)],
    "defaults": [Point.__init__.__defaults__, Row.__init__.__kwdefaults__ is not None],
    "compiled": sorted(generated_code._cache.compiled) if generated_code._cache else None,
}
generated_code.save()
print(json.dumps(facts, default=repr))
"""


def probe(cache: str) -> dict:
    env = {**os.environ, "MIGRATE_ASSISTANT_CACHE_DIR": cache}
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def cache_file(directory, package: str = "__main__") -> str:
    return os.path.join(directory, f"generated-code-{MAGIC_NUMBER.hex()}-{package}.marshal")


def same_classes(a: dict, b: dict) -> bool:
    return {k: v for k, v in a.items() if k != "compiled"} == {k: v for k, v in b.items() if k != "compiled"}


def test_a_second_run_compiles_nothing_and_builds_the_same_classes(tmp_path):
    without = probe("off")
    first = probe(str(tmp_path))
    second = probe(str(tmp_path))
    assert without["compiled"] is None  # caching off: dataclasses left as they are
    assert first["compiled"] == ["__main__"] and second["compiled"] == []
    assert same_classes(first, without) and same_classes(second, without)
    assert without["frozen"] and without["eq"] == [True, True, True]
    assert "'return': None" in without["annotations"][0]
    assert oct(os.stat(cache_file(tmp_path)).st_mode & 0o777) == "0o600"


def test_a_corrupt_cache_is_compiled_again_and_rewritten(tmp_path):
    probe(str(tmp_path))
    with open(cache_file(tmp_path), "wb") as handle:
        handle.write(MAGIC_NUMBER + b"\x00garbage")
    again = probe(str(tmp_path))
    assert again["compiled"] == ["__main__"] and same_classes(again, probe("off"))
    assert probe(str(tmp_path))["compiled"] == []


def test_a_cache_of_another_python_is_not_read(tmp_path):
    probe(str(tmp_path))
    path = cache_file(tmp_path)
    with open(path, "rb") as handle:
        data = handle.read()
    with open(path, "wb") as handle:
        handle.write(b"\x00\x00\r\n" + data[len(MAGIC_NUMBER) :])
    assert probe(str(tmp_path))["compiled"] == ["__main__"]


def test_a_cache_others_can_write_is_not_trusted(tmp_path):
    probe(str(tmp_path))
    os.chmod(cache_file(tmp_path), 0o622)
    assert probe(str(tmp_path))["compiled"] == ["__main__"]


def test_each_package_has_its_own_file_and_a_command_reads_only_what_it_imports(tmp_path):
    env = {**os.environ, "MIGRATE_ASSISTANT_CACHE_DIR": str(tmp_path)}
    script = "from migrate_assistant import generated_code as g; g.install(); import {0}; g.save(); print(sorted(g._cache.codes))"
    first = subprocess.run([sys.executable, "-c", script.format("libcst")], env=env, capture_output=True, text=True)
    assert "'libcst'" in first.stdout and os.path.getsize(cache_file(tmp_path, "libcst")) > 100_000
    plain = subprocess.run([sys.executable, "-c", script.format("json")], env=env, capture_output=True, text=True)
    assert "libcst" not in plain.stdout
