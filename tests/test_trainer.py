"""The trainer as users run it: a QLoRA step on CPU, exact resume after `kill -9`, two processes under accelerate (replicas, DeepSpeed ZeRO-2)."""
import json, os, shutil, signal, subprocess, sys, time
from pathlib import Path
from typing import Sequence
import pytest, torch
from oorl_nb.machinery import comparable
from oorl_nb.trainer import OORLTrainer, config_from_dict, read_metrics

# tiny sizes: a step takes a few seconds on 2 CPU cores
# the demo's task mix, which the embedded π_ref sometimes passes, so that steps have groups with mixed rewards
TINY = ["data.synthetic_specs=20", "data.eval_specs=0", "data.levels=[1,2]", "data.sources=[python]", "data.targets=[javascript]",
        "rollout.prompts_per_step=2", "rollout.group_size=4", "rollout.max_new_tokens=48", "rollout.prompts_per_chunk=1", "preference.groups_per_update=2",
        "preference.max_tokens=640", "model.lora_r=4", "plots=false"]
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"}  # no spinning thread pools fighting over 2 cores

def tiny_config(tmp_path: Path, **top):
    values = dict(model=dict(lora_r=4), data=dict(synthetic_specs=20, eval_specs=0, targets=["javascript", "python"]),
                  rollout=dict(prompts_per_step=2, group_size=4, max_new_tokens=48, prompts_per_chunk=1),
                  preference=dict(groups_per_update=2, max_tokens=640), plots=False, output_dir=str(tmp_path/"run"))
    return config_from_dict({**values, **top})

def train(cmd, *args, cwd=None):
    return subprocess.run([*cmd, "train", "--config", "cpu-tiny", "--no-eval", "--set", *TINY, *args], capture_output=True,
                          text=True, env=ENV, cwd=cwd, timeout=900)

def train_error(oorl_nb_main, *args) -> tuple[int, str]:
    "`oorl-nb train` run in this process, for a run that must stop at once: (exit code, stderr)."
    code, _, err = oorl_nb_main("train", "--config", "cpu-tiny", "--no-eval", "--set", *TINY, *args)
    return code, err

@pytest.fixture
def mixed_rewards(monkeypatch):
    "Every other completion passes: every group has mixed rewards, whatever the model's skill."
    from oorl_nb import rollouts
    from oorl_nb.rewards import RewardResult
    fake = lambda items, config=None: [RewardResult(i % 2, "ok" if i % 2 else "test", 0.0) for i, _ in enumerate(items)]
    monkeypatch.setattr(rollouts, "score_batch", fake)

def test_qlora_step_moves_lora_weights_only_and_reference_starts_equal(tmp_path, mixed_rewards):
    trainer = OORLTrainer(tiny_config(tmp_path, steps=1, checkpoint_every=0), log=lambda s: None)
    model = trainer.policy.model
    assert any(type(m).__name__ == "Linear4bit" for m in model.modules())
    frozen = {n: p.detach().clone() for n, p in model.named_parameters() if not p.requires_grad}
    lora = {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}
    assert lora and all("lora_" in n for n in lora)
    row, = trainer.fit()
    # LoRA's B starts at 0: policy == reference, so every implicit reward is 0 and GEPO's loss is log 2
    assert row["gepo/margin"] == 0 and row["gepo/winner_variance"] == 0 and abs(row["gepo/loss"] - 0.693147) < 1e-5
    assert row["gepo/pairwise_accuracy"] == 0.5  # every pair ties, counted ½
    assert row["kl"] == 0 and row["onp/approx_kl"] == 0  # the sampler is the reference, and μ=1 learns on fresh samples
    after = dict(model.named_parameters())
    assert all(torch.equal(after[n], p) for n, p in frozen.items())
    assert any(not torch.equal(after[n], p) for n, p in lora.items())
    assert row["update_skipped"] == 0 and row["update_norm"] > 0 and 0 < row["groups_mixed"] <= 1

