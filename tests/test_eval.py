"""Evaluation and ablation beyond the notebooks: estimator properties, leak checks for every shipped config, the CLIs."""
import json, os, random, subprocess, sys
from itertools import combinations
from pathlib import Path
import pytest
from oorl_nb.evaluate import EVAL_SETS, check_disjoint, eval_problems, pass_at_k, wilson_interval
from oorl_nb.ir_groups import group_split, shipped_groups
from oorl_nb.pretrain import PretrainConfig, focus_corpus, ir_pairs, sft_corpus
from oorl_nb.trainer import DataConfig, heldout_set, load_config, load_groups, load_problems, shipped_configs

ENV = {**os.environ, "OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"}

def test_pass_at_k_is_the_chance_that_a_random_k_subset_holds_a_pass():
    rng = random.Random(0)
    for _ in range(30):
        n = rng.randint(1, 8); c = rng.randint(0, n); k = rng.randint(1, n)
        outcomes = [1] * c + [0] * (n - c)
        subsets = list(combinations(range(n), k))
        assert abs(pass_at_k(n, c, k) - sum(any(outcomes[i] for i in s) for s in subsets) / len(subsets)) < 1e-12

def test_wilson_interval_contains_the_rate_and_narrows_with_more_data():
    for s, n in [(0, 10), (3, 10), (10, 10), (30, 100)]:
        lo, hi = wilson_interval(s, n)
        assert 0 <= lo <= s / n <= hi <= 1
    assert wilson_interval(30, 100)[1] - wilson_interval(30, 100)[0] < wilson_interval(3, 10)[1] - wilson_interval(3, 10)[0]

@pytest.mark.parametrize("name", shipped_configs())
def test_no_shipped_config_trains_on_an_evaluation_problem(name):
    config = load_config(name)
    if config.data.problems != "synthetic": pytest.skip("trains on a file of its own")
    train = load_problems(config.data, config.seed)
    for eval_set in EVAL_SETS: check_disjoint(train, eval_problems(eval_set, 30))
    check_disjoint(train, [p for p, _ in heldout_set(config.data, seed=0)])  # the run's own held-out set

GPU_CONFIGS = [name for name in shipped_configs() if not name.startswith("cpu-")]

@pytest.mark.parametrize("name", GPU_CONFIGS)
def test_gpu_configs_train_on_the_papers_languages(name):
    "The paper's split (Method §1): Python and C++ sources, six targets; Go, Scala, TypeScript, C# and Haskell held out."
    data = load_config(name).data
    assert data.sources == ["python", "cpp"] and data.targets == ["python", "cpp", "java", "php", "bash", "javascript"]
    trained = {lang for p in load_problems(data, 0) for lang in (p.source_lang, p.target_lang)}
    assert trained and not trained & {"go", "scala", "typescript", "csharp", "haskell"}

def test_pretraining_never_sees_a_heldout_problem_or_ir_group():
    config = PretrainConfig(focus_levels="1,2,6", focus_trunc_rate=0.7)  # the shipped model's last focus phase
    corpus = (sft_corpus(300, seed=config.seed) + focus_corpus(300, config.focus_pairs, config.levels, config.seed, config.focus_trunc_rate)
              + ir_pairs(shipped_groups("train")))  # the shipped model's IR phase: the winners of the training split
    prompts = "\n".join(p for p, _ in corpus)
    demo = load_config("cpu-demo").data
    heldout = [p for p, _ in heldout_set(demo, seed=0)] + eval_problems("synthetic-heldout", 30)
    assert not [p.id for p in heldout if p.source_code.strip() in prompts]
    assert not [g.id for g in load_groups(DataConfig(), "heldout") if g.prompt in prompts]

def test_heldout_ir_groups_are_never_trained_on():
    train, heldout = load_groups(DataConfig(), "train"), load_groups(DataConfig(), "heldout")
    assert train and heldout and not {g.c_source for g in train} & {g.c_source for g in heldout}
    assert all(group_split(g) == "heldout" for g in heldout if not g.id.startswith("syn"))  # generated ones: split by spec (test_ir_groups)

