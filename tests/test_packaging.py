"""Packaging: the pins the nbdev 2 stack needs, a wheel that carries the data samples, and the CPU torch."""
import configparser, subprocess, sys, zipfile

def settings(root):
    cfg = configparser.ConfigParser(delimiters=["="]); cfg.read(root/"settings.ini")
    return cfg["DEFAULT"]

def test_nbdev2_stack_is_pinned_exactly(root):
    dev = settings(root)["dev_requirements"].split()
    for pin in ("nbdev==2.4.14", "fastcore==1.12.47", "execnb==0.1.18"): assert pin in dev

def requirements(root, key) -> dict:
    from packaging.requirements import Requirement
    return {r.name: r for r in map(Requirement, settings(root)[key].split())}

def test_notebook_extra_is_part_of_dev(root):
    "What the notebooks need (the Colab install cell's extra) is installed by `make test` too, at versions it allows."
    dev = requirements(root, "dev_requirements")
    for name, req in requirements(root, "notebook_requirements").items():
        assert name in dev, name
        pins = [s.version for s in dev[name].specifier if s.operator == "=="]
        assert all(req.specifier.contains(v) for v in pins), f"dev pins {name} at {pins}, outside {req.specifier}"

def test_notebook_extra_pins_nothing_colab_ships(root):
    "Colab ships fastcore (and nbconvert, datasets): the extra bounds them only from above or below, never pins them."
    notebooks = requirements(root, "notebook_requirements")
    assert "nbdev" in notebooks  # every notebook's hidden cell imports nbdev.showdoc
    for name in ("fastcore", "nbconvert", "datasets"):
        assert all(s.operator != "==" for s in notebooks[name].specifier), name
    assert [s.operator for s in notebooks["fastcore"].specifier] == ["<"]  # a ceiling for nbdev 2, no floor of ours

def test_installed_versions_match_the_pins():
    from importlib.metadata import version
    assert (version("nbdev"), version("fastcore"), version("execnb")) == ("2.4.14", "1.12.47", "0.1.18")

def test_core_requirements_are_importable(root):
    import importlib
    names = {"pyyaml": "yaml"}
    for req in settings(root)["requirements"].split():
        name = req.split(">")[0].split("=")[0].split("<")[0]
        importlib.import_module(names.get(name, name))

def test_wheel_ships_data_samples_and_console_script(root, tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(root)],
                   check=True, capture_output=True, timeout=300)
    wheel, = tmp_path.glob("oorl_nb-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        entry_points = next(z.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    for shipped in ("translation_problems.jsonl", "ir_groups.jsonl", "c_functions/gcd.c", "problems/digit_sum.yaml",
                    "configs/cpu-tiny.yaml", "multipl_e/mini-scala.jsonl", "multipl_e_solutions.jsonl", "embedded_model/model.safetensors", "embedded_model/tokenizer.json",
                    "embedded_model/PROVENANCE.json", "configs/cpu-demo.yaml", "runs/demo_cpu/report.md",
                    "runs/demo_cpu/learning_curve.png", "runs/ablation_cpu/ablation.md", "runs/ablation_cpu/curves.png",
                    "ir_groups_synthetic_train.jsonl.gz", "ir_groups_synthetic_heldout.jsonl.gz", "ir_groups_synthetic_train.json",
                    "runs/pi_ref_ir/after_ir_phase/result.json", "runs/demo_cpu_grpo/eval_after.json"):
        assert f"oorl_nb/data_samples/{shipped}" in names
    assert "oorl-nb = oorl_nb.cli:main" in entry_points
    assert not [n for n in names if "/checkpoints/" in n or n.endswith(".pt")]  # run folders ship without their checkpoints
