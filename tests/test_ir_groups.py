"""IR groups end to end: canonical IR round-trips, the committed dataset re-verifies, bad inputs are skipped
with a reason, and no-op edits are never accepted as losers."""
import json, shutil, subprocess, sys
from concurrent.futures import ProcessPoolExecutor
import pytest
from covering import greedy_cover
from oorl_nb.data import load_jsonl, IRGroup, samples_dir
from oorl_nb.ir_groups import (find_toolchain, build_group, canonicalize_ir, compile_to_ir, split_source, IRRunner,
                               verify_loser, find_witness, DEFAULT_PIPELINES, levels_of, IR_CPU, X86_64_HOST)

pytestmark = pytest.mark.skipif(find_toolchain() is None, reason="no C-to-LLVM-IR compiler (pip install ziglang)")
GROUPS = samples_dir()/"ir_groups.jsonl"

def _reverify(group: IRGroup) -> list[str]:
    "Problems found when re-running one committed group from scratch (empty list: all good)."
    problems = []
    with IRRunner(group.harness) as runner:
        reference = runner.run(canonicalize_ir(compile_to_ir(group.c_source, "-O0")))
        for w in group.winners:
            if runner.run(w.ir) != reference: problems.append(f"{group.id}: winner {w.how} differs from -O0")
        for l in group.losers:
            witness, status = verify_loser(runner, reference, l.ir)
            if witness != l.witness: problems.append(f"{group.id}: loser {l.how} gave {status}, {witness} instead of {l.witness}")
    return problems

def covering(groups: list[IRGroup]) -> list[IRGroup]:
    "The fewest groups that hold every winner pipeline and every kind of loser edit at every level."
    return greedy_cover(groups, lambda g: {("winner", w.how) for w in g.winners} | {("loser", l.how.split(":")[0]) for l in g.losers})

@pytest.mark.parametrize("which", ["covering", pytest.param("all", marks=pytest.mark.exhaustive)])  # `make test`; `make check-data`
def test_committed_groups_reverify(which):
    groups = load_jsonl(GROUPS, IRGroup)
    assert len(groups) >= 60
    if which == "covering": groups = covering(groups); assert len(groups) <= 25
    with ProcessPoolExecutor() as pool: problems = [p for ps in pool.map(_reverify, groups) for p in ps]
    assert not problems, problems[:5]

def test_committed_groups_have_enough_distinct_winners():
    groups = load_jsonl(GROUPS, IRGroup)
    assert sum(len(g.winners) >= 3 for g in groups) >= 0.8 * len(groups)
    for g in groups:
        assert len({w.ir for w in g.winners} | {l.ir for l in g.losers}) == len(g.winners) + len(g.losers), g.id

@pytest.mark.parametrize("name", ["sum_sequential_integers", "complex_mul", "prog_sieve", "parse_int"])
def test_canonical_ir_round_trips_through_the_compiler(name):
    c_source, harness = split_source((samples_dir()/"c_functions"/f"{name}.c").read_text())
    with IRRunner(harness) as runner:
        reference = runner.run(compile_to_ir(c_source, "-O0"))  # the raw IR is the ground truth
        for level in DEFAULT_PIPELINES:
            canon = canonicalize_ir(compile_to_ir(c_source, level))
            assert runner.run(canon) == reference, level
            assert canonicalize_ir(canon) == canon

def test_noop_edit_is_rejected_as_equivalent():
    group = load_jsonl(GROUPS, IRGroup)[0]
    o0 = next(w for w in group.winners if levels_of(w)[0] == "-O0").ir
    lines = o0.split("\n")
    i, load = next((i, l) for i, l in enumerate(lines) if " = load i32" in l)
    name = load.split("=")[0].strip()
    noop = "\n".join(lines[:i + 1] + [f"  %plus_zero = add i32 {name}, 0"] + lines[i + 1:])
    with IRRunner(group.harness) as runner:
        reference = runner.run(o0)
        assert verify_loser(runner, reference, noop) == (None, "same-behaviour")

@pytest.mark.parametrize("text, reason", [
    ("int f(int x) { return x +; }\n", "does not compile"),
    ("", "empty file"),
    ("   \n\n", "empty file"),
    ("int main(void) { volatile int x = 1; while (x) {} return 0; }\n", "did not finish"),
    ("int f(int *p) { return *p; }\n", "only scalar parameters"),
    ("int f(int x) { return x; }\n/* OORL_HARNESS */\nint g(void) { return 0; }\n", "has no main"),
    ("int shift(int x) { return x << 40; }\n", "behaves differently from -O0"),  # undefined behaviour
])
def test_bad_sources_are_skipped_with_a_reason(text, reason):
    report = build_group("bad", text)
    assert report.group is None and reason in report.skip, report.skip

def test_harness_that_hangs_is_skipped():
    text = "int f(int x) { return x; }\n// OORL_HARNESS\nint f(int);\nint main(void) { for (;;) f(1); }\n"
    report = build_group("hang", text)
    assert report.group is None and "did not finish" in report.skip

