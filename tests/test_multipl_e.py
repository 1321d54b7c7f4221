"""MultiPL-E's completion problems: the fixture's canonical bodies pass and its planted bugs fail in every language,
completions are read raw or fenced, decoy entry points do not pass, missing toolchains are skipped, and the CLI
loads, validates, scores and evaluates them."""
import json, os, subprocess
from dataclasses import replace
import pytest
from oorl_nb import rewards
from oorl_nb.data import CompletionProblem, DataError, EXECUTOR_LANGUAGES, samples_dir
from oorl_nb.evaluate import PAPER_MULTIPL_E, multipl_e_table
from oorl_nb.problem_files import load_problem_file
from oorl_nb.problems import MULTIPL_E_CONFIG_NAMES, load_multipl_e, multipl_e_fixture_items
from oorl_nb.rewards import RewardConfig, available_languages, completion_body, score, score_batch, unavailable_reason
from oorl_nb.sandbox import Limits

AVAILABLE = available_languages()
FAST = RewardConfig(run_limits=Limits(wall_seconds=30, cpu_seconds=10),  # wall: JVM start-up on a loaded machine
                    compile_limits=Limits(wall_seconds=90, cpu_seconds=60, memory_mb=4096), workers=2)
GOOD, BAD = multipl_e_fixture_items()
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"}

def test_fixture_covers_every_language_the_executor_runs():
    assert {p.language for p, _ in GOOD} == set(EXECUTOR_LANGUAGES) == set(MULTIPL_E_CONFIG_NAMES)
    assert len(GOOD) == len(BAD) == 2 * len(EXECUTOR_LANGUAGES)

@pytest.mark.parametrize("lang", EXECUTOR_LANGUAGES)
def test_canonical_bodies_pass_and_planted_bugs_fail(lang):
    "MultiPL-E's test idioms per language: C++ `int main()` without return, Java `assert` (needs -ea), PHP exceptions, "
    "Bash `[[ ]]` under set -e, Go `func TestX(t *testing.T)`, Rust `assert_eq!`, C# `Debug.Assert`, Scala `assert`, Haskell `error`."
    if lang not in AVAILABLE: pytest.skip(unavailable_reason(lang))
    good, bad = [i for i in GOOD if i[0].language == lang], [i for i in BAD if i[0].language == lang]
    results = score_batch(good + bad, FAST)
    for (p, _), r in zip(good, results[:len(good)]): assert (r.reward, r.stage) == (1, "ok"), (p.id, r)
    for (p, _), r in zip(bad, results[len(good):]):
        assert r.reward == 0 and r.stage in (("test", "runtime") if lang == "bash" else ("test",)), (p.id, r)

def fixture(lang: str, name: str = "OORL_0_digit_sum") -> tuple[CompletionProblem, str]:
    return next((p, c) for p, c in GOOD if p.id == f"{lang}/{name}")

def test_a_raw_completion_is_cut_at_the_first_stop_token():
    prob, body = fixture("cpp")
    assert completion_body(prob, body + "}\n\nint main() { return 0; }\n") == body.rstrip("\n")

@pytest.mark.parametrize("lang,answer,body", [
    ("cpp", "Here it is:\n```cpp\nlong digit_sum(long n)\n{\n  return n % 9;\n}\n\nint main() {}\n```", "\n  return n % 9;\n"),
    ("java", "```java\nclass Problem {\n  public static long digitSum(long n) {\n    if (n < 0) { return 1; }\n    return 2;\n  }\n}\n```",
     "\n    if (n < 0) { return 1; }\n    return 2;\n  "),
    ("go", "```go\nfunc digit_sum(n int) int {\n\treturn n\n}\n```", "\n\treturn n\n}"),  # MultiPL-E's Go tests do not close the body
    ("python", "```python\ndef digit_sum(n: int) -> int:\n    return n\n\nprint(digit_sum(3))\n```", "\n    return n\n\nprint(digit_sum(3))\n"),
    ("haskell", "```haskell\ndigitSum :: Int -> Int\ndigitSum n = abs n\n\nmain = print 1\n```", " abs n"),
    ("scala", "```scala\n    return 1\n```", "    return 1\n"),  # no header: the block is the body
])
def test_a_fenced_completion_gives_the_body_after_the_prompts_header(lang, answer, body):
    assert completion_body(fixture(lang)[0], answer) == body

