"""Evaluation throughput: problems/second, and where the time goes (generating vs executing the unit tests).

    python benchmarks/evaluate.py --specs 10                 # embedded model, greedy, 60 held-out problems
    python benchmarks/evaluate.py --model PATH --specs 50    # any model
"""
import argparse, sys, time
from oorl_nb.evaluate import eval_problems
from oorl_nb.model import ModelConfig, load_policy
from oorl_nb.rewards import available_languages
from oorl_nb.rollouts import rollouts

def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="embedded"); p.add_argument("--mode", default="full")
    p.add_argument("--specs", type=int, default=10); p.add_argument("--max-new-tokens", type=int, default=192)
    p.add_argument("--chunk", type=int, default=16, help="problems per generate call (default 16)")
    args = p.parse_args(argv)
    policy = load_policy(ModelConfig(name_or_path=args.model, mode=args.mode, gradient_checkpointing=False))
    problems = [q for q in eval_problems("synthetic-heldout", args.specs) if q.target_lang in available_languages()]
    start = time.perf_counter()
    batch = rollouts(policy, problems, k=1, max_new_tokens=args.max_new_tokens, temperature=0.0, prompts_per_chunk=args.chunk)
    total = time.perf_counter() - start
    executing = sum(r.result.seconds for r in batch.rollouts)
    print(f"{len(problems)} problems in {total:.1f}s: {len(problems) / total:.2f} problems/s, {batch.response_tokens / batch.generate_seconds:.0f} generated tokens/s")
    print(f"generating {batch.generate_seconds:.1f}s ({100 * batch.generate_seconds / total:.0f}% of the wall time); executor busy "
          f"{executing:.1f}s summed over items, of which {batch.reward_wait_seconds:.1f}s ({100 * batch.reward_wait_seconds / total:.0f}% "
          f"of the wall time) did not overlap generation")
    return 0

if __name__ == "__main__":
    sys.exit(main())
