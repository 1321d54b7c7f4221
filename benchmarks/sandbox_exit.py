#!/usr/bin/env python
"""How many trivial sandboxed runs fail on a busy machine: `cat` (which closes its output in an exit handler, before
it exits) fed one byte in one process, beside a second process running `python3 -c 'print(1)'` in a loop.

    python benchmarks/sandbox_exit.py [--seconds 15]

Every run should end with exit 0 and its output; the script prints, per process, how many did not and why.
"""
import argparse, collections, subprocess, sys, time

PROGRAMS = {"cat": (["cat"], b"x", "x"), "python": (["python3", "-c", "print(1)"], None, "1\n")}

def loop(name: str, seconds: float) -> None:
    "Run one program in fresh sandboxes for `seconds`; print the runs and how the failed ones ended."
    from oorl_nb.sandbox import run_sandboxed
    argv, stdin, expected = PROGRAMS[name]
    failed, runs, end = collections.Counter(), 0, time.monotonic() + seconds
    while time.monotonic() < end:
        r = run_sandboxed(argv, stdin=stdin)
        runs += 1
        if (r.returncode, r.stdout) != (0, expected): failed[r.behaviour()] += 1
    print(f"{name:7} {runs:5} runs, {sum(failed.values()):5} failed {dict(failed) if failed else ''}", flush=True)

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--loop", choices=PROGRAMS, help=argparse.SUPPRESS)  # one of the two processes
    args = ap.parse_args()
    if args.loop: loop(args.loop, args.seconds); return 0
    procs = [subprocess.Popen([sys.executable, __file__, "--loop", name, "--seconds", str(args.seconds)]) for name in PROGRAMS]
    return max(p.wait() for p in procs)

if __name__ == "__main__":
    sys.exit(main())
