"""Sampling and training see one policy: the same 4-bit kernel (on CPUs with and without AVX512-BF16), in every mode."""
import pytest, torch
import bitsandbytes.nn.modules as bnb_modules
from oorl_nb.data import OorlError
from oorl_nb.losses import pad_batch, response_logps
from oorl_nb.model import ModelConfig, keep_training_kernel, load_policy, repacked_4bit_layers
from oorl_nb.rollouts import compacting_unsupported, resolve_decoder, sample, sampling_probs

torch.set_num_threads(1)  # two cores are shared with other work
PROMPT = "def add(a, b):\n"
PROBE = "def add(a, b):\n    return a + b\n"

def linear4bit(policy): return [m for m in policy.model.modules() if isinstance(m, bnb_modules.Linear4bit)]

def grads(policy, batch) -> dict[str, torch.Tensor]:
    "The gradients of -log π(response) on `batch` (left zeroed afterwards)."
    policy.model.zero_grad(set_to_none=True)
    (-response_logps(policy.model, **batch)).sum().backward()
    out = {n: p.grad.clone() for n, p in policy.model.named_parameters() if p.grad is not None}
    policy.model.zero_grad(set_to_none=True)
    return out

@pytest.mark.parametrize("mode", ["qlora", "lora", "full"])
def test_sample_backward_sample_backward(mode, either_cpu):
    policy = load_policy(ModelConfig(device="cpu", mode=mode, lora_r=4))
    layers = linear4bit(policy)
    assert bool(layers) == (mode == "qlora")
    assert not any(m.support_avx512bf16_for_cpu for m in layers)  # load_policy turned the repacking path off
    ids = policy.tokenizer(PROBE, add_special_tokens=False)["input_ids"]
    probe = pad_batch([ids[:6]], [ids[6:]], policy.tokenizer.pad_token_id)
    optimizer = torch.optim.SGD(policy.trainable_parameters(), lr=1e-3)
    for kv_cache, decoder in (("dynamic", "compacting"), ("static", "generate")):  # both decode loops: neither may repack
        before = grads(policy, probe)
        samples = sample(policy, [PROMPT], n=2, max_new_tokens=8, kv_cache=kv_cache, decoder=decoder)[0]  # eval mode, no grad: where bitsandbytes repacks
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

# --- sampling draws from the distribution that training scores ---

from contextlib import contextmanager
from transformers.generation.utils import GenerationMixin
from oorl_nb.problems import translation_prompt
from oorl_nb.rollouts import closes_code_block
from oorl_nb.synthetic import synthetic_problems, synthetic_specs

@pytest.fixture(scope="module")
def policy():
    return load_policy(ModelConfig(device="cpu", lora_r=4))

@pytest.fixture(scope="module")
def prompt():
    problem = [p for p in synthetic_problems(synthetic_specs(1, seed=3, split="heldout")) if p.target_lang == "javascript"][0]
    return translation_prompt(problem)

@pytest.fixture
def processors(monkeypatch):
    "The class names of the logits processors each `generate` call builds."
    calls, build = [], GenerationMixin._get_logits_processor
    def spy(self, *args, **kwargs):
        built = build(self, *args, **kwargs)
        calls.append([type(p).__name__ for p in built])
        return built
    monkeypatch.setattr(GenerationMixin, "_get_logits_processor", spy)
    return calls

def test_lora_dropout_is_refused():
    with pytest.raises(OorlError, match="lora_dropout must be 0.*PPO ratio"): ModelConfig(lora_dropout=0.05)

@pytest.mark.parametrize("decoder", ["generate", "compacting"])
def test_sample_ignores_the_models_generation_config(policy, prompt, processors, decoder):
    def draws(**kw):
        torch.manual_seed(0)
        greedy = sample(policy, [prompt], temperature=0, max_new_tokens=48, decoder=decoder, **kw)[0][0].response_ids
        return greedy, [s.response_ids for s in sample(policy, [prompt], n=3, max_new_tokens=48, decoder=decoder, **kw)[0]]
    clean = draws()
    config = policy.model.get_base_model().generation_config
    poison = dict(repetition_penalty=5.0, top_k=3, no_repeat_ngram_size=2, min_p=0.5, do_sample=True, temperature=0.3)
    saved = {k: getattr(config, k) for k in poison}
    for k, v in poison.items(): setattr(config, k, v)
    try:
        processors.clear()
        assert draws() == clean
        sample(policy, [prompt], max_new_tokens=4, temperature=0.7, top_p=0.9, decoder=decoder)
        if decoder == "generate":  # greedy, then sampling at temperature 1 and top-p 1: softmax(logits) untouched; then what the caller asks
            assert processors == [[], [], ["TemperatureLogitsWarper", "TopPLogitsWarper"]]
        else: assert processors == []  # the compacting loop calls no part of generate
        assert all(getattr(config, k) == v for k, v in poison.items())  # the model's own config is back after sampling
    finally:
        for k, v in saved.items(): setattr(config, k, v)

