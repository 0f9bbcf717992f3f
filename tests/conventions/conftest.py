"""The plain and django-safemigrate sample repositories, in git."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from migrate_assistant.sample import build_sample_repo


@pytest.fixture(scope="session")
def plain_template(tmp_path_factory) -> Path:
    return build_sample_repo(tmp_path_factory.mktemp("plain") / "repo", convention="plain")


@pytest.fixture(scope="session")
def safemigrate_template(tmp_path_factory) -> Path:
    return build_sample_repo(tmp_path_factory.mktemp("safemigrate") / "repo", convention="safemigrate")


@pytest.fixture
def plain_repo(plain_template, tmp_path) -> Path:
    return Path(shutil.copytree(plain_template, tmp_path / "plain", symlinks=True))


@pytest.fixture
def safemigrate_repo(safemigrate_template, tmp_path) -> Path:
    return Path(shutil.copytree(safemigrate_template, tmp_path / "safemigrate", symlinks=True))
