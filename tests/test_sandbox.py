"""The sandbox on its own: limits, environment, cleanup, and that parallel sandboxes never share a user id."""
import contextlib, os, signal, subprocess, sys, tempfile
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor
import pytest
from oorl_nb import sandbox
from oorl_nb.sandbox import Limits, Sandbox, isolation, run_sandboxed, _pids_of, _procs_of

needs_uid = pytest.mark.skipif(not isolation().switch_user, reason="needs root and setpriv for a user id per sandbox")

def test_exit_status_and_signals_come_back_unchanged():
    assert run_sandboxed(["sh", "-c", "exit 145"]).returncode == 145
    assert run_sandboxed(["python3", "-c", "import os; os.abort()"]).returncode == -signal.SIGABRT

def test_environment_is_rebuilt(monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "do-not-leak")
    out = run_sandboxed(["env"]).stdout
    assert "do-not-leak" not in out and "HOME=" in out

def test_stdin_is_empty_unless_given():
    assert run_sandboxed(["cat"], limits=Limits(wall_seconds=2)).ok
    assert run_sandboxed(["cat"], stdin=b"hello").stdout == "hello"

def test_a_run_ends_when_the_program_exits_not_when_its_output_ends():
    "Like `cat`, which closes stdout and stderr in an exit handler, only slower: killed at end of file, it would score -9."
    r = run_sandboxed(["sh", "-c", "echo done; exec 1>&- 2>&-; sleep 0.3; exit 0"])
    assert (r.returncode, r.stdout, r.timed_out) == (0, "done\n", False) and r.seconds >= 0.3

def test_a_program_that_closes_its_output_and_runs_on_times_out():
    r = run_sandboxed(["sh", "-c", "exec 1>&- 2>&-; sleep 30"], limits=Limits(wall_seconds=1))
    assert r.timed_out and r.returncode == -signal.SIGKILL and r.seconds < 5

LOOP = """
import sys, time
from oorl_nb.sandbox import run_sandboxed
programs = {"cat": (["cat"], b"x", "x"), "sort": (["sort"], b"b\\na\\n", "a\\nb\\n"), "tr": (["tr", "a", "b"], b"a", "b"),
            "python": (["python3", "-c", "print(1)"], None, "1\\n"), "sh": (["sh", "-c", "echo 1"], None, "1\\n")}
runs, failures, end = 0, [], time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    for name in sys.argv[1].split(","):
        argv, stdin, expected = programs[name]
        r = run_sandboxed(argv, stdin=stdin)
        runs += 1
        if (r.returncode, r.stdout) != (0, expected): failures.append(f"{name}: {r.behaviour()} {r.stdout!r}")
print(runs, len(failures), failures[:5])
"""

def test_two_processes_looping_trivial_runs_never_fail():
    "On a busy machine the window between a program closing its output and exiting is wide: no run may die in it."
    loops = [subprocess.Popen([sys.executable, "-c", LOOP, names, "5"], stdout=subprocess.PIPE, text=True)
             for names in ("cat,sort,tr", "python,sh,cat")]
    reports = [p.communicate(timeout=120)[0].split(maxsplit=2) for p in loops]
    assert all(int(runs) > 10 and failures == "0" for runs, failures, _ in reports), reports

def test_cpu_limit_reports_a_timeout():
    r = run_sandboxed(["python3", "-c", "while True: pass"], limits=Limits(wall_seconds=10, cpu_seconds=1))
    assert r.timed_out and r.seconds < 5

def test_file_size_limit():
    r = run_sandboxed(["sh", "-c", "head -c 3000000 /dev/zero > big"], limits=Limits(file_size_mb=1))
    assert not r.ok

def test_output_cap_kills_early():
    r = run_sandboxed(["sh", "-c", "yes"], limits=Limits(output_bytes=1000, wall_seconds=10))
    assert r.output_limited and len(r.stdout) == 1000 and r.seconds < 5

@needs_uid
def test_parallel_sandboxes_have_distinct_users_and_clean_up():
    def one(_):
        with Sandbox() as box:
            r = box.run(["sh", "-c", "id -u; (setsid sleep 60 &) ; echo x > /tmp/oorl_sandbox_test_$(id -u)"])
            return int(r.stdout.split()[0]), box.uid
    with ThreadPoolExecutor(6) as pool: results = list(pool.map(one, range(12)))
    assert all(a == b for a, b in results)
    for _, uid in results:
        assert _pids_of(uid) == [] and not os.path.exists(f"/tmp/oorl_sandbox_test_{uid}")

@needs_uid
def test_sandbox_cannot_read_root_only_files(tmp_path):
    secret = tmp_path/"secret"; secret.write_text("s3cret"); secret.chmod(0o600)
    assert run_sandboxed(["cat", str(secret)]).returncode != 0

@needs_uid
def test_fork_bomb_leaves_no_zombies_for_the_next_borrower():
    "Zombies count against RLIMIT_NPROC: the next sandbox on the same user id must still be able to fork."
    with Sandbox(Limits(wall_seconds=3)) as box:
        box.run(["sh", "-c", "bomb() { bomb | bomb & }; bomb; sleep 1"])
        uid = box.uid
    assert _procs_of(uid) == []
    with Sandbox(Limits(max_processes=8)) as box:
        assert box.uid == uid  # the lowest free id comes first
        assert box.run(["sh", "-c", "for i in 1 2 3 4; do true & done; wait; echo forked"]).stdout == "forked\n"

HOLDER = """
from oorl_nb.sandbox import Limits, Sandbox
first, held = Sandbox(), Sandbox()
first.close()  # hold the pool's second id only
print(held.uid, held.dir, flush=True)
r = held.run(["sh", "-c", "while [ ! -e go ]; do sleep 0.05; done; echo alive"], limits=Limits(wall_seconds=60))
print(r.returncode, r.stdout.strip(), flush=True)
held.close()
"""

OTHER = """
from oorl_nb.sandbox import Sandbox
with Sandbox() as box: print(box.uid, box.run(["id", "-u"]).stdout.strip())
"""

@needs_uid
def test_pools_one_id_apart_never_share_an_id():
    "Bases 1 apart, and temporary folders apart: the second pool's first id is held by the first, so it must be skipped."
    base = sandbox.UID_BASE + 64  # inside this worker's own block of 128 ids
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        for tmp in (a, b): os.chmod(tmp, 0o711)  # the sandbox users pass through to their folders
        env = lambda offset, tmp: {**os.environ, "OORL_NB_SANDBOX_UID": str(base + offset), "TMPDIR": tmp}
        holder = subprocess.Popen([sys.executable, "-c", HOLDER], env=env(0, a), stdout=subprocess.PIPE, text=True)
        try:
            held_uid, held_dir = holder.stdout.readline().split()
            other = subprocess.run([sys.executable, "-c", OTHER], env=env(1, b), capture_output=True, text=True, timeout=60)
            with contextlib.suppress(FileNotFoundError): Path(held_dir, "go").touch()  # as root: the held program may end now
            out = holder.communicate(timeout=60)[0]
        finally: holder.kill()
    other_uid, its_id = other.stdout.split()
    assert int(held_uid) == base + 1 and other_uid == its_id and int(other_uid) != int(held_uid), (held_uid, other.stdout, other.stderr)
    assert out.split() == ["0", "alive"], out  # the other run's kill_user did not reach the held id's program
