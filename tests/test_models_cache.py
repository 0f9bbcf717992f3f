"""The models cache answers a second reading without parsing a models module, and is never stale."""

import json
import os

from migrate_assistant import models_cache
from migrate_assistant.model_index import is_models_module
from migrate_assistant.models_cache import summarize
from migrate_assistant.project import discover

UPTIME = "src/sentry/uptime/models.py"


def fields(repo, model: str, app: str = "uptime") -> list[str]:
    index = discover(repo).index
    [found] = [m for m in index.model_summaries[app] if m.name == model]
    return list(found.fields)


def parsed_models_modules(index) -> list:
    return [path for path in index._texts if is_models_module(path)]


def test_a_second_reading_parses_no_models_module_and_agrees_with_a_full_one(repo):
    first = discover(repo).index.model_summaries
    index = discover(repo).index
    assert index.model_summaries == first
    assert parsed_models_modules(index) == []
    fresh = discover(repo).index
    assert summarize(fresh.models) == first
    [region] = [m for m in first["uptime"] if m.name == "UptimeRegion"]
    assert (region.path, region.line) == (repo / UPTIME, 43)
    assert region.fields["slug"].class_name == "CharField"


def test_a_same_size_edit_with_its_mtime_put_back_is_seen(repo):
    assert "timeout_ms" in fields(repo, "UptimeSubscription")
    path = repo / UPTIME
    before = os.stat(path)
    path.write_text(path.read_text().replace("timeout_ms =", "timeout_xx ="))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    assert "timeout_xx" in fields(repo, "UptimeSubscription")


def test_a_new_models_module_is_seen(repo):
    assert fields(repo, "UptimeSubscription")
    (repo / "src/sentry/models/probe.py").write_text(
        "from django.db import models\n\n\nclass Probe(models.Model):\n    host = models.CharField(max_length=9)\n"
    )
    assert fields(repo, "Probe", "sentry") == ["host"]


def test_a_format_bump_reads_again(repo, monkeypatch):
    assert discover(repo).index.model_summaries["uptime"]
    monkeypatch.setattr(models_cache, "FORMAT", models_cache.FORMAT + 1)
    index = discover(repo).index
    assert index.model_summaries == summarize(index.models)
    assert parsed_models_modules(index)


def test_a_corrupt_cache_is_read_again(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("MIGRATE_ASSISTANT_CACHE_DIR", str(tmp_path / "c"))
    first = discover(repo).index.model_summaries
    [cache] = (tmp_path / "c").glob("models-*.json")
    cache.write_text("{not json")
    assert discover(repo).index.model_summaries == first
    assert json.loads(cache.read_text())["answer"]["uptime"]


def test_the_modules_cache_reads_no_models_module_and_sees_a_module_created_later(repo):
    models = repo / UPTIME
    models.write_text(models.read_text() + "\nfrom sentry.uptime.extra import *  # noqa: F403\n")
    first = discover(repo).index
    assert first.models_modules and first._class_files["uptimeregion"] == [models]
    warm = discover(repo).index
    assert warm.models_modules == first.models_modules and warm._class_files == first._class_files
    assert parsed_models_modules(warm) == []
    (repo / "src/sentry/uptime/extra.py").write_text(
        "from django.db import models\n\n\nclass Probe(models.Model):\n    host = models.CharField(max_length=9)\n"
    )
    assert fields(repo, "Probe") == ["host"]