@contextmanager
def no_eos(policy):
    "Forbid EOS while sampling (a hook on the LM head), so only the code-block stop can end a completion."
    def hook(module, inputs, logits): logits[..., policy.tokenizer.eos_token_id] = float("-inf"); return logits
    handle = policy.model.get_base_model().lm_head.register_forward_hook(hook)
    try: yield
    finally: handle.remove()

@pytest.fixture
def decodes(policy, monkeypatch):
    "Each decode call `sample` makes, by either loop: (attention mask of the prompts, the tokens after them)."
    import oorl_nb.rollouts as rollouts
    calls, compacting, generate = [], rollouts.decode_compacting, policy.model.generate
    def spy_compacting(model, input_ids, attention_mask, *a, **kw):
        calls.append((attention_mask, compacting(model, input_ids, attention_mask, *a, **kw))); return calls[-1][1]
    def spy_generate(*a, **kw):
        out = generate(*a, **kw); calls.append((kw["attention_mask"], out[:, kw["input_ids"].shape[1]:])); return out
    monkeypatch.setattr(rollouts, "decode_compacting", spy_compacting)
    monkeypatch.setattr(policy.model, "generate", spy_generate)
    return calls

@pytest.mark.parametrize("decoder", ["compacting", "generate"])
def test_sample_stops_after_the_first_code_block(policy, prompt, decodes, decoder):
    tok, eos = policy.tokenizer, policy.tokenizer.eos_token_id
    with no_eos(policy):
        stopped = sample(policy, [prompt], temperature=0, max_new_tokens=96, decoder=decoder)[0][0]
        running = sample(policy, [prompt], temperature=0, max_new_tokens=96, stop_at_code_block=False, decoder=decoder)[0][0]
        group = sample(policy, [prompt], n=4, max_new_tokens=96, decoder=decoder)[0]
    assert stopped.stopped and stopped.text.endswith("```\n") and closes_code_block(stopped.text)
    assert not running.stopped and len(running.response_ids) == 96 and running.text.count("```") > 2  # it would go on
    assert running.response_ids[:len(stopped.response_ids)] == stopped.response_ids  # kept ids = the sampled ids
    assert eos not in stopped.response_ids  # no EOS appended: it was never sampled
    for s in group:
        assert eos not in s.response_ids  # EOS cannot be sampled here, so no padding was kept
        assert s.stopped == closes_code_block(s.text)
        if s.stopped: assert not closes_code_block(tok.decode(s.response_ids[:-1], skip_special_tokens=True))
        else: assert len(s.response_ids) == 96
    # a finished row generates nothing more: only padding after its stop, and the batch ends with its last row
    generated = decodes[-1][1]
    assert generated.shape[1] == max(len(s.response_ids) for s in group)
    for j, s in enumerate(group):
        assert generated[j, :len(s.response_ids)].tolist() == s.response_ids
        assert (generated[j, len(s.response_ids):] == tok.pad_token_id).all()

@pytest.mark.parametrize("decoder", ["compacting", "generate"])
def test_sample_buckets_rows_by_prompt_length(policy, prompt, decodes, decoder):
    short, long = "Say hi.", prompt + "\n" + prompt  # the translation prompt, twice: far longer
    groups = sample(policy, [long, short, long, short], n=2, max_new_tokens=4, batch_size=4, decoder=decoder)
    widths = [mask.sum(1).tolist() for mask, _ in decodes]  # each row's prompt tokens, per call
    assert len(widths) == 2 and all(len(set(w)) == 1 for w in widths)  # one call per length: no padding at all
    assert widths[0][0] < widths[1][0]  # shortest first
    assert [len(g) for g in groups] == [2, 2, 2, 2]
    assert [len(g[0].prompt_ids) for g in groups] == [widths[1][0], widths[0][0]] * 2  # back in the caller's order
    # greedy: a prompt's completions do not depend on where its rows went
    assert sample(policy, [short, long], temperature=0, max_new_tokens=8)[1] == sample(policy, [long], temperature=0, max_new_tokens=8)[0]

