"""House rules every notebook follows (STYLE.md): a hidden Colab install cell first, a title and subtitle,
an "Open in Colab" badge that points at the notebook itself, one module per notebook, a sidebar entry."""
import configparser, re
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

def test_first_cell_is_hidden_colab_install(nb):
    name, book = nb
    src = book.cells[0].source
    assert book.cells[0].cell_type == "code" and src.startswith("#| hide") and "[ -e /content ] && pip install" in src

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

def test_sidebar_lists_every_notebook(root):
    listed = yaml.safe_load((root/"nbs/sidebar.yml").read_text())["website"]["sidebar"]["contents"]
    assert sorted(listed) == sorted(p.name for p in notebooks(root))