def test_fenced_completions_pass_end_to_end():
    langs = [l for l in ("python", "cpp", "javascript") if l in AVAILABLE]
    items = [(fixture(l)[0], f"```{l}\n{fixture(l)[0].prompt}{fixture(l)[1]}" + ("" if l == "python" else "}\n") + "```") for l in langs]
    assert [r.stage for r in score_batch(items, FAST)] == ["ok"] * len(items)

def test_format_failures_of_a_completion():
    prob = fixture("python")[0]
    assert score(prob, "```js\nx\n```", FAST).stage == "format"
    assert score(prob, "```python\n\n```", FAST).stage == "format"

DECOYS = {  # a completion that closes the function and declares its own entry point before the tests' one
    "java": "        return 0;\n    }\n    static class Z { public static void main(String[] a) { } }\n    static long unused(long n) {\n        return 0;\n",
    "csharp": "        return 0;\n    }\n    public static void Main() { }\n    static long Unused(long n) {\n        return 0;\n",
    "cpp": "    return 0;\n}\nint main() { return 0; }\nlong unused(long n) {\n    return 0;\n",
}

@pytest.mark.parametrize("lang", sorted(DECOYS))
def test_a_decoy_entry_point_in_the_completion_does_not_pass(lang):
    if lang not in AVAILABLE: pytest.skip(unavailable_reason(lang))
    r = score(fixture(lang)[0], DECOYS[lang], FAST)
    assert r.reward == 0 and r.stage in ("test", "compile"), r

def test_haskell_assert_is_live():
    "Control.Exception.assert is dropped under -O (-fignore-asserts); the executor keeps it."
    if "haskell" not in AVAILABLE: pytest.skip(unavailable_reason("haskell"))
    prob = CompletionProblem("f", "haskell", "import Control.Exception (assert)\n\nf :: Int -> Int\nf x =",
                             "\nmain :: IO ()\nmain = assert (f 1 == 2) (pure ())\n", ["\n\n"])
    assert [r.stage for r in score_batch([(prob, " x + 1"), (prob, " x + 2")], FAST)] == ["ok", "test"]

def test_a_missing_toolchain_is_reported_and_skipped(monkeypatch):
    monkeypatch.setitem(rewards.LANGUAGE_SPECS, "haskell", replace(rewards.LANGUAGE_SPECS["haskell"], programs=("oorl-no-ghc",)))
    rewards.toolchain.cache_clear()
    try:
        r = score(*fixture("haskell"), FAST)
        assert (r.reward, r.stage) == (0, "unavailable") and "oorl-no-ghc not found" in r.detail
        assert "haskell" not in available_languages()
    finally: rewards.toolchain.cache_clear()

def test_loading_local_files_and_mapping_language_names(tmp_path):
    probs = load_multipl_e(["bash", "go", "haskell"], samples_dir()/"multipl_e", limit=1)
    assert [p.id for p in probs] == ["bash/OORL_0_digit_sum", "go/OORL_0_digit_sum", "haskell/OORL_0_digit_sum"]
    rows = [json.loads(l) for l in (samples_dir()/"multipl_e"/"mini-scala.jsonl").read_text().splitlines()]
    (tmp_path/"scala.json").write_text(json.dumps(rows))  # the .json form: one list
    assert [p.language for p in load_problem_file(tmp_path/"scala.json")] == ["scala", "scala"]
    with pytest.raises(Exception, match="no MultiPL-E problems in rust"): load_multipl_e(["rust"], tmp_path)
    with pytest.raises(Exception, match="lua"): load_multipl_e(["lua"], tmp_path)
    (tmp_path/"bad.jsonl").write_text(json.dumps({**rows[0], "language": "rkt"}) + "\n")
    with pytest.raises(DataError, match="'rkt' is not one this library runs"): load_problem_file(tmp_path/"bad.jsonl")

