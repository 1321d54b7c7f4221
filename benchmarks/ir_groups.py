#!/usr/bin/env python
"""IR-group building speed on data_samples/c_functions: functions/second and the time split.

Runs `build_groups` twice on the sample set: first with an empty compile cache (every source compiled at
every pipeline), then again with the cache warm (what a rebuild costs). zig's own cache is left as it is:
its one-time build of libc stubs (about 30 s on a new machine) is not part of either figure.

    python benchmarks/ir_groups.py [--workers N] [--limit K]
"""
import argparse, os, tempfile, time

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    ap.add_argument("--limit", type=int, default=None, help="only the first K sources")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        os.environ["OORL_NB_CACHE"] = cache  # read by the worker processes too
        from oorl_nb.ir_groups import build_groups, summarize, require_toolchain
        from oorl_nb.data import samples_dir
        tc = require_toolchain()
        sources = sorted((samples_dir()/"c_functions").glob("*.c"))[:args.limit]
        workers = args.workers or os.cpu_count()
        print(f"{len(sources)} C sources, {workers} workers, {tc.name}: {tc.version}")
        for label in ("cold compile cache", "warm compile cache"):
            start = time.perf_counter()
            reports = build_groups(sources, workers=workers)
            wall = time.perf_counter() - start
            s = summarize(reports)
            split = s["seconds"]; busy = sum(split.values()) or 1.0
            print(f"{label}: {wall:.1f}s wall, {len(sources) / wall:.2f} functions/s, {s['groups']} groups; "
                  + ", ".join(f"{k} {v:.1f}s ({100 * v / busy:.0f}%)" for k, v in split.items()) + " of worker time")

if __name__ == "__main__":
    main()