@pytest.mark.parametrize("variant", ["onp", "oorl"])
def test_a_step_without_reward_contrast_learns_only_from_the_preference_term(tmp_path, monkeypatch, variant):
    "No sample passes: the on-policy term has no signal. `onp` then makes no update at all; `oorl` still makes its preference update."
    from oorl_nb import rollouts
    from oorl_nb.rewards import RewardResult
    monkeypatch.setattr(rollouts, "score_batch", lambda items, config=None: [RewardResult(0, "test", 0.0) for _ in items])
    trainer = OORLTrainer(tiny_config(tmp_path, steps=2, checkpoint_every=0, variant=variant, rollout=dict(prompts_per_step=2, group_size=2,
                          max_new_tokens=32, prompts_per_chunk=2, min_mixed_groups=1, max_draws=2)), log=lambda s: None)
    before = [p.detach().clone() for p in trainer.policy.trainable_parameters()]
    rows = trainer.fit()
    assert [r["onp_skipped"] for r in rows] == [1, 1] and [r["prompts_drawn"] for r in rows] == [4, 4]  # two draws each
    assert all("onp/loss" not in r or r["onp/loss"] is None for r in rows)
    moved = not all(torch.equal(a, b) for a, b in zip(before, trainer.policy.trainable_parameters()))
    if variant == "onp":
        assert [r["update_skipped"] for r in rows] == [1, 1] and not moved
        assert trainer.scheduler.last_epoch == 0 and not trainer.optimizer.state  # no scheduler step, no optimiser step
    else:
        assert [r["update_skipped"] for r in rows] == [0, 0] and moved and all(r["gepo/loss"] > 0 for r in rows)

@pytest.mark.parametrize("variant", ["onp", "onp+dpo", "gepo", "dpo", "rft"])
def test_ablation_variants_log_their_terms(tmp_path, variant, mixed_rewards):
    row, = OORLTrainer(tiny_config(tmp_path, steps=1, checkpoint_every=0, variant=variant), log=lambda s: None).fit()
    assert ("onp/loss" in row) == (variant not in ("gepo", "dpo"))
    assert ("dpo/pairwise_accuracy" in row) == (variant in ("onp+dpo", "dpo"))
    assert ("gepo/pairwise_accuracy" in row) == (variant == "gepo")
    assert row["update_skipped"] == 0

def test_each_update_draws_its_own_ir_groups(tmp_path):
    "μ epochs × mini-batches reuse the step's rollouts, never its IR groups: every update of a step gets groups of its own."
    trainer = OORLTrainer(tiny_config(tmp_path, steps=1, onp=dict(epochs=2, mini_batches=2)), log=lambda s: None)
    drawn = [tuple(g["id"] for g in trainer._update_groups(e, b)) for e in range(2) for b in range(2)]
    assert len(set(drawn)) == 4 and all(len(d) == 2 for d in drawn)
    assert drawn == [tuple(g["id"] for g in trainer._update_groups(e, b)) for e in range(2) for b in range(2)]  # reproducible

def test_the_preference_budget_bounds_its_own_gradient_only(tmp_path, mixed_rewards):
    "With its own clip near 0, OORL's update is the on-policy update: the preference gradient neither adds nor shrinks it."
    rows, weights = {}, {}
    for variant, clip in (("onp", 0.0), ("oorl", 1e-12)):
        torch.manual_seed(0)
        trainer = OORLTrainer(tiny_config(tmp_path/variant, steps=1, checkpoint_every=0, variant=variant, seed=3,
                                          preference=dict(groups_per_update=2, max_tokens=640, grad_clip=clip)), log=lambda s: None)
        rows[variant], = trainer.fit()
        weights[variant] = [p.detach().clone() for p in trainer.policy.trainable_parameters()]
    assert rows["oorl"]["gepo/grad_norm"] > 1e-6  # there was a preference gradient, and the budget cut it
    assert max(float((a - b).abs().max()) for a, b in zip(weights["onp"], weights["oorl"])) < 1e-6

