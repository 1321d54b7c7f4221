"""The `oorl-nb` console script as a user meets it: help on every subcommand, one-line errors, exit codes."""
from pathlib import Path
import json, subprocess
import pytest
from oorl_nb.cli import SUBCOMMANDS

def run(cmd, *args, **kw):
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=300, **kw)

def test_help_lists_every_subcommand(oorl_nb_cmd):
    r = run(oorl_nb_cmd, "--help")
    assert r.returncode == 0
    for name in SUBCOMMANDS: assert name in r.stdout

@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_subcommand_help_is_useful(oorl_nb_cmd, name):
    r = run(oorl_nb_cmd, name, "--help")
    assert r.returncode == 0
    assert SUBCOMMANDS[name].help in " ".join(r.stdout.split())  # the description, unwrapped
    assert "example" in r.stdout

def test_unknown_subcommand_fails(oorl_nb_cmd):
    r = run(oorl_nb_cmd, "frobnicate")
    assert r.returncode == 2 and "invalid choice" in r.stderr

@pytest.mark.parametrize("args, message", [
    (["validate", "missing.jsonl"], "missing.jsonl: no such file"),
    (["validate", "."], ".: is a folder, not a file"),
    (["demo", "--only", "nope"], "unknown stage(s) nope"),
    (["reward", "missing.jsonl", "c.jsonl", "-o", "r.jsonl"], "missing.jsonl: no such file"),
    (["problems", ".", "-o", "p.jsonl"], "no *.yaml problem specs in ."),
])
def test_user_errors_are_one_line(oorl_nb_cmd, tmp_path, args, message):
    r = run(oorl_nb_cmd, *args, cwd=tmp_path)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2
    assert len(lines) == 1 and lines[0].startswith("oorl-nb: error: ") and message in lines[0], r.stderr

def test_validate_reports_every_bad_row(oorl_nb_cmd, tmp_path, root):
    good = (root/"data_samples/translation_problems.jsonl").read_text().splitlines()
    bad = dict(json.loads(good[0]), id="other", target_lang="klingon")
    path = tmp_path/"mixed.jsonl"
    path.write_text("\n".join([good[0], "{oops", json.dumps(bad), good[1]]) + "\n")
    r = run(oorl_nb_cmd, "validate", str(path))
    assert r.returncode == 1
    assert "2 valid TranslationProblem records, 2 bad rows" in r.stdout
    assert f"{path}:2: invalid JSON" in r.stdout
    assert f"{path}:3: field 'target_lang': unknown language 'klingon'" in r.stdout

def test_validate_empty_file_says_so(oorl_nb_cmd, tmp_path):
    (tmp_path/"empty.jsonl").write_text("\n\n")
    r = run(oorl_nb_cmd, "validate", str(tmp_path/"empty.jsonl"))
    assert r.returncode == 2 and "no JSON object found" in r.stderr

def test_demo_runs_end_to_end(oorl_nb_main, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # from anywhere, not only the checkout
    code, out, err = oorl_nb_main("demo", "--quick")
    assert code == 0, err[-2000:]
    assert "data" in out and "translation problems" in out
    assert "| sampled pass@1 (n=2, T=1)" in out and "| its change, paired over the same problems |" in out and "Three held-out translations" in out
    assert "| IR (a) pairwise accuracy" in out and "One held-out IR group" in out and "in the token rewards" in out  # both halves, named
    report = Path(out.rsplit("report: ", 1)[1].split(", learning curve: ")[0])
    assert not report.is_absolute() and report.resolve().is_relative_to(tmp_path.resolve())  # as typed: no machine path in the record
    assert "## Held-out problems and IR groups" in report.read_text()
    assert Path(out.rsplit("learning curve: ", 1)[1].strip()).stat().st_size > 1000

def test_shipped_jsonl_files_load_with_datasets(root):
    datasets = pytest.importorskip("datasets")
    from oorl_nb.data import load_jsonl, IRGroup, TranslationProblem
    for name, schema in (("translation_problems.jsonl", TranslationProblem), ("ir_groups.jsonl", IRGroup)):
        path = root/"data_samples"/name
        ds = datasets.load_dataset("json", data_files=str(path), split="train")
        records = load_jsonl(path, schema)
        assert len(ds) == len(records) and ds[0]["id"] == records[0].id

def test_reward_scores_a_file_and_prints_a_summary(oorl_nb_cmd, tmp_path, root):
    rows = [{"id": "gcd/cpp-python", "completion": "```python\ndef gcd(a, b):\n    return a if b == 0 else gcd(b, a % b)\n```"},
            {"id": "gcd/cpp-python", "completion": "no code"}]
    (tmp_path/"c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    r = run(oorl_nb_cmd, "reward", str(root/"data_samples/translation_problems.jsonl"), str(tmp_path/"c.jsonl"), "-o", str(tmp_path/"r.jsonl"))
    assert r.returncode == 0, r.stderr
    assert [json.loads(l)["stage"] for l in (tmp_path/"r.jsonl").read_text().splitlines()] == ["ok", "format"]
    assert "python" in r.stdout and "50.0%" in r.stdout
