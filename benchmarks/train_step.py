"""Peak memory and time of OORL steps for real architectures with random weights (no download needed).

Builds a model from a shape preset (Qwen2.5-Coder-1.5B, Qwen3-8B, ...) with random weights, saves it to a
temporary folder, loads it the way users do (`load_policy`: 4-bit NF4 + LoRA by default) and runs a few OORL
steps with a group size of 8 and completions of up to 1k tokens (random weights rarely emit EOS, so completions
run to the cap). Prints one table row per preset: peak GPU memory (`torch.cuda.max_memory_allocated`), the time
of a step and its split into generate / reward / learn (and the sampling copy's re-merge, part of generate), and
generated tokens per second. `--sampling-copy on|off` compares sampling with a plain merged copy of the policy
against sampling with the PEFT model (`rollout.sampling_copy`); `--kv-cache static --compile` samples with a
preallocated KV cache and a compiled forward (`rollout.kv_cache`, `rollout.compile`); `--decoder generate|compacting`
picks transformers' decode loop or the one that drops finished rows (`rollout.decoder`; random weights rarely end a
row early, so the two decode the same number of row-steps here).

    python benchmarks/train_step.py --presets qwen2.5-coder-1.5b qwen3-8b        # on a GPU (measured table: nbs/09_colab_gpu.ipynb)
    python benchmarks/train_step.py --presets tiny --max-new-tokens 32 --group-size 2 --steps 1   # CPU smoke run
"""
import argparse, gc, json, shutil, sys, tempfile, time
from pathlib import Path
import torch

PRESETS = {  # the shapes of the published configs (Qwen2.5-Coder-1.5B-Instruct, Qwen3-8B); a tiny one for CPU
    "qwen2.5-coder-1.5b": ("Qwen2Config", dict(vocab_size=151936, hidden_size=1536, intermediate_size=8960, num_hidden_layers=28,
                                                num_attention_heads=12, num_key_value_heads=2, tie_word_embeddings=True)),
    "qwen3-8b": ("Qwen3Config", dict(vocab_size=151936, hidden_size=4096, intermediate_size=12288, num_hidden_layers=36,
                                      num_attention_heads=32, num_key_value_heads=8, head_dim=128, tie_word_embeddings=False)),
    "tiny": ("Qwen2Config", dict(vocab_size=2048, hidden_size=128, intermediate_size=256, num_hidden_layers=2,
                                  num_attention_heads=4, num_key_value_heads=2, tie_word_embeddings=True)),
}

def build(preset: str, folder: Path) -> Path:
    "Save a randomly initialised model of `preset` (bf16) with the embedded tokenizer into `folder`."
    import transformers
    from oorl_nb.model import embedded_model_dir
    cls_name, shape = PRESETS[preset]
    config = getattr(transformers, cls_name)(max_position_embeddings=8192, **shape)
    torch.manual_seed(0)
    with torch.device("cuda" if torch.cuda.is_available() else "cpu"):
        model = transformers.AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16)
    model.save_pretrained(folder); del model
    gc.collect()
    if torch.cuda.is_available(): torch.cuda.empty_cache()  # so the peak below is the trainer's alone
    for f in embedded_model_dir().glob("tokenizer*"): shutil.copy(f, folder)
    for f in embedded_model_dir().glob("special_tokens_map.json"): shutil.copy(f, folder)
    return folder

def measure(preset: str, args) -> dict:
    from oorl_nb.rollouts import resolve_decoder
    from oorl_nb.trainer import OORLTrainer, config_from_dict
    with tempfile.TemporaryDirectory() as tmp:
        folder = build(preset, Path(tmp)/"model")
        config = config_from_dict(dict(
            model=dict(name_or_path=str(folder), mode=args.mode, lora_r=16), steps=args.steps,
            output_dir=str(Path(args.run_dir)/preset if args.run_dir else Path(tmp)/"run"),
            checkpoint_every=0, plots=False, data=dict(synthetic_specs=50, eval_specs=0),
            rollout=dict(prompts_per_step=args.prompts, group_size=args.group_size, max_new_tokens=args.max_new_tokens,
                         prompts_per_chunk=args.prompts_per_chunk, sampling_copy=args.sampling_copy,
                         kv_cache=args.kv_cache, compile=args.compile, decoder=args.decoder),
            onp=dict(micro_batch=args.micro_batch), preference=dict(groups_per_update=2, max_tokens=4096, micro_batch=2)))
        if torch.cuda.is_available(): torch.cuda.reset_peak_memory_stats()
        start = time.perf_counter()
        trainer = OORLTrainer(config, log=lambda s: None)
        load_s = time.perf_counter() - start
        rows = trainer.fit()
    last = rows[-1]
    sampler = trainer.policy.sampling_copy.model if trainer.policy.sampling_copy else trainer.policy.model
    return dict(preset=preset, mode=args.mode, device=torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu",
                load_s=round(load_s, 1), peak_memory_gib=round(last["peak_memory_mb"] / 1024, 2),
                step_s=round(last["time_step"], 1), generate_s=round(last["time_generate"], 1),
                reward_s=round(last["time_reward"], 1), learn_s=round(last["time_learn"], 1), refresh_s=round(last["time_refresh"], 2),
                tokens_per_s=round(last["tokens_per_s"] or 0, 1), response_tokens_mean=round(last["response_tokens_mean"], 1),
                sampling_copy="yes" if trainer.policy.sampling_copy else "no", kv_cache=args.kv_cache, compile=args.compile,
                decoder=resolve_decoder(args.decoder, args.kv_cache, sampler))

def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--presets", nargs="+", default=["qwen2.5-coder-1.5b"], choices=sorted(PRESETS))
    p.add_argument("--mode", default="qlora", choices=["qlora", "lora", "full"])
    p.add_argument("--steps", type=int, default=2, help="steps per preset; the last one is reported (default 2)")
    p.add_argument("--prompts", type=int, default=2, help="prompts per step (default 2)")
    p.add_argument("--group-size", type=int, default=8)
    p.add_argument("--max-new-tokens", type=int, default=1024)
    p.add_argument("--prompts-per-chunk", type=int, default=0, help="prompts sampled in one generate call (default 0: all of a step's, as the shipped GPU configs; the table in 09_colab_gpu used 2)")
    p.add_argument("--micro-batch", type=int, default=4)
    p.add_argument("--sampling-copy", default="auto", choices=["auto", "on", "off"],
                   help="generate with a plain merged copy of the policy: auto (when it fits), on, off (the PEFT model); default auto")
    p.add_argument("--kv-cache", default="dynamic", choices=["dynamic", "static"], help="generate's KV cache (rollout.kv_cache; default dynamic)")
    p.add_argument("--compile", action="store_true", help="torch.compile the forward while sampling (rollout.compile; needs --kv-cache static)")
    p.add_argument("--decoder", default="auto", choices=["auto", "compacting", "generate"],
                   help="the decode loop (rollout.decoder): compacting drops finished rows; default auto (compacting unless --kv-cache static)")
    p.add_argument("--run-dir", help="keep each preset's run directory (metrics.jsonl per step) under this folder")
    args = p.parse_args(argv)
    rows = [measure(preset, args) for preset in args.presets]
    import bitsandbytes, peft, transformers
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}, "
          f"bitsandbytes {bitsandbytes.__version__}")
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |\n|" + "---|" * len(keys))
    for r in rows: print("| " + " | ".join(str(r[k]) for k in keys) + " |")
    print(json.dumps(rows), file=sys.stderr)
    return 0

if __name__ == "__main__":
    sys.exit(main())
