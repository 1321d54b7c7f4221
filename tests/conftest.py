"""Shared fixtures: the repository root, and the console script of the environment running pytest."""
import shutil, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent

@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT

@pytest.fixture(scope="session")
def oorl_nb_cmd() -> list[str]:
    "The installed `oorl-nb` console script (the one beside this Python, so tests use the right venv)."
    exe = Path(sys.executable).parent/"oorl-nb"
    if not exe.exists(): exe = shutil.which("oorl-nb")
    if not exe: pytest.fail("the oorl-nb console script is not installed; run `pip install -e .`")
    return [str(exe)]
