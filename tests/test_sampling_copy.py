"""The sampling copy (a plain model with the adapters merged) computes the policy's function, refreshes only after an update, and is
left out when it does not fit."""
import pytest, torch
from oorl_nb.losses import pad_batch, response_logps
from oorl_nb.model import (ModelConfig, SamplingCopy, attach_sampling_copy, load_policy, merged_weights, repacked_4bit_layers,
                           sampling_copy_bytes, sampling_copy_choice)
from oorl_nb.rollouts import sample

torch.set_num_threads(1)  # two cores are shared with other work
TEXTS = ["def add(a, b):\n    return a + b\n", "function twice(x) {\n  return x * 2;\n}\n", "int main() { return 0; }\n"]
TOL = 1e-4  # fp32 on CPU: the merge only reorders additions; measured about 1e-5

def trained_policy(mode: str):
    policy = load_policy(ModelConfig(mode=mode, gradient_checkpointing=False))
    torch.manual_seed(0)
    with torch.no_grad():
        for name, p in policy.model.named_parameters():
            if "lora_B" in name: p.normal_(0, 0.02)
    ids = [policy.tokenizer(t, add_special_tokens=False)["input_ids"] for t in TEXTS]
    return policy, pad_batch([i[:4] for i in ids], [i[4:] for i in ids], policy.tokenizer.pad_token_id)

def gap(policy, copy, batch) -> float:
    with torch.no_grad():
        a = response_logps(policy.model, **batch, per_token=True)
        b = response_logps(copy.refresh(), **batch, per_token=True)
    return (a - b).abs().max().item()

@pytest.mark.parametrize("mode", ["lora", "qlora"])
def test_copy_matches_the_policy_and_refreshes_after_a_step(mode, either_cpu):
    policy, batch = trained_policy(mode)
    copy = SamplingCopy(policy)
    first = gap(policy, copy, batch)
    print(f"{mode}: max |Δ log π| before a step {first:.2e}")
    assert first <= TOL and len(copy.refresh_seconds) == 1
    assert gap(policy, copy, batch) == first and len(copy.refresh_seconds) == 1  # no update: no re-merge
    optimizer = torch.optim.AdamW(policy.trainable_parameters(), lr=1e-2)
    (-response_logps(policy.model, **batch)).sum().backward(); optimizer.step(); optimizer.zero_grad()
    after = gap(policy, copy, batch)
    print(f"{mode}: max |Δ log π| after a step {after:.2e}, merges {copy.refresh_seconds}")
    assert after <= TOL and len(copy.refresh_seconds) == 2
    assert repacked_4bit_layers(policy.model) == []
    copy.mark_stale(); copy.refresh(); assert len(copy.refresh_seconds) == 3

def test_greedy_with_the_copy_is_greedy_with_the_policy():
    policy, _ = trained_policy("lora")
    peft = [g[0].response_ids for g in sample(policy, TEXTS, temperature=0, max_new_tokens=32)]
    policy.sampling_copy = SamplingCopy(policy)
    for decoder in ("compacting", "generate"):
        policy.model.generate = policy.model.forward = lambda *a, **k: pytest.fail("sampled with the PEFT model")
        try: copied = [g[0].response_ids for g in sample(policy, TEXTS, temperature=0, max_new_tokens=32, decoder=decoder)]
        finally: del policy.model.generate, policy.model.forward  # back to the class's methods
        assert copied == peft and policy.model.training, decoder  # the training model was left as it was

def test_full_mode_weights_are_the_models_and_auto_builds_no_copy():
    policy = load_policy(ModelConfig(mode="full", gradient_checkpointing=False))
    weights = merged_weights(policy.model)
    assert weights.keys() == dict(policy.model.named_parameters()).keys()
    assert sampling_copy_choice(policy)[0] is False and attach_sampling_copy(policy).startswith("no sampling copy")

def test_a_copy_bigger_than_the_budget_falls_back():
    policy, _ = trained_policy("qlora")
    need = sampling_copy_bytes(policy)
    assert need == sum(p.numel() for p in SamplingCopy(policy).model.parameters()) * 4
    use, why = sampling_copy_choice(policy, free=need + 2**30 - 1, margin=2**30)
    assert not use and "only" in why and "kept for the KV cache" in why
    assert sampling_copy_choice(policy, free=need + 2**30, margin=2**30)[0]
    assert sampling_copy_choice(policy, "on", free=0, margin=0)[0]
    assert not sampling_copy_choice(policy, "off")[0]