def test_eval_cli_writes_the_table_json_and_plot(oorl_nb_main, tmp_path):
    code, out, err = oorl_nb_main("eval", "--specs", "1", "--max-new-tokens", "64", "-o", tmp_path/"e")
    assert code == 0, err[-2000:]
    result = json.loads((tmp_path/"e"/"result.json").read_text())
    assert result["overall"]["n"] + result["skipped"] == 6 and "| source |" in out
    assert (tmp_path/"e"/"by_target.png").stat().st_size > 1000

def test_eval_cli_measures_ir_groups_without_sampling(oorl_nb_main, tmp_path):
    from oorl_nb.data import write_jsonl
    write_jsonl(tmp_path/"g.jsonl.gz", shipped_groups("heldout")[:3])
    code, out, err = oorl_nb_main("eval", "--ir-groups", tmp_path/"g.jsonl.gz", "--max-tokens", "2048", "-o", tmp_path/"e")
    assert code == 0, err[-2000:]
    ir = json.loads((tmp_path/"e"/"result.json").read_text())["ir"]
    assert ir["groups"] == 3 and ir["pairwise_accuracy"]["rate"] == 0.5  # the embedded model is its own π_ref: every pair ties
    assert 0 <= ir["discrimination"]["rate"] <= 1 and len(ir["discrimination"]["ci"]) == 2 and ir["winner_variance"]["mean"] == 0
    assert set(ir["by_operator"]) <= {"const", "opcode", "predicate", "swap", "branch", "drop-store"} and "(b) discrimination" in out

def test_eval_cli_refuses_greedy_with_several_samples(oorl_nb_main, monkeypatch):
    from oorl_nb import model
    monkeypatch.setattr(model, "load_policy", lambda *a, **kw: pytest.fail("the model was loaded before the flags were checked"))
    code, _, err = oorl_nb_main("eval", "-n", "4", "--specs", "1")
    assert code == 2 and "greedy decoding gives one completion" in err

def test_ablate_quick_runs_in_processes_and_resumes(oorl_nb_cmd, tmp_path):
    # every variant through run_ablation is the ablation notebook's test; here the command line and its spawned processes
    cmd = [*oorl_nb_cmd, "ablate", "--quick", "--variants", "onp", "--jobs", "2", "-o", str(tmp_path/"abl")]  # π_ref and onp side by side
    r = subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "1 runs and π_ref, 2 at a time" in r.stdout
    rows = [json.loads(l) for l in (tmp_path/"abl"/"runs.jsonl").read_text().splitlines()]  # in the order they finished
    assert sorted(row["variant"] for row in rows) == ["onp", "reference"]
    summary = json.loads((tmp_path/"abl"/"ablation.json").read_text())
    assert [row["variant"] for row in summary["rows"]] == ["reference", "onp"]
    assert "| onp | 1 |" in (tmp_path/"abl"/"ablation.md").read_text() and (tmp_path/"abl"/"curves.png").stat().st_size > 1000
    again = subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=300)  # all done: nothing retrains
    assert again.returncode == 0 and len((tmp_path/"abl"/"runs.jsonl").read_text().splitlines()) == 2

def test_evaluation_benchmark_prints_throughput_and_time_split(root):
    r = subprocess.run([sys.executable, str(root/"benchmarks/evaluate.py"), "--specs", "1", "--max-new-tokens", "32"],
                       capture_output=True, text=True, env=ENV, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "problems/s" in r.stdout and "did not overlap generation" in r.stdout

def test_pretraining_refuses_an_unknown_focus_level():
    from oorl_nb.data import OorlError
    with pytest.raises(OorlError, match="focus_levels: synthetic levels are 1, 2, 3, 4, 5, 6, got \\[7\\]"): PretrainConfig(focus_levels="1,7")
    assert PretrainConfig(focus_levels="1,2,6").levels == (1, 2, 6)
