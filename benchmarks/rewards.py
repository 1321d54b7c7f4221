#!/usr/bin/env python
"""Reward-executor throughput per language on the shipped problems, against a naive executor, as a ratio.

The executor under test compiles each candidate once, runs all its tests in one process, and scores items on
`--workers` threads. The naive baseline is what a first implementation does: for every test case, assemble a
program with that one case, compile it and run it, one subprocess after another (same sandbox, same limits,
so only the strategy differs). Both score the reference solutions of the first `--specs` problems, in the
same run; every item must pass in both, or the benchmark says so. Problems with references in all ten
languages come first.

    python benchmarks/rewards.py [--specs 8] [--workers N]
"""
import argparse, os, time
from collections import defaultdict
from dataclasses import replace

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--specs", type=int, default=8, help="problems to score (default 8)")
    ap.add_argument("--workers", type=int, default=None, help="parallel items for the executor (default: all cores)")
    args = ap.parse_args()
    from oorl_nb.problems import load_specs, reference_items, tests_for
    from oorl_nb.rewards import RewardConfig, available_languages, extract_code, score_batch, score_program
    from oorl_nb.sandbox import isolation
    specs = sorted(load_specs(), key=lambda s: (-len(s.solutions), s.id))[:args.specs]  # all ten languages first
    langs = available_languages()
    workers = args.workers or os.cpu_count()
    print(f"{len(specs)} problems, languages with a toolchain: {', '.join(langs)}; executor workers: {workers}; "
          f"{os.cpu_count()} cores\n{isolation().describe()}")
    by_spec = {s.id: s for s in specs}
    print(f"\n{'language':12} {'items':>5} {'cases':>5} {'executor items/s':>17} {'naive items/s':>14} {'speed-up':>9}")
    total = {"items": 0, "fast": 0.0, "naive": 0.0}
    for lang in langs:
        items = [(p, c) for p, c in reference_items(specs) if p.target_lang == lang]
        if not items: continue
        start = time.perf_counter()
        passed = sum(r.reward for r in score_batch(items, RewardConfig(workers=workers)))
        t_fast = time.perf_counter() - start
        start, cases = time.perf_counter(), 0
        for prob, completion in items:  # naive: one program, one compile and one run per test case, serially
            spec, code = by_spec[prob.id.split("/")[0]], extract_code(completion, lang)
            for case in spec.cases:
                prelude, tests = tests_for(replace(spec, cases=[case]), lang)
                passed += score_program(lang, code, tests, prelude).reward / len(spec.cases)
                cases += 1
        t_naive = time.perf_counter() - start
        n = len(items)
        print(f"{lang:12} {n:>5} {cases:>5} {n / t_fast:>17.2f} {n / t_naive:>14.2f} {t_naive / t_fast:>8.1f}x")
        if round(passed) != 2 * n: print(f"  warning: not every {lang} item passed in both executors")
        total["items"] += n; total["fast"] += t_fast; total["naive"] += t_naive
    n = total["items"]
    print(f"{'all':12} {n:>5} {'':>5} {n / total['fast']:>17.2f} {n / total['naive']:>14.2f} {total['naive'] / total['fast']:>8.1f}x")

if __name__ == "__main__":
    main()
