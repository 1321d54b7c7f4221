"""Sampling and training see one policy: the same 4-bit kernel (also on AVX512-BF16 CPUs), in every mode."""
import pytest, torch
import bitsandbytes.nn.modules as bnb_modules
from oorl_nb.data import OorlError
from oorl_nb.losses import pad_batch, response_logps
from oorl_nb.model import ModelConfig, keep_training_kernel, load_policy, repacked_4bit_layers
from oorl_nb.rollouts import sample

torch.set_num_threads(1)  # two cores are shared with other work
PROMPT = "def add(a, b):\n"
PROBE = "def add(a, b):\n    return a + b\n"

@pytest.fixture
def avx512bf16_cpu(monkeypatch):
    "Every Linear4bit built from now on behaves as on a Zen 4 / Sapphire Rapids CPU, whatever this CPU is."
    monkeypatch.setattr(bnb_modules, "has_avx512bf16", lambda: True)  # Linear4bit.__init__ reads it into its flag
    assert bnb_modules.Linear4bit(64, 64).support_avx512bf16_for_cpu

def linear4bit(policy): return [m for m in policy.model.modules() if isinstance(m, bnb_modules.Linear4bit)]

def grads(policy, batch) -> dict[str, torch.Tensor]:
    "The gradients of -log π(response) on `batch` (left zeroed afterwards)."
    policy.model.zero_grad(set_to_none=True)
    (-response_logps(policy.model, **batch)).sum().backward()
    out = {n: p.grad.clone() for n, p in policy.model.named_parameters() if p.grad is not None}
    policy.model.zero_grad(set_to_none=True)
    return out

@pytest.mark.parametrize("mode", ["qlora", "lora", "full"])
def test_sample_backward_sample_backward(mode, avx512bf16_cpu):
    policy = load_policy(ModelConfig(device="cpu", mode=mode, lora_r=4))
    layers = linear4bit(policy)
    assert bool(layers) == (mode == "qlora")
    assert not any(m.support_avx512bf16_for_cpu for m in layers)  # load_policy turned the repacking path off
    ids = policy.tokenizer(PROBE, add_special_tokens=False)["input_ids"]
    probe = pad_batch([ids[:6]], [ids[6:]], policy.tokenizer.pad_token_id)
    optimizer = torch.optim.SGD(policy.trainable_parameters(), lr=1e-3)
    for _ in range(2):
        before = grads(policy, probe)
        samples = sample(policy, [PROMPT], n=2, max_new_tokens=8)[0]  # eval mode, no grad: where bitsandbytes repacks
        assert repacked_4bit_layers(policy.model) == [] and not any(getattr(m.weight.quant_state, "packing_format_for_cpu", False) for m in layers)
        assert policy.model.training
        after = grads(policy, probe)  # the training pass after sampling: same kernel, same gradients
        assert before.keys() == after.keys() and before
        assert all(torch.equal(before[n], after[n]) for n in before), "sampling changed what the training pass computes"
        batch = pad_batch([s.prompt_ids for s in samples], [s.response_ids for s in samples], policy.tokenizer.pad_token_id)
        (-response_logps(policy.model, **batch)).sum().backward()  # the step on the samples, as the trainer takes it
        trained = [p.grad for p in policy.trainable_parameters()]
        assert all(g is not None and torch.isfinite(g).all() for g in trained) and any(g.abs().sum() > 0 for g in trained)
        optimizer.step(); optimizer.zero_grad(set_to_none=True)

def test_sampling_refuses_a_repacked_4bit_layer(avx512bf16_cpu):
    policy = load_policy(ModelConfig(device="cpu", lora_r=4))
    layers = linear4bit(policy)
    for m in layers: m.support_avx512bf16_for_cpu = True  # undo load_policy's fix
    with pytest.raises(OorlError, match=f"repacked {len(layers)} 4-bit layers"): sample(policy, [PROMPT], max_new_tokens=2)
    assert policy.model.training  # the mode is restored even so
    fresh = load_policy(ModelConfig(device="cpu", lora_r=4))
    for m in linear4bit(fresh): m.support_avx512bf16_for_cpu = True
    assert keep_training_kernel(fresh.model) == len(layers) and keep_training_kernel(fresh.model) == 0
