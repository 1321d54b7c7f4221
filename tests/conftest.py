"""Shared fixtures: the repository root, and the console script of the environment running pytest.
Under pytest-xdist (`make test` runs `pytest -n 2`): each worker gets sandbox user ids and a sandbox state folder of its
own, tests that share an expensive module fixture run on one worker, and the slowest tests start first."""
import os, shutil, sys, tempfile
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent

if (_worker := os.environ.get("PYTEST_XDIST_WORKER")):  # set by xdist before this file is imported
    # The sandbox's own checks ("nothing left running under any sandbox uid", "no folder left behind", "the lowest free
    # uid comes first") hold per machine; two workers scoring at once must not see each other's programs. So each worker
    # takes a block of uids of its own past the default one (the pool is 128 wide; a run outside pytest keeps the default
    # block) and a temporary folder of its own, which its subprocesses inherit.
    _n = int(_worker.removeprefix("gw"))
    os.environ["OORL_NB_SANDBOX_UID"] = str(int(os.environ.get("OORL_NB_SANDBOX_UID", "61000")) + 128 * (_n + 1))
    _tmp = Path(tempfile.gettempdir())/f"oorl_nb-xdist-{os.geteuid()}-{_worker}"
    _tmp.mkdir(mode=0o711, exist_ok=True); _tmp.chmod(0o711)  # the sandbox users traverse it to their folders
    os.environ["TMPDIR"] = str(_tmp); tempfile.tempdir = None
    from oorl_nb import sandbox as _sandbox
    assert _sandbox.UID_BASE == int(os.environ["OORL_NB_SANDBOX_UID"]) and _sandbox.UID_POOL == 128, "oorl_nb.sandbox was imported too early"

# Tests that take minutes, started first so that no worker is left with one of them at the end (order only; all run).
SLOW_FIRST = ["test_problems.py::test_every_reference_passes", "test_trainer.py::test_two_processes", "test_trainer.py::test_deepspeed",
              "test_eval.py::test_ablate", "test_docs_site.py", "test_synthetic.py::test_references_pass",
              "test_rewards.py::test_every_attack", "test_rewards.py::test_attack_stages", "test_rewards.py::test_nothing_left",
              "test_ir_groups.py::test_committed_groups_reverify", "test_cli.py::test_demo", "test_trainer.py::test_resume_after_kill",
              "test_trainer.py::test_a_finished_run"]

def _rank(item) -> int:
    return next((i for i, key in enumerate(SLOW_FIRST) if key in item.nodeid), len(SLOW_FIRST))

def pytest_collection_modifyitems(config, items):
    items.sort(key=_rank)  # stable: the rest keep their order
    for item in items:  # one xdist group per expensive module- or session-scoped fixture of a test file: it is built once
        defs = [d for ds in item._fixtureinfo.name2fixturedefs.values() for d in ds]
        shared = [d for d in defs if d.scope != "function" and Path(d.func.__code__.co_filename) == Path(item.fspath)]  # this file's own
        if shared: item.add_marker(pytest.mark.xdist_group(f"{Path(item.fspath).name}::{shared[0].argname}"))

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
