"""Shared fixtures: the repository root, and the console script of the environment running pytest.
Under pytest-xdist (`make test` runs `pytest -n 2`): each worker gets sandbox user ids and a sandbox state folder of its
own, tests that share an expensive module fixture run on one worker, and the slowest tests start first."""
import json, os, shutil, sys, tempfile
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
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # two workers share two cores: no torch thread pools fighting over them
    from oorl_nb import sandbox as _sandbox
    assert _sandbox.UID_BASE == int(os.environ["OORL_NB_SANDBOX_UID"]) and _sandbox.UID_POOL == 128, "oorl_nb.sandbox was imported too early"

# Tests that take minutes, started first so that no worker is left with one of them at the end (order only; all run).
SLOW_FIRST = ["test_preference_learns.py", "test_rewards.py::test_every_attack", "test_rewards.py::test_attack_stages", "test_rewards.py::test_nothing_left",
              "test_trainer.py::test_two_processes", "test_trainer.py::test_deepspeed", "test_problems.py::test_every_reference_passes",
              "test_notebook_runs_top_to_bottom[10_ablation", "test_notebook_runs_top_to_bottom[07_trainer",
              "test_notebook_runs_top_to_bottom[22_problems", "test_eval.py::test_ablate", "test_docs_site.py", "test_synthetic.py::test_references_pass",
              "test_ir_groups.py::test_committed_groups_reverify", "test_cli.py::test_demo", "test_trainer.py::test_resume_after_kill",
              "test_trainer.py::test_a_finished_run", "test_trainer.py::test_rl_unlearns"]

def _rank(item) -> int:
    return next((i for i, key in enumerate(SLOW_FIRST) if key in item.nodeid), len(SLOW_FIRST))

# Tests that share an expensive module fixture of their file form one work unit of xdist's scheduler, so the fixture is built
# once. xdist's own `xdist_group` marks cannot carry this: they work by renaming node ids, which pytest 9.2 no longer allows
# (pytest-xdist#1386), and the controller, which schedules, never sees fixtures. So each worker writes the groups it
# collected to a folder the controller named, and the controller's scheduler reads them when it splits the work.
if not os.environ.get("OORL_NB_XDIST_GROUPS"):  # the controller (or a run without xdist) names the folder; workers inherit it
    os.environ["OORL_NB_XDIST_GROUPS"] = tempfile.mkdtemp(prefix="oorl_nb-xdist-groups-")
GROUPS = Path(os.environ["OORL_NB_XDIST_GROUPS"])

def fixture_group(item) -> str | None:
    "The work unit of a test: its file's first module- or session-scoped fixture that it uses, or None."
    defs = [d for ds in item._fixtureinfo.name2fixturedefs.values() for d in ds]
    shared = [d for d in defs if d.scope != "function" and Path(d.func.__code__.co_filename) == Path(item.fspath)]  # this file's own
    return f"{Path(item.fspath).name}::{shared[0].argname}" if shared else None

def pytest_collection_modifyitems(config, items):
    items.sort(key=_rank)  # stable: the rest keep their order
    if _worker:
        groups = {item.nodeid: g for item in items if (g := fixture_group(item))}
        tmp = GROUPS/f"{_worker}.json.tmp"; tmp.write_text(json.dumps(groups)); tmp.replace(GROUPS/f"{_worker}.json")

@pytest.hookimpl(optionalhook=True)  # an xdist hook: without xdist, nothing calls it
def pytest_xdist_make_scheduler(config, log):
    "Under `--dist loadgroup`: xdist's load-scope scheduler with the fixture groups above as its scopes."
    if config.getvalue("dist") != "loadgroup": return None
    from xdist.scheduler import LoadScopeScheduling
    class FixtureGroupScheduling(LoadScopeScheduling):
        _groups: dict[str, str] | None = None
        def _split_scope(self, nodeid: str) -> str:  # called only once every worker has collected, so the files exist
            if self._groups is None: self._groups = {k: v for f in GROUPS.glob("gw*.json") for k, v in json.loads(f.read_text()).items()}
            return self._groups.get(nodeid, nodeid)
    return FixtureGroupScheduling(config, log)

def pytest_unconfigure(config):
    if not _worker: shutil.rmtree(GROUPS, ignore_errors=True)

def pytest_runtest_setup(item):
    "Under `--dist loadgroup`, fail a test whose fixture group was split across workers: its fixture would be built twice."
    if _worker and item.config.getvalue("loadgroup") and (group := fixture_group(item)):
        mark = GROUPS/f"ran-{group.replace('/', '_')}-{_worker}"; mark.touch()
        if others := [p.name for p in GROUPS.glob(f"ran-{group.replace('/', '_')}-gw*") if p != mark]:
            pytest.fail(f"tests of {group} ran on more than one worker ({others}): the scheduler did not keep the group together")

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

@pytest.fixture
def oorl_nb_main(capsys):
    """`oorl-nb ARGS` run in this process: (exit code, stdout, stderr). For tests of what a command does, which need
    not pay a fresh interpreter's imports of torch and peft; `oorl_nb_cmd` tests the console script itself."""
    from oorl_nb.cli import main
    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def _force_avx512bf16(monkeypatch, present: bool):
    "Every Linear4bit built from now on behaves as on a CPU with (Zen 4, Sapphire Rapids) or without AVX512-BF16, whatever this CPU is."
    import bitsandbytes.nn.modules as bnb_modules
    monkeypatch.setattr(bnb_modules, "has_avx512bf16", lambda: present)  # Linear4bit.__init__ reads it into its flag
    assert bnb_modules.Linear4bit(64, 64).support_avx512bf16_for_cpu == present

@pytest.fixture
def avx512bf16_cpu(monkeypatch):
    "An AVX512-BF16 CPU: where bitsandbytes would repack 4-bit weights for its inference-only kernel."
    _force_avx512bf16(monkeypatch, True)

@pytest.fixture(params=[True, False], ids=["avx512bf16", "no-avx512bf16"])
def either_cpu(request, monkeypatch) -> bool:
    "The test runs twice: as on a CPU with AVX512-BF16 and as on one without (the two 4-bit code paths users get)."
    _force_avx512bf16(monkeypatch, request.param)
    return request.param