def test_a_groups_file_is_used_as_given(tmp_path):
    "Every group of a user's own file is trained on (the hash split is for the shipped mix only); only overlong ones are left out, counted."
    from oorl_nb.data import IRGroup, load_jsonl, samples_dir, write_jsonl
    from oorl_nb.ir_groups import group_split
    groups = load_jsonl(samples_dir()/"ir_groups.jsonl", IRGroup)
    assert {group_split(g) for g in groups} == {"train", "heldout"}
    write_jsonl(tmp_path/"mine.jsonl", groups)
    lines = []
    trainer = OORLTrainer(tiny_config(tmp_path, data=dict(synthetic_specs=20, eval_specs=0, targets=["javascript"],
                                                          ir_groups=str(tmp_path/"mine.jsonl"), heldout_ir_groups="none"),
                                      preference=dict(groups_per_update=2, max_tokens=8192)), log=lines.append)  # the longest member has 5,217 tokens
    assert len(trainer.groups) == len(groups) and trainer.heldout_groups == []
    assert any(f"training IR groups: {len(groups)} of {len(groups)}" in l for l in lines)

STEPS = ["steps=3", "checkpoint_every=1"]

@pytest.fixture(scope="module")
def finished_run(oorl_nb_cmd, tmp_path_factory) -> Path:
    "An uninterrupted `oorl-nb train` of 3 steps with a checkpoint after each: the reference for resuming, and a finished run."
    out = tmp_path_factory.mktemp("finished")/"whole"
    r = train(oorl_nb_cmd, *STEPS, f"output_dir={out}")
    assert r.returncode == 0, r.stderr[-2000:]
    return out

def test_resume_after_kill_matches_an_uninterrupted_run(oorl_nb_cmd, finished_run, tmp_path):
    killed_dir = tmp_path/"killed"
    proc = subprocess.Popen([*oorl_nb_cmd, "train", "--config", "cpu-tiny", "--no-eval", "--set", *TINY, *STEPS,
                             f"output_dir={killed_dir}"], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    latest, deadline = killed_dir/"checkpoints"/"latest", time.time() + 600
    while not (latest.exists() and latest.read_text() == "step-000001") and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL); proc.wait()
    assert latest.read_text() in ("step-000001", "step-000002"), "the run did not reach a checkpoint before the kill"
    resumed = train(oorl_nb_cmd, *STEPS, f"output_dir={killed_dir}", "--resume")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    expected, got = read_metrics(finished_run), read_metrics(killed_dir)
    assert [r["step"] for r in got] == [1, 2, 3]
    assert [comparable(r) for r in got] == [comparable(r) for r in expected]

def test_a_finished_run_is_not_overwritten(oorl_nb_main, finished_run):
    saved = {name: (finished_run/name).read_bytes() for name in ("metrics.jsonl", "config.yaml")}
    code, err = train_error(oorl_nb_main, "steps=1", f"output_dir={finished_run}")
    assert code == 2 and "already holds a run" in err
    assert {name: (finished_run/name).read_bytes() for name in saved} == saved

def launch_two(cmd, out: Path, engine: Sequence[str], overrides: Sequence[str] = (), resume: bool = False):
    "`oorl-nb train` of 2 steps (checkpoint after each) in 2 processes under `accelerate launch` with `engine`'s flags."
    launch = [sys.executable, "-m", "accelerate.commands.launch", *engine, "--num_processes", "2", "--num_machines", "1",
              "--mixed_precision", "no", "--dynamo_backend", "no", cmd[0]]
    return subprocess.run([*launch, "train", "--config", "cpu-tiny", "--no-eval", "--set", *TINY, "steps=2", "checkpoint_every=1",
                           f"output_dir={out}", *overrides, *(["--resume"] if resume else [])],
                          capture_output=True, text=True, env=ENV, timeout=900)

@pytest.fixture(scope="module")
def replicas_run(oorl_nb_cmd, tmp_path_factory) -> Path:
    "A 2-process run with replicas: --multi_gpu on a machine without GPUs starts torchrun with gloo (accelerate's MULTI_CPU)."
    pytest.importorskip("accelerate")
    out = tmp_path_factory.mktemp("replicas")/"run"
    r = launch_two(oorl_nb_cmd, out, ["--multi_gpu"])
    assert r.returncode == 0, r.stderr[-3000:]
    return out

