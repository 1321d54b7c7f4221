"""The shipped problems: enough of them, varied, every generated test program proven on a reference solution
and on a planted bug, and translation_problems.jsonl generated from the specs."""
from collections import Counter
import pytest, yaml
from covering import greedy_cover
from oorl_nb.data import DataError, load_jsonl, TranslationProblem, samples_dir
from oorl_nb.problems import (BACKENDS, load_specs, spec_from_dict, to_problems, verify_specs, write_problems,
                              planted_bug_items, reference_items)

SPECS = load_specs()
REQUIRED = ("python", "cpp", "java", "javascript", "php", "bash", "go")

def test_enough_varied_problems():
    assert len(SPECS) >= 40
    for s in SPECS: assert set(REQUIRED) <= set(s.solutions), (s.id, sorted(s.solutions))
    types = Counter(t for s in SPECS for _, t in [*s.params, ("", s.returns)])
    for t in ("int", "float", "bool", "str", "list[int]", "list[float]", "list[str]", "dict[str,int]"): assert types[t] >= 1, t
    assert sum("recurs" in s.description for s in SPECS) >= 3
    assert sum("32-bit" in s.description or "wrap" in s.description for s in SPECS) >= 2

def covering(specs):
    "The fewest specs that hold every target language, parameter type and return type of `specs`, preferring fewer languages."
    traits = lambda s: {("lang", l) for l in s.solutions} | {("param", t) for _, t in s.params} | {("returns", s.returns)}
    return greedy_cover(specs, traits, tie=lambda s: -len(s.solutions))

def test_the_covering_sample_covers():
    sample = covering(SPECS)
    assert len(sample) < len(SPECS) / 3
    assert {l for s in sample for l in s.solutions} == {l for s in SPECS for l in s.solutions}
    assert {s.returns for s in sample} == {s.returns for s in SPECS}

@pytest.mark.parametrize("which", ["covering", pytest.param("all", marks=pytest.mark.exhaustive)])
def test_every_reference_passes_and_every_planted_bug_fails(which):
    # `covering`: every language, parameter and return type, in `make test`; `all`: every shipped spec (`make check-data`)
    specs = covering(SPECS) if which == "covering" else SPECS
    failures, counts = verify_specs(specs, workers=2)
    assert failures == []
    assert counts["references"] == counts["planted_bugs"] == sum(len(s.solutions) for s in specs)  # one per target language

def test_committed_problems_file_is_generated_from_the_specs(tmp_path):
    n = write_problems(SPECS, tmp_path/"p.jsonl")
    assert (tmp_path/"p.jsonl").read_bytes() == (samples_dir()/"translation_problems.jsonl").read_bytes(), \
        "regenerate: oorl-nb problems data_samples/problems -o data_samples/translation_problems.jsonl --verify"
    rows = load_jsonl(tmp_path/"p.jsonl", TranslationProblem)
    assert len(rows) == n and len({r.id for r in rows}) == n
    assert {r.source_lang for r in rows} == {"python", "cpp"}

def test_planted_bugs_are_constant_answers_of_the_right_type():
    spec = next(s for s in SPECS if s.id == "word_freq")
    bugs = dict((p.target_lang, c) for p, c in planted_bug_items([spec]))
    assert "HashMap::from" in bugs["rust"] and "map[string]int{" in bugs["go"] and "'the' => 2" in bugs["php"]
    assert len(reference_items([spec])) == len(bugs) == len(spec.solutions)

def test_problem_ids_name_the_pair():
    probs = to_problems(SPECS[0])
    assert all(p.id == f"{SPECS[0].id}/{p.source_lang}-{p.target_lang}" for p in probs)

BASE = {"id": "x", "name": "f", "params": [["a", "int"]], "returns": "int", "python": "def f(a): return a", "cpp": "long long f(long long a) { return a; }",
        "cases": [[[1], 1], [[2], 2]]}

@pytest.mark.parametrize("change,field", [
    ({"returns": "complex"}, "returns"), ({"params": [["a", "tuple"]]}, "params.0"),
    ({"cases": [[[1, 2], 1], [[2], 2]]}, "cases.0"), ({"cases": [[["1"], 1], [[2], 2]]}, "cases.0.a"),
    ({"cases": [[[1], 1], [[2], 1]]}, "cases"), ({"cpp": None}, "cpp"), ({"colour": "red"}, "colour"),
    ({"params": [["a", "list[str]"]], "cases": [[[["has space"]], 1], [[["b"]], 2]]}, "cases.0.a"),
    ({"cases": [[[2 ** 60], 1], [[2], 2]]}, "cases.0.a"),
])
def test_spec_validation_names_the_field(change, field):
    d = {**BASE, **change}
    d = {k: v for k, v in d.items() if v is not None}
    with pytest.raises(DataError) as e: spec_from_dict(d, "spec.yaml")
    assert e.value.field == field and "spec.yaml" in str(e.value)

def test_yaml_float_pitfall_is_caught():
    "YAML 1.1 reads 1e10 as a string; the validator refuses it instead of generating broken tests."
    d = {**BASE, "params": [["x", "float"]], "returns": "float", "cases": yaml.safe_load("[[[1e10], 1.0], [[2.0], 2.0]]")}
    with pytest.raises(DataError, match="not a valid float"): spec_from_dict(d)

def test_every_language_has_a_backend():
    from oorl_nb.data import LANGUAGES
    assert set(BACKENDS) == set(LANGUAGES)
