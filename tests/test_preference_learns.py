"""The preference losses optimise what they promise, on the embedded model with the demo's preference settings: a few
updates on a batch of training IR groups raise those groups' implicit-reward pairwise accuracy above ½, for GEPO as for
DPO, and GEPO's variance penalty keeps the winners' rewards closer together than the same updates without it."""
import pytest
from oorl_nb.data import write_jsonl
from oorl_nb.evaluate import group_logps, ir_measures, reference_group_logps
from oorl_nb.ir_groups import find_toolchain, shipped_groups
from oorl_nb.trainer import OORLTrainer, load_config

UPDATES, GROUPS = 6, 4

@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    "A batch of short training groups (level 1: one expression), written as a groups file of a user's own."
    groups = [g for g in shipped_groups("train") if g.id.startswith("syn1")][:GROUPS]
    path = tmp_path_factory.mktemp("groups")/"batch.jsonl"
    write_jsonl(path, groups)
    return path

@pytest.fixture(scope="module")
def trained(batch, tmp_path_factory):
    "The IR measures on the batch itself after UPDATES updates of each preference-only variant, every update on the whole batch."
    def measures(variant: str, lam: float) -> dict:
        out = tmp_path_factory.mktemp(f"{variant}-{lam}")
        config = load_config("cpu-demo", [f"variant={variant}", f"preference.lam={lam}", f"steps={UPDATES}", "onp.epochs=1",
                                          "onp.mini_batches=1", f"data.ir_groups={batch}", "data.heldout_ir_groups=none",
                                          "data.eval_specs=0", "data.synthetic_specs=20", f"preference.groups_per_update={GROUPS}", f"output_dir={out}",
                                          "plots=false", "checkpoint_every=0"])
        trainer = OORLTrainer(config, log=lambda s: None)
        assert len(trainer.groups) == GROUPS
        for _ in range(UPDATES): trainer.train_step()
        groups, policy = trainer.groups, trainer.policy
        return ir_measures(groups, group_logps(policy.model, groups, policy.tokenizer.pad_token_id), reference_group_logps(policy, groups),
                           config.preference.beta, config.preference.per_token, n_boot=0)
    return {key: measures(*key) for key in (("gepo", 1.0), ("gepo", 0.0), ("dpo", 1.0))}

def test_gepo_and_dpo_raise_the_pairwise_accuracy_of_their_own_groups(trained):
    for key in (("gepo", 1.0), ("dpo", 1.0)):
        assert trained[key]["pairwise_accuracy"]["rate"] > 0.6, (key, trained[key]["pairwise_accuracy"])
        assert trained[key]["margin"]["mean"] > 0, key

def test_the_variance_penalty_keeps_gepo_winners_together(trained):
    with_penalty, without = trained[("gepo", 1.0)]["winner_variance"]["mean"], trained[("gepo", 0.0)]["winner_variance"]["mean"]
    assert with_penalty < 0.8 * without, (with_penalty, without)