def test_witness_reports_first_difference_and_exit_status():
    from oorl_nb.ir_groups import RunResult
    ref = RunResult(0, "f(1) = 2\nf(2) = 4\n")
    w = find_witness(ref, RunResult(0, "f(1) = 2\nf(2) = 5\n"))
    assert (w.input, w.expected, w.actual) == ("f(2)", "f(2) = 4 (exit 0)", "f(2) = 5 (exit 0)")
    assert find_witness(ref, RunResult(1, ref.stdout)).input == "the whole harness run"
    assert find_witness(ref, RunResult(0, ref.stdout, seconds=9.0)) is None

def test_cli_builds_groups_and_reports(oorl_nb_cmd, tmp_path):
    src = samples_dir()/"c_functions"
    bad = tmp_path/"broken.c"; bad.write_text("int f(int x) { return x +; }\n")
    out = subprocess.run([*oorl_nb_cmd, "ir-groups", str(src/"gcd.c"), str(bad), "-o", str(tmp_path/"g.jsonl"),
                          "--report", str(tmp_path/"r.json"), "--workers", "2"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert "1 groups from 2 sources" in out.stdout and "skipped broken" in out.stdout
    assert len(load_jsonl(tmp_path/"g.jsonl", IRGroup)) == 1
    assert json.loads((tmp_path/"r.json").read_text())["skipped"]["broken"].startswith("does not compile")

def test_benchmark_runs(root):
    out = subprocess.run([sys.executable, str(root/"benchmarks/ir_groups.py"), "--limit", "3", "--workers", "2"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "functions/s" in out.stdout and "warm compile cache" in out.stdout

def test_reads_of_uninitialised_memory_are_rejected():
    "A dropped initialisation makes the output stack garbage: never a witness, whatever the garbage happens to be."
    src = "#include <stdio.h>\nint main(void) {\n    int x = 0;\n    printf(\"%d\\n\", x);\n    return 0;\n}\n"
    o0 = canonicalize_ir(compile_to_ir(src, "-O0"))
    loaded = {l.split("ptr ")[-1].split(",")[0] for l in o0.split("\n") if " = load i32, ptr " in l}
    init = next(l for l in o0.split("\n") if l.strip().startswith("store i32 0, ptr") and l.split("ptr ")[-1].split(",")[0] in loaded)
    with IRRunner(None) as runner:
        reference = runner.run(o0)
        assert verify_loser(runner, reference, o0.replace(init + "\n", "", 1)) == (None, "nondeterministic")

def test_committed_summary_reports_token_lengths_under_the_embedded_tokenizer():
    "The dataset card gives IR lengths in tokens of the default model, and they match a recount of the committed groups."
    from oorl_nb.ir_groups import token_lengths
    from oorl_nb.model import embedded_model_dir, load_tokenizer
    summary = json.loads((samples_dir()/"ir_groups_summary.json").read_text())
    groups = load_jsonl(samples_dir()/"ir_groups.jsonl", IRGroup)
    assert summary["tokens"] == json.loads(json.dumps(token_lengths(groups, load_tokenizer(str(embedded_model_dir())))))
    by_level = summary["tokens"]["winner_by_level"]
    assert by_level["-O0"]["median"] > by_level["-O2"]["median"] > by_level["-Oz"]["median"]  # -O0 IR is the long one

x86_64_only = pytest.mark.skipif(not X86_64_HOST, reason="the shipped IR groups are x86-64 IR")

def test_programs_are_built_for_the_baseline_cpu_not_the_host():
    "zig cc generates code for the host CPU unless told otherwise: neither the harness nor the IR may use AVX."
    harness = '#include <stdio.h>\nint main(void) {\n#ifdef __AVX__\n    puts("avx");\n#else\n    puts("baseline");\n#endif\n    return 0;\n}\n'
    with IRRunner(harness) as runner:
        assert runner.run(canonicalize_ir(compile_to_ir("int unused(void) { return 0; }\n", "-O0"))).stdout == "baseline\n"
    if not X86_64_HOST or not (objdump := shutil.which("objdump")): return
    group = next(g for g in load_jsonl(GROUPS, IRGroup) if g.id == "max_array")
    vectorised = next(w.ir for w in group.winners if "<8 x i32>" in w.ir)  # IR_CPU's 256-bit vectors
    with IRRunner(group.harness) as runner:
        code = subprocess.run([objdump, "-d", str(runner.build(vectorised))], capture_output=True, text=True, check=True).stdout
    assert "%xmm" in code and "%ymm" not in code and "%zmm" not in code  # SSE only: split by the backend

@x86_64_only
def test_ir_is_emitted_for_a_fixed_cpu_so_the_dataset_rebuilds_on_any_host():
    "-O2 and -O3 vectorise to the CPU's vector width: the committed winners re-emit exactly, whatever this host has."
    summary, tc = json.loads((samples_dir()/"ir_groups_summary.json").read_text()), find_toolchain()
    if summary["compiler"] != f"{tc.name} ({tc.version})":  # another compiler emits other IR, of the same behaviour
        pytest.skip(f"the dataset was built by {summary['compiler']}; this is {tc.name} ({tc.version})")
    assert summary["cpu_flags"]["ir"] == list(tc.cpu_flags(IR_CPU))
    groups = covering(load_jsonl(GROUPS, IRGroup))
    assert any("<" in w.ir and " x i32>" in w.ir for g in groups for w in g.winners)  # vectorised IR is in the sample
    for g in groups:
        for w in g.winners: assert canonicalize_ir(compile_to_ir(g.c_source, levels_of(w)[0])) == w.ir, (g.id, w.how)

@x86_64_only
def test_a_witness_that_comes_from_poison_reproduces_on_any_host():
    "harmonic's loser turns `add nuw` into `sub` before `uitofp nneg`: the value is poison, and built for AVX-512 the "
    "conversion is unsigned (vcvtusi2sd) where without it it is signed (cvtsi2sd). Built for RUN_CPU, the witness holds."
    group = next(g for g in load_jsonl(GROUPS, IRGroup) if g.id == "harmonic")
    loser = next((l for l in group.losers if l.how == "opcode@-O1:L56"), None)
    assert loser is not None and "uitofp nneg" in loser.ir
    with IRRunner(group.harness) as runner:
        reference = runner.run(group.winners[0].ir)
        assert verify_loser(runner, reference, loser.ir) == (loser.witness, "ok")

SYNTHETIC_SPLITS = ("train", "heldout")

@pytest.mark.parametrize("split", SYNTHETIC_SPLITS)
def test_shipped_synthetic_groups_are_what_the_command_builds(oorl_nb_cmd, tmp_path, split):
    "The shipped generated groups are the command's output: rebuilding the first specs gives the same records, byte for byte whatever the worker count."
    from oorl_nb.ir_groups import SYNTHETIC_GROUP_FILES
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path/f"{workers}.jsonl.gz"
        done = subprocess.run([*oorl_nb_cmd, "ir-groups", "--synthetic", "6", "--split", split, "--seed", "0", "-o", str(out),
                               "--workers", workers], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    built = load_jsonl(tmp_path/"1.jsonl.gz", IRGroup)
    assert built and load_jsonl(samples_dir()/SYNTHETIC_GROUP_FILES[split], IRGroup)[:len(built)] == built

def test_synthetic_build_needs_files_or_synthetic(oorl_nb_cmd, tmp_path):
    done = subprocess.run([*oorl_nb_cmd, "ir-groups", "-o", str(tmp_path/"g.jsonl")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "--synthetic N" in done.stderr

def test_shipped_splits_are_disjoint_and_held_out_from_pretraining():
    "No normalised C source is in both splits, and every generated held-out group comes from a held-out spec (π_ref's SFT reads only training specs)."
    from oorl_nb.ir_groups import shipped_groups
    from oorl_nb.synthetic import synthetic_c_sources
    norm = lambda c: " ".join(c.split())
    train, heldout = shipped_groups("train"), shipped_groups("heldout")
    assert len(train) >= 2000 and len(heldout) >= 300
    assert not {norm(g.c_source) for g in train} & {norm(g.c_source) for g in heldout}
    generated = [g for g in heldout if g.id.startswith("syn")]
    specs = dict(synthetic_c_sources(400, seed=0, split="heldout"))
    assert generated and all(specs.get(g.id) == g.c_source for g in generated)

def test_synthetic_cards_describe_their_data():
    from oorl_nb.ir_groups import SYNTHETIC_GROUP_FILES
    for split, name in SYNTHETIC_GROUP_FILES.items():
        card = json.loads((samples_dir()/name.replace(".jsonl.gz", ".json")).read_text())
        assert card["command"].startswith(f"oorl-nb ir-groups --synthetic") and f"--split {split}" in card["command"]
        assert card["groups"] == len(load_jsonl(samples_dir()/name, IRGroup)) and card["compiler"] and card["wall_seconds"] > 0

def _sample(groups: list[IRGroup], n: int) -> list[IRGroup]:
    import random
    return random.Random(0).sample(groups, min(n, len(groups)))

@pytest.mark.parametrize("which", ["covering", pytest.param("sample", marks=pytest.mark.exhaustive)])
def test_shipped_synthetic_groups_reverify(which):
    "Every winner of a sample of generated groups still matches -O0 and every loser still gives its witness (`make check-data`: 300 of each split)."
    from oorl_nb.ir_groups import shipped_groups
    groups = [g for split in SYNTHETIC_SPLITS for g in shipped_groups(split) if g.id.startswith("syn")]
    groups = covering(groups) if which == "covering" else _sample(groups, 600)
    with ProcessPoolExecutor() as pool: problems = [p for ps in pool.map(_reverify, groups) for p in ps]
    assert not problems, problems[:5]
