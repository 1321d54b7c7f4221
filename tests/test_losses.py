"""The losses beyond the notebook's examples: many random shapes and seeds, dtypes, errors, the benchmark."""
import subprocess, sys
import pytest, torch
from oorl_nb.losses import (dpo_loss, gepo_loss, policy_loss, reinforce_pp_advantages, token_logps,
                            microbatched_backward)

@pytest.mark.parametrize("seed", range(10))
def test_gepo_is_dpo_for_single_pairs(seed):
    g = torch.Generator().manual_seed(seed)
    B = int(torch.randint(1, 33, (1,), generator=g))
    pw, rw, pl, rl = (torch.randn(B, generator=g, dtype=torch.float64) * 50 - 100 for _ in range(4))
    beta = float(torch.rand(1, generator=g)) + 0.01
    for reduction in ("mean", "sum", "none"):
        torch.testing.assert_close(gepo_loss(pw[:, None], rw[:, None], pl[:, None], rl[:, None], beta=beta, lam=0.0, reduction=reduction),
                                   dpo_loss(pw, pl, rw, rl, beta=beta, reduction=reduction), atol=1e-6, rtol=0)

@pytest.mark.parametrize("seed", range(5))
def test_gepo_ignores_padding_and_order_on_random_ragged_groups(seed):
    g = torch.Generator().manual_seed(seed)
    B, n, m = 5, 6, 4
    vals = [torch.randn(B, k, generator=g) for k in (n, n, m, m)]
    mw = torch.rand(B, n, generator=g) < 0.6; mw[:, 0] = True
    ml = torch.rand(B, m, generator=g) < 0.6; ml[:, -1] = True
    base = gepo_loss(*vals, mask_w=mw, mask_l=ml, reduction="none")
    # compact each row: real members first, then padding filled with inf
    def compact(t, mk):
        out = torch.full_like(t, float("inf")); newmask = torch.zeros_like(mk)
        for b in range(t.shape[0]):
            real = t[b, mk[b]].flip(0); out[b, :len(real)] = real; newmask[b, :len(real)] = True
        return out, newmask
    (a, nmw), (b_, _), (c, nml), (d, _) = compact(vals[0], mw), compact(vals[1], mw), compact(vals[2], ml), compact(vals[3], ml)
    torch.testing.assert_close(gepo_loss(a, b_, c, d, mask_w=nmw, mask_l=nml, reduction="none"), base)

def test_gepo_rejects_bad_shapes_and_reductions():
    x = torch.zeros(2, 3)
    with pytest.raises(ValueError, match="shapes"): gepo_loss(x, torch.zeros(2, 2), x, x)
    with pytest.raises(ValueError, match="mask_w has shape"): gepo_loss(x, x, x, x, mask_w=torch.ones(2, 2))
    with pytest.raises(ValueError, match="reduction"): gepo_loss(x, x, x, x, reduction="avg")

def test_losses_stay_finite_at_extreme_margins():
    big = torch.tensor([[1e6]]); zero = torch.zeros(1, 1)
    for sign in (1, -1):
        loss = gepo_loss(sign * big, zero, -sign * big, zero, beta=1.0)
        assert torch.isfinite(loss)

def test_token_logps_bf16_matches_fp32_reference():
    logits = torch.randn(2, 64, 1000) * 5
    labels = torch.randint(0, 1000, (2, 64))
    exact = torch.log_softmax(logits.double(), -1).gather(-1, labels[..., None]).squeeze(-1)
    got = token_logps(logits.bfloat16(), labels, chunk_size=17)
    assert (got.double() - exact).abs().max() < 0.1  # bf16 logits themselves are rounded
    assert got.dtype == torch.float32

def test_advantages_batch_with_no_real_token_in_a_row():
    mask = torch.tensor([[1, 1, 0], [0, 0, 0], [1, 0, 0]]).bool()
    adv = reinforce_pp_advantages(torch.tensor([1., 0, 0]), torch.zeros(3, 3), torch.zeros(3, 3), mask)
    assert torch.isfinite(adv).all() and adv[1].abs().sum() == 0

def test_grpo_mode_needs_group_size():
    with pytest.raises(ValueError, match="group_size"):
        reinforce_pp_advantages(torch.ones(4), torch.zeros(4, 2), torch.zeros(4, 2), torch.ones(4, 2), mode="grpo")

def test_policy_loss_clips_in_the_right_direction():
    old, mask = torch.zeros(1, 2), torch.ones(1, 2).bool()
    adv = torch.tensor([[1.0, -1.0]])
    new = torch.tensor([[1.0, -1.0]], requires_grad=True)  # ratio e and 1/e: both beyond the clip in their advantage's direction
    policy_loss(new, old, adv, mask).backward()
    assert torch.equal(new.grad, torch.zeros_like(new.grad))  # clipped: no gradient pushes further

def test_microbatched_backward_matches_full_on_a_linear_model():
    torch.manual_seed(0)
    lin = torch.nn.Linear(5, 1)
    x = torch.randn(7, 5)
    loss_fn = lambda lp: gepo_loss(lp[:4][None], torch.zeros(1, 4), lp[4:][None], torch.zeros(1, 3), lam=2.0)
    full = loss_fn(lin(x).squeeze(-1)); full.backward()
    g_full = [p.grad.clone() for p in lin.parameters()]
    lin.zero_grad()
    micro = microbatched_backward(lambda idx: lin(x[idx]).squeeze(-1), 7, loss_fn, 3)
    torch.testing.assert_close(micro, full.detach())
    for a, b in zip(g_full, [p.grad for p in lin.parameters()]): torch.testing.assert_close(a, b)

def test_benchmark_prints_ratios(root):
    out = subprocess.run([sys.executable, str(root/"benchmarks/losses.py"), "--sizes", "2", "--steps", "1",
                          "--response-len", "16", "--prompt-len", "8", "--vocab", "512", "--hidden", "32"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "time GEPO/DPO" in out.stdout and "2+2" in out.stdout and "reference cache saves" in out.stdout