def test_the_hub_loader_asks_for_each_language_config_and_reads_its_rows(monkeypatch):
    "`load_multipl_e` without files: one `load_dataset` call per language, config `<dataset>-<MultiPL-E's name>`, the test split."
    datasets = pytest.importorskip("datasets")
    calls, folder = [], samples_dir()/"multipl_e"
    def hub(repo, config, split):  # the hub's parquet columns are the fixture's: name, language, prompt, doctests, original, ...
        calls.append((repo, config, split))
        rows = [json.loads(l) for l in (folder/f"mini-{config.split('-', 1)[1]}.jsonl").read_text().splitlines()]
        return datasets.Dataset.from_list(rows)
    monkeypatch.setattr(datasets, "load_dataset", hub)
    got = load_multipl_e(["cpp", "go", "bash"], limit=1)
    assert calls == [("nuprl/MultiPL-E", "humaneval-cpp", "test"), ("nuprl/MultiPL-E", "humaneval-go", "test"),
                     ("nuprl/MultiPL-E", "humaneval-sh", "test")]
    assert got == [load_multipl_e([lang], folder)[0] for lang in ("cpp", "go", "bash")]
    load_multipl_e(["scala"], dataset="mbpp")
    assert calls[-1] == ("nuprl/MultiPL-E", "mbpp-scala", "test")

def test_an_unreachable_hub_says_what_to_do(monkeypatch):
    datasets = pytest.importorskip("datasets")
    def offline(*a, **k): raise ConnectionError("no network")
    monkeypatch.setattr(datasets, "load_dataset", offline)
    with pytest.raises(Exception, match="pass local MultiPL-E .json/.jsonl files"): load_multipl_e(["cpp"])

def test_table_has_the_papers_rows_labelled():
    result = dict(metric="pass@1", n_samples=1, temperature=0.0, unavailable={},
                  targets={l: dict(rate=0.5, n=2, ci=[0.1, 0.9]) for l in ("python", "cpp", "java", "php", "bash", "javascript", "typescript", "csharp")})
    table = multipl_e_table({"mine": result})
    assert "| mine | 50.0 (10-90) |" in table and "| 50.0 |" in table  # all eight: a plain average
    for name, avg in PAPER_MULTIPL_E.items(): assert f"| {name} (paper) |" in table and f"{avg:.2f}" in table

def test_validate_and_reward_cli_take_multipl_e_rows(oorl_nb_cmd, tmp_path):
    path = samples_dir()/"multipl_e"/"mini-py.jsonl"
    r = subprocess.run([*oorl_nb_cmd, "validate", str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "2 valid MultiPLERow records, 0 bad rows" in r.stdout, r.stdout + r.stderr
    prob, body = fixture("python")
    rows = [{"id": prob.id, "completion": body}, {"id": prob.id, "completion": f"```python\n{prob.prompt}{body}```"},
            {"id": prob.id, "completion": "    return n % 9\n"}]
    (tmp_path/"c.jsonl").write_text("".join(json.dumps(x) + "\n" for x in rows))
    r = subprocess.run([*oorl_nb_cmd, "reward", str(path), str(tmp_path/"c.jsonl"), "-o", str(tmp_path/"r.jsonl")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert [json.loads(l)["stage"] for l in (tmp_path/"r.jsonl").read_text().splitlines()] == ["ok", "ok", "test"]

def test_eval_cli_multipl_e_writes_the_table_json_and_plot(oorl_nb_main, tmp_path):
    code, out, err = oorl_nb_main("eval", "--benchmark", "multipl-e", "--problems", samples_dir()/"multipl_e",
                                  "--languages", "python", "bash", "--limit", "1", "--max-new-tokens", "32", "-o", tmp_path/"e")
    assert code == 0, err[-2000:]
    result = json.loads((tmp_path/"e"/"result.json").read_text())
    assert set(result["targets"]) == {"python", "bash"} and result["overall"]["n"] == 2
    assert "| Qwen3-8B (paper) |" in out and "65.07" in out
    assert (tmp_path/"e"/"by_target.png").stat().st_size > 1000