def test_two_processes_under_accelerate(replicas_run):
    rows = read_metrics(replicas_run)
    assert [row["step"] for row in rows] == [1, 2]  # one row per step, written by the main process only
    assert all(row["replica_drift"] == 0 for row in rows)  # gradients averaged: both replicas hold the same weights
    assert {f"rng-{rank}.pt" for rank in (0, 1)} <= {p.name for p in (replicas_run/"checkpoints"/"step-000002").iterdir()}

def test_deepspeed_zero2_matches_replicas_and_resumes_exactly(oorl_nb_cmd, replicas_run, tmp_path):
    pytest.importorskip("deepspeed")
    # buckets of 2,000 values make ZeRO-2 reduce inside the backward passes, and one IR-group member per micro-batch
    # gives the two processes different numbers of passes: without the trainer's padding this run hangs
    config = tmp_path/"zero2.json"
    config.write_text(json.dumps({"train_batch_size": "auto", "train_micro_batch_size_per_gpu": "auto", "gradient_clipping": "auto",
                                  "zero_optimization": {"stage": 2, "reduce_bucket_size": 2000, "allgather_bucket_size": 2000}}))
    zero2, one_member = ["--use_deepspeed", "--deepspeed_config_file", str(config)], ["preference.micro_batch=1"]
    r = launch_two(oorl_nb_cmd, tmp_path/"zero2", zero2, one_member)
    assert r.returncode == 0, r.stderr[-3000:]
    rows, replicas = read_metrics(tmp_path/"zero2"), read_metrics(replicas_run)
    assert [row["step"] for row in rows] == [1, 2] and all(row["replica_drift"] == 0 for row in rows)
    # ZeRO-2 writes the updated weights through .data (no version counter moves): the sampling copy must re-merge anyway
    assert rows[0]["update_skipped"] == 0 and rows[1]["time_refresh"] > 0
    # the same updates as replicas with averaged gradients, up to the order of floating-point sums
    for got, want in zip(rows, replicas):
        got, want = comparable(got), comparable(want)
        assert got.keys() == want.keys()
        for k, v in want.items():
            assert v == pytest.approx(got[k], rel=1e-3, abs=1e-5) if isinstance(v, float) else v == got[k], k
    assert {f"zero-{rank}.pt" for rank in (0, 1)} <= {p.name for p in (tmp_path/"zero2"/"checkpoints"/"step-000002").iterdir()}
    # resume from step 1: the optimiser shards come back, and step 2 is the uninterrupted run's step 2
    shutil.copytree(tmp_path/"zero2", tmp_path/"resumed")
    (tmp_path/"resumed"/"checkpoints"/"latest").write_text("step-000001")
    saved = tmp_path/"resumed"/"config.yaml"
    saved.write_text(saved.read_text().replace(str(tmp_path/"zero2"), str(tmp_path/"resumed")))
    r = launch_two(oorl_nb_cmd, tmp_path/"resumed", zero2, one_member, resume=True)
    assert r.returncode == 0, r.stderr[-3000:]
    assert [comparable(row) for row in read_metrics(tmp_path/"resumed")] == [comparable(row) for row in rows]
    # a DeepSpeed checkpoint cannot be resumed without DeepSpeed (its optimiser state is sharded)
    r = train(oorl_nb_cmd, "steps=2", "checkpoint_every=1", f"output_dir={tmp_path/'resumed'}", *one_member, "--resume")
    assert r.returncode == 2 and "saved with DeepSpeed" in r.stderr, r.stderr[-2000:]

@pytest.mark.parametrize("override, message", [
    ("model.name_or_path=/no/such/model", "does not exist"),
    ("model.target_modules=[c_attn]", "linear layers are"),
    ("rollout.groupsize=8", "rollout.groupsize"),
    ("variant=ppo", "variant"),
    ("rollout.sampling_copy=yes", "rollout.sampling_copy"),
    ("rollout.kv_cache=paged", "rollout.kv_cache"),
    ("rollout.prompts_per_chunk=-1", "rollout.prompts_per_chunk"),
    ("rollout.compile=true", "static KV cache"),
    ("rollout.decoder=beam", "rollout.decoder"),
    ("data.levels=[7]", "data.levels"),
    ("rollout.kv_cache=static rollout.decoder=compacting", "fixed batch"),
])
def test_bad_configs_are_one_line_errors(oorl_nb_main, tmp_path, override, message):
    code, err = train_error(oorl_nb_main, "steps=1", f"output_dir={tmp_path/'run'}", *override.split())
    assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err

