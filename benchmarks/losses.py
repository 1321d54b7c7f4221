#!/usr/bin/env python
"""GEPO step vs DPO step on the same tokens: time per token and peak memory, as ratios.

For each group size n+n, the same 2n sequences (one prompt, n winners, n losers) go through
one padded forward and backward of a LoRA policy; DPO pairs winner i with loser i, GEPO takes the whole group.
"cache" reads the reference log-probs from a ReferenceLogpCache; "no cache" runs the reference forward
(adapters disabled) every step. Each configuration runs in its own process so that peak memory
(CUDA: max_memory_allocated; CPU: peak RSS growth) belongs to it alone.

    python benchmarks/losses.py                  # group sizes 2, 4, 8; prints a table
    python benchmarks/losses.py --sizes 2 --steps 1 --response-len 32 --vocab 4096   # a smoke run
"""
import argparse, json, os, resource, subprocess, sys, time

def rss_mb() -> float:
    with open("/proc/self/statm") as f: return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

def run_one(cfg: dict) -> dict:
    "One configuration, in this process: warm-up step, then timed steps. Returns time per token and peak memory."
    import torch, peft
    from oorl_nb.losses import pad_batch, response_logps, reference_logps, gepo_loss, dpo_loss, ReferenceLogpCache, tiny_qwen2
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = tiny_qwen2(cfg["vocab"], cfg["hidden"], cfg["layers"], max_positions=4096).to(device)
    policy = peft.get_peft_model(model, peft.LoraConfig(r=8, target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "up_proj", "down_proj", "gate_proj"]))
    opt = torch.optim.AdamW([p for p in policy.parameters() if p.requires_grad], lr=1e-4)
    n, L = cfg["n"], cfg["response_len"]
    prompt = torch.randint(0, cfg["vocab"], (cfg["prompt_len"],)).tolist()
    responses = [torch.randint(0, cfg["vocab"], (L - 7 * i % 17,)).tolist() for i in range(2 * n)]  # ragged lengths
    batch = {k: v.to(device) for k, v in pad_batch([prompt] * (2 * n), responses).items()}
    w, l = list(range(n)), list(range(n, 2 * n))
    keys = [("group", str(i)) for i in range(2 * n)]
    cache = ReferenceLogpCache()
    if cfg["cache"]: cache.fill(keys, lambda idx: reference_logps(policy, {k: v[idx] for k, v in batch.items()}, cfg["chunk"]))

    def step():
        pol = response_logps(policy, **batch, chunk_size=cfg["chunk"])
        ref = cache.get(keys, device) if cfg["cache"] else reference_logps(policy, batch, cfg["chunk"])
        if cfg["loss"] == "gepo": loss = gepo_loss(pol[w][None], ref[w][None], pol[l][None], ref[l][None])
        else: loss = dpo_loss(pol[w], pol[l], ref[w], ref[l])
        opt.zero_grad(); loss.backward(); opt.step()

    # peak memory of a training step over the resting state (model, optimizer, batch, cache already in memory)
    if device == "cuda": torch.cuda.synchronize(); torch.cuda.reset_peak_memory_stats(); base = torch.cuda.memory_allocated()
    else: base = rss_mb()
    step()  # warm-up: allocator, kernels (not timed)
    start = time.perf_counter()
    for _ in range(cfg["steps"]): step()
    if device == "cuda": torch.cuda.synchronize()
    seconds = (time.perf_counter() - start) / cfg["steps"]
    if device == "cuda": peak = (torch.cuda.max_memory_allocated() - base) / 2**20
    else: peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base
    tokens = int(batch["response_mask"].sum())
    return dict(cfg, device=device, tokens=tokens, ms_per_token=1000 * seconds / tokens, peak_mb=max(peak, 0.0))

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2, 4, 8], help="n for groups of n winners + n losers")
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--response-len", type=int, default=256)
    ap.add_argument("--prompt-len", type=int, default=64)
    ap.add_argument("--vocab", type=int, default=32000)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=1024, help="positions per log-prob chunk")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one JSON config and print its result
    args = ap.parse_args()
    if args.one: print(json.dumps(run_one(json.loads(args.one)))); return
    common = dict(steps=args.steps, response_len=args.response_len, prompt_len=args.prompt_len, vocab=args.vocab,
                  hidden=args.hidden, layers=args.layers, chunk=args.chunk)
    results = {}
    for n in args.sizes:
        for cache in (True, False):
            for loss in ("dpo", "gepo"):
                cfg = dict(common, n=n, cache=cache, loss=loss)
                out = subprocess.run([sys.executable, __file__, "--one", json.dumps(cfg)], capture_output=True, text=True, check=True)
                results[n, cache, loss] = json.loads(out.stdout.strip().splitlines()[-1])
    r0 = next(iter(results.values()))
    print(f"device {r0['device']}; Qwen2 vocab {args.vocab}, hidden {args.hidden}, {args.layers} layers, LoRA r=8; "
          f"prompt {args.prompt_len} + response ≤{args.response_len} tokens; {args.steps} timed steps after 1 warm-up")
    print(f"{'group':>6} {'ref':>8} | {'DPO ms/tok':>10} {'GEPO ms/tok':>11} {'time GEPO/DPO':>13} | {'DPO MB':>8} {'GEPO MB':>8} {'mem GEPO/DPO':>12}")
    for n in args.sizes:
        for cache in (True, False):
            d, g = results[n, cache, "dpo"], results[n, cache, "gepo"]
            mem_ratio = g["peak_mb"] / d["peak_mb"] if d["peak_mb"] > 1 else float("nan")
            print(f"{f'{n}+{n}':>6} {'cache' if cache else 'forward':>8} | {d['ms_per_token']:>10.3f} {g['ms_per_token']:>11.3f} "
                  f"{g['ms_per_token'] / d['ms_per_token']:>13.2f} | {d['peak_mb']:>8.1f} {g['peak_mb']:>8.1f} {mem_ratio:>12.2f}")
    for n in args.sizes:
        g_c, g_f = results[n, True, "gepo"], results[n, False, "gepo"]
        print(f"GEPO {n}+{n}: the reference cache saves {100 * (1 - g_c['ms_per_token'] / g_f['ms_per_token']):.0f}% of step time")

if __name__ == "__main__":
    main()