def test_sampling_probs_are_transformers_temperature_and_top_p():
    from transformers.generation.logits_process import TemperatureLogitsWarper, TopPLogitsWarper
    torch.manual_seed(0)
    logits = torch.randn(6, 50) * 3
    for temperature, top_p in [(1.0, 1.0), (0.7, 0.9), (1.3, 0.5), (0.5, 0.05)]:
        scores = TopPLogitsWarper(top_p)(None, TemperatureLogitsWarper(temperature)(None, logits.clone())) if top_p < 1 else logits / temperature
        ours = sampling_probs(logits, temperature, top_p)
        assert torch.allclose(ours / ours.sum(-1, keepdim=True), torch.softmax(scores, -1), atol=1e-6), (temperature, top_p)
    assert (sampling_probs(logits, 1.0, 0.0) > 0).sum(-1).tolist() == [1] * 6  # top_p 0 keeps the top token: greedy

def test_finished_rows_leave_the_batch(policy, monkeypatch):
    "Each row is computed only until it ends: the decode forwards hold, summed over steps, one row per token each row sampled after its first."
    from oorl_nb.problems import translation_prompt
    from oorl_nb.synthetic import synthetic_problems, synthetic_specs
    prompts = [translation_prompt(p) for p in synthetic_problems(synthetic_specs(4, seed=3, split="heldout"))][:8]
    rows, forward = [], policy.model.forward
    def spy(*a, **kw):
        rows.append(kw["input_ids"].shape); return forward(*a, **kw)
    monkeypatch.setattr(policy.model, "forward", spy)
    groups = sample(policy, prompts, temperature=0, max_new_tokens=96, batch_size=8, decoder="compacting")
    lengths = [len(g[0].response_ids) for g in groups]
    decode = [shape[0] for shape in rows[1:]]
    assert len(set(lengths)) > 1 and rows[0][0] == 8 and all(shape[1] == 1 for shape in rows[1:])
    assert decode == sorted(decode, reverse=True) and decode[-1] < 8  # the batch only shrinks
    assert sum(decode) == sum(n - 1 for n in lengths)

def test_auto_keeps_generate_for_models_whose_cache_is_not_per_row_keys_and_values():
    from types import SimpleNamespace
    def forward(input_ids=None, attention_mask=None, position_ids=None, cache=None, logits_to_keep=0): ...
    hybrid = SimpleNamespace(config=SimpleNamespace(layer_types=["full_attention", "linear_attention"]), forward=forward)
    rwkv = SimpleNamespace(config=SimpleNamespace(), forward=lambda input_ids=None, state=None: None)
    assert "linear_attention" in compacting_unsupported(hybrid) and "cache" in compacting_unsupported(rwkv)
    assert resolve_decoder("auto", "dynamic", hybrid) == "generate"
    with pytest.raises(ValueError, match="linear_attention"): resolve_decoder("compacting", "dynamic", hybrid)
    plain = SimpleNamespace(config=SimpleNamespace(layer_types=["full_attention", "sliding_attention"]), forward=forward)
    assert compacting_unsupported(plain) is None and resolve_decoder("auto", "dynamic", plain) == "compacting"
    assert resolve_decoder("auto", "static", plain) == "generate"

def test_a_static_kv_cache_samples_the_same_tokens(policy, prompt):
    from oorl_nb.rollouts import sampling_config
    greedy = lambda **kw: sample(policy, [prompt, "Say hi."], temperature=0, max_new_tokens=24, **kw)
    assert greedy(kv_cache="static") == greedy()  # rows of two lengths: the preallocated cache honours the padding
    config = sampling_config(policy.tokenizer, [0], 8, kv_cache="static", compile=True)
    assert config.cache_implementation == "static" and not config.disable_compile
    assert sampling_config(policy.tokenizer, [0], 8).disable_compile  # transformers compiles only when asked
    with pytest.raises(ValueError, match="kv_cache"): sampling_config(policy.tokenizer, [0], 8, kv_cache="paged")
