"""Where the tests find the repository, their data and the bundled demo tenant."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
TESTS_DIR = REPO_ROOT / "tests"
DATA_DIR = TESTS_DIR / "data"
SAMPLE_TENANT = DATA_DIR / "sample-tenant"
DEMO_DIR = REPO_ROOT / "resources" / "demo"
