"""The synthetic problem generator: references proven by the real executor, a leak-free split, reproducibility."""
import pytest
from oorl_nb import synthetic
from oorl_nb.data import OorlError
from oorl_nb.problems import verify_specs
from oorl_nb.rewards import available_languages, extract_code
from oorl_nb.synthetic import LEVELS, SYNTH_LANGS, sft_pairs, split_of, synthetic_problems, synthetic_specs

@pytest.mark.parametrize("per_level", [1, pytest.param(6, marks=pytest.mark.exhaustive)])  # `make test`; `make check-data`
def test_references_pass_and_planted_bugs_fail_at_every_level(per_level):
    if missing := set(SYNTH_LANGS) - set(available_languages()): pytest.skip(f"toolchains missing: {sorted(missing)}")
    every = tuple(LEVELS)  # level 6 included
    specs = (synthetic_specs(len(LEVELS) * per_level, seed=7, levels=every)
             + synthetic_specs(len(LEVELS) * max(1, per_level // 3), seed=7, split="heldout", levels=every))
    assert {s.difficulty for s in specs} == set(LEVELS)
    failures, counts = verify_specs(specs, workers=2)
    assert failures == [] and counts["references"] == len(specs) * len(SYNTH_LANGS)

def test_heldout_never_overlaps_training():
    train = {s.solutions["python"] for s in synthetic_specs(1500, seed=0)}
    for seed in (0, 1):
        held = synthetic_specs(100, seed=seed, split="heldout")
        assert all(split_of(s) == "heldout" for s in held)
        assert not train & {s.solutions["python"] for s in held}

def test_same_arguments_same_specs_and_distinct_functions():
    a, b = synthetic_specs(50, seed=3), synthetic_specs(50, seed=3)
    assert a == b and a != synthetic_specs(50, seed=4)
    assert len({s.solutions["python"] for s in a}) == 50
    assert len({s.id for s in a}) == 50

def test_every_parameter_is_read_and_cases_are_informative():
    for s in synthetic_specs(100, seed=5):
        assert len(s.cases) == 6 and len({repr(e) for _, e in s.cases}) >= 2
        for p, _ in s.params: assert p in s.solutions["python"].split("\n", 1)[1], (p, s.solutions["python"])

def test_sft_answers_hold_the_target_reference():
    specs = synthetic_specs(5, seed=2)
    pairs, problems = sft_pairs(specs), synthetic_problems(specs)
    assert len(pairs) == len(problems) == 5 * 6  # 2 sources × 3 other targets each
    by_id = {s.id: s for s in specs}
    for (prompt, answer), p in zip(pairs, problems):
        assert p.origin == "synthetic" and p.source_code in prompt and p.target_signature in prompt
        assert extract_code(answer, p.target_lang).strip() == by_id[p.id.split("/")[0]].solutions[p.target_lang].strip()

def test_an_exhausted_level_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(synthetic.FAMILIES, 1, lambda rng: synthetic.arithmetic(__import__("random").Random(0)))
    with pytest.raises(OorlError, match="level 1 found no new train problem"):
        synthetic_specs(3, seed=0, levels=[1])

def test_truncating_division_fails_every_floor_division_problem():
    "Level 6 exists to hold a bug only execution catches: Math.trunc for `//` must fail each problem, Math.floor pass."
    if "javascript" not in available_languages(): pytest.skip("node missing")
    from oorl_nb.rewards import score
    specs = synthetic_specs(6, seed=3, levels=(6,)) + synthetic_specs(2, seed=3, split="heldout", levels=(6,))
    problems = [p for p in synthetic_problems(specs) if p.target_lang == "javascript"]
    by_id = {s.id: s for s in specs}
    for p in problems:
        right = by_id[p.id.split("/")[0]].solutions["javascript"]
        assert score(p, f"```javascript\n{right}```").reward == 1, p.id
        wrong = score(p, f"```javascript\n{right.replace('Math.floor(', 'Math.trunc(')}```")
        assert (wrong.reward, wrong.stage) == (0, "test"), (p.id, wrong)

def test_level_6_is_drawn_only_when_asked_for():
    assert {s.difficulty for s in synthetic_specs(12, seed=0)} == {1, 2, 3, 4, 5}
    assert {s.difficulty for s in synthetic_specs(4, seed=0, levels=(6,))} == {6}