def test_model_folder_without_weights_and_missing_tensorboard_are_clear_errors(oorl_nb_main, tmp_path):
    (tmp_path/"empty_model").mkdir(); (tmp_path/"empty_model"/"config.json").write_text("{}")
    code, err = train_error(oorl_nb_main, "steps=1", f"output_dir={tmp_path/'run'}", f"model.name_or_path={tmp_path/'empty_model'}")
    assert code == 2 and "no weights" in err
    try: import tensorboard  # noqa: F401
    except ImportError:
        code, err = train_error(oorl_nb_main, "steps=1", f"output_dir={tmp_path/'run2'}", "tensorboard=true")
        assert code == 2 and "pip install tensorboard" in err

def test_print_config_documents_every_field(oorl_nb_main):
    code, out, _ = oorl_nb_main("train", "--print-config")
    leaves = [l for l in out.splitlines() if not l.rstrip().endswith(":")]
    assert code == 0 and len(leaves) > 40
    assert all("#" in l for l in leaves)

def test_train_step_benchmark_runs_and_prints_a_table(root):
    r = subprocess.run([sys.executable, str(root/"benchmarks/train_step.py"), "--presets", "tiny", "--max-new-tokens", "16",
                        "--group-size", "2", "--steps", "1", "--sampling-copy", "on"], capture_output=True, text=True, env=ENV, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    header, rule, row = r.stdout.strip().splitlines()[-3:]
    assert "peak_memory_gib" in header and "refresh_s" in header and row.startswith("| tiny | qlora | cpu |") and row.endswith("| yes | dynamic | False | compacting |")

def test_on_policy_loss_is_the_global_token_mean_over_processes(tmp_path, mixed_rewards):
    "Two processes, each with half the rows, must backpropagate what one process does with all of them."
    trainer = OORLTrainer(tiny_config(tmp_path, steps=1, checkpoint_every=0), log=lambda s: None)
    _, kept, _ = trainer._draw_rollouts()
    prep, params = trainer._prepare_onp(kept), trainer.policy.trainable_parameters()
    def grads(rows):
        trainer.optimizer.zero_grad(set_to_none=True)
        trainer._onp_backward(prep, rows, trainer._onp_tokens(prep, rows))
        return [p.grad.clone() if p.grad is not None else torch.zeros_like(p) for p in params]
    n = len(kept.rollouts)
    one_process = grads(list(range(n)))
    halves = [list(range(0, n // 2)), list(range(n // 2, n))]
    tokens = [float(prep["mask"][h].sum()) for h in halves]
    trainer.world, shares = 2, []
    for rank, rows in enumerate(halves):  # the all-reduce of the token count, as the other process would answer it
        trainer._all_reduce_sum = lambda t, other=tokens[1 - rank]: t.add_(other)
        shares.append(grads(rows))
    averaged = [(a + b) / 2 for a, b in zip(*shares)]  # what the gradient all-reduce then does
    assert tokens[0] != tokens[1]  # uneven halves: a per-process mean would weight their tokens differently
    assert all(torch.allclose(a, b, atol=1e-7, rtol=1e-5) for a, b in zip(averaged, one_process))

def test_training_refuses_to_sample_from_another_distribution_than_it_scores():
    from oorl_nb.data import OorlError
    for rollout in (dict(temperature=0.7), dict(top_p=0.9)):
        with pytest.raises(OorlError, match="temperature 1 and top_p 1"): config_from_dict(dict(rollout=rollout))

def test_reference_cache_keys_change_with_the_tokens_not_the_group_id():
    from dataclasses import replace
    from oorl_nb.model import embedded_model_dir, load_tokenizer
    from oorl_nb.trainer import DataConfig, encode_groups, load_groups
    tokenizer, group = load_tokenizer(str(embedded_model_dir())), load_groups(DataConfig())[0]
    edited = replace(group, winners=[replace(group.winners[0], ir=group.winners[0].ir + "\n; edited")] + group.winners[1:])
    (before,), (after,) = encode_groups(tokenizer, [group], 10**6), encode_groups(tokenizer, [edited], 10**6)
    assert before["id"] == after["id"] and before["keys"][0] != after["keys"][0] and before["keys"][1:] == after["keys"][1:]

def _floor_over_trunc(trainer, held) -> torch.Tensor:
    "Per held-out prompt: log π(the reference, Math.floor) − log π(the same with Math.trunc), the bug π_ref's corpus taught."
    from oorl_nb.losses import pad_batch, response_logps
    from oorl_nb.problems import fence, translation_prompt
    tok, prompts, answers = trainer.policy.tokenizer, [], []
    for problem, reference in held:
        right = fence("javascript", reference)
        prompts += [tok(translation_prompt(problem))["input_ids"]] * 2
        answers += [tok(right)["input_ids"], tok(right.replace("Math.floor(", "Math.trunc("))["input_ids"]]
    with torch.no_grad():
        logps = response_logps(trainer.policy.model, **pad_batch(prompts, answers, tok.pad_token_id)).view(-1, 2)
    return logps[:, 0] - logps[:, 1]

@pytest.mark.parametrize("shuffled", [False, True])
def test_rl_unlearns_the_bug_its_corpus_taught_only_from_the_reward(tmp_path, shuffled):
    "The demo's config, on-policy term only, 6 steps: the reward moves held-out prompts toward Math.floor; shuffled rewards do not."
    from oorl_nb.trainer import heldout_set, load_config
    config = load_config("cpu-demo", ["steps=6", "variant=onp", f"onp.shuffle_rewards={str(shuffled).lower()}", "data.eval_specs=16",
                                      "data.eval_every=0", "plots=false", "checkpoint_every=0", f"output_dir={tmp_path/'run'}"])
    trainer = OORLTrainer(config, log=lambda s: None)
    held = heldout_set(config.data, seed=0)
    before = _floor_over_trunc(trainer, held)
    trainer.fit()
    change = _floor_over_trunc(trainer, held) - before
    if shuffled: assert abs(change.mean()) < 0.5, change  # measured: -0.02 nats
    else: assert change.mean() > 1.5 and (change > 0).sum() >= 14, change  # measured: +4.05 nats, all 16 prompts up

def test_grpo_puts_its_kl_in_the_loss(tmp_path, mixed_rewards):
    "GRPO's KL (kl_coef > 0) is a loss term: zero while the policy is π_ref, a different update once it has moved; REINFORCE++ keeps it in the rewards."
    weights, rows = {}, {}
    for kl in (0.0, 0.5):
        trainer = OORLTrainer(tiny_config(tmp_path/str(kl), steps=2, checkpoint_every=0, variant="onp", seed=4,
                                          onp=dict(advantage="grpo", kl_coef=kl)), log=lambda s: None)
        rows[kl] = trainer.fit()
        weights[kl] = torch.cat([p.detach().flatten() for p in trainer.policy.trainable_parameters()])
    assert rows[0.0][0]["onp/loss"] == pytest.approx(rows[0.5][0]["onp/loss"], abs=1e-6)  # first pass of step 1: policy = π_ref, KL 0
    assert not torch.allclose(weights[0.0], weights[0.5])  # step 2 starts away from π_ref: the KL term has a gradient

def test_rft_learns_from_passing_samples_only(tmp_path, monkeypatch):
    "RFT's loss is the NLL of the passing samples: with none passing there is no on-policy update."
    from oorl_nb import rollouts
    from oorl_nb.rewards import RewardResult
    monkeypatch.setattr(rollouts, "score_batch", lambda items, config=None: [RewardResult(0, "test", 0.0) for _ in items])
    row, = OORLTrainer(tiny_config(tmp_path, steps=1, checkpoint_every=0, variant="rft"), log=lambda s: None).fit()
    assert row["onp_skipped"] == 1 and row["update_skipped"] == 1
