"""House rules every notebook follows (STYLE.md): a hidden Colab install cell first, a title and subtitle,
an "Open in Colab" badge that points at the notebook itself, one module per notebook, a sidebar entry, and a last
cell that recaps and links the next notebook of the sidebar. Colab cells come from settings.ini (tools/colab-cells)."""
import configparser, re, subprocess
from pathlib import Path
import nbformat, pytest, yaml

NOTEBOOKS = sorted(p for p in (Path(__file__).resolve().parent.parent/"nbs").glob("*.ipynb") if not p.name.startswith("_"))

def notebooks(root):
    return NOTEBOOKS

def test_there_are_notebooks(root):
    assert len(notebooks(root)) >= 4

@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def nb(request):
    return request.param.name, nbformat.read(request.param, as_version=4)

def settings(root):
    cfg = configparser.ConfigParser(delimiters=["="]); cfg.read(root/"settings.ini"); return cfg["DEFAULT"]

def test_first_cell_is_hidden_colab_install(nb, root):
    name, book = nb
    src = book.cells[0].source
    assert book.cells[0].cell_type == "code" and src.startswith("#| hide") and "[ -e /content ] && pip install" in src
    assert f'oorl-nb[notebooks] @ git+{settings(root)["git_url"]}.git' in src, f"{name}: the install cell misses the notebook extra"

def test_colab_cells_agree_with_settings(root):
    r = subprocess.run([str(root/"tools/colab-cells"), "--check"], capture_output=True, text=True, cwd=root)
    assert r.returncode == 0, r.stdout + r.stderr

def test_only_the_settings_repository_is_named(nb, root):
    "A notebook that names the repository (badge, install cell, prose) names the one in settings.ini."
    name, book = nb
    d = settings(root)
    text = "\n".join(c.source for c in book.cells)
    for user, repo in re.findall(r"github(?:\.com|\.io)?/([\w.-]+)/([\w-]+)", text):
        if repo == d["repo"] or user == d["user"]: assert (user, repo) == (d["user"], d["repo"]), f"{name}: {user}/{repo}"

def test_title_and_subtitle(nb):
    name, book = nb
    md = book.cells[1].source
    assert md.startswith("# ") and "\n> " in md, name

def test_colab_badge_points_at_this_notebook(nb, root):
    cfg = configparser.ConfigParser(delimiters=["="]); cfg.read(root/"settings.ini"); d = cfg["DEFAULT"]
    name, book = nb
    url = f"https://colab.research.google.com/github/{d['user']}/{d['repo']}/blob/{d['branch']}/nbs/{name}"
    assert any(f"]({url})" in c.source for c in book.cells if c.cell_type == "markdown"), f"{name}: no badge for {url}"

def test_one_module_per_notebook(root):
    seen = {}
    for p in notebooks(root):
        for m in re.findall(r"^#\|\s*default_exp\s+(\S+)", p.read_text().replace("\\n", "\n"), re.M):
            assert m not in seen, f"{p.name} and {seen[m]} both export {m}"
            seen[m] = p.name

def sidebar(root) -> list[str]:
    from oorl_nb.docs import sidebar_pages
    return sidebar_pages(root/"nbs")

def test_sidebar_lists_every_notebook(root):
    listed = sidebar(root)
    assert sorted(listed) == sorted(p.name for p in notebooks(root)) and len(set(listed)) == len(listed)

def test_sidebar_is_a_course_then_under_the_hood(root):
    from oorl_nb.docs import sidebar_sections
    sections = [s for s, _ in sidebar_sections(root/"nbs")]
    assert sections[0] is None and list(dict.fromkeys(sections[1:])) == ["The course", "Under the hood"]

def test_last_cell_recaps_and_links_the_next_notebook(root):
    pages = sidebar(root)
    for here, after in zip(pages, pages[1:] + pages[:1]):
        last = nbformat.read(root/"nbs"/here, as_version=4).cells[-1]
        assert last.cell_type == "markdown", f"{here}: the last cell is not a recap"
        assert re.search(rf"\]\({re.escape(after)}(#[\w-]+)?\)", last.source), f"{here}: its last cell does not link {after}"

@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(path, monkeypatch):
    """What `nbdev_test` does with one notebook, here in the pytest-xdist pool so that notebooks and tests share the cores:
    nbdev's own runner, skipping cells marked `#| eval: false` or with a test flag of settings.ini (`tst_flags`)."""
    from nbdev.config import get_config
    from nbdev.test import test_nb
    monkeypatch.setenv("IN_TEST", "1")  # what nbdev_test sets (notebooks pick smaller cases), undone after this test
    ok, _ = test_nb(path, skip_flags=get_config().tst_flags.split(), basepath=get_config().config_path)
    assert ok, f"{path.name} failed to run: its traceback is in the captured stderr"
