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

# Sections whose prose reports a run shown in their own outputs: each number the prose quotes must be printed there.
PROSE_FROM_OUTPUTS = [("08_eval.ipynb", "### The embedded model on MultiPL-E")]
NUMBER = re.compile(r"(?<![\w.@§])\d+(?:\.\d+)?(?![\w]|\.\d)")  # a standalone number: not `pass@1`, `§5`, `2M`, `x86_64`

def section_cells(book, heading: str) -> list:
    "The cells from the markdown cell that starts with `heading` to the next heading of its level or above (or the recap)."
    start = next(i for i, c in enumerate(book.cells) if c.cell_type == "markdown" and c.source.startswith(heading + "\n"))
    level = len(heading) - len(heading.lstrip("#"))
    ends = (i for i, c in enumerate(book.cells) if i > start and c.cell_type == "markdown"
            and (re.match(rf"#{{1,{level}}} ", c.source) or c.source.startswith("**What we built")))
    return book.cells[start:next(ends, len(book.cells))]

def printed(cell) -> str:
    "The text a code cell's saved outputs show."
    parts = [o.get("text", "") for o in cell.get("outputs", [])]
    parts += [o.get("data", {}).get(kind, "") for o in cell.get("outputs", []) for kind in ("text/plain", "text/markdown")]
    return "\n".join(p if isinstance(p, str) else "".join(p) for p in parts)

@pytest.mark.parametrize("name,heading", PROSE_FROM_OUTPUTS)
def test_prose_quotes_only_numbers_its_outputs_print(root, name, heading):
    cells = section_cells(nbformat.read(root/"nbs"/name, as_version=4), heading)
    outputs = "\n".join(printed(c) for c in cells if c.cell_type == "code")
    assert outputs.strip(), f"{name}, {heading!r}: no saved output to quote from"
    prose = "\n".join(re.sub(r"\([^)]*\.ipynb[^)]*\)", "", c.source) for c in cells if c.cell_type == "markdown")  # not link targets
    missing = [n for n in NUMBER.findall(prose) if not re.search(rf"(?<![\d.]){re.escape(n)}(?![\d]|\.\d)", outputs)]
    assert not missing, f"{name}, {heading!r}: the prose quotes {missing}, which its outputs do not print"

@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(path, monkeypatch):
    """What `nbdev_test` does with one notebook, here in the pytest-xdist pool so that notebooks and tests share the cores:
    nbdev's own runner, skipping cells marked `#| eval: false` or with a test flag of settings.ini (`tst_flags`)."""
    from nbdev.config import get_config
    from nbdev.test import test_nb
    monkeypatch.setenv("IN_TEST", "1")  # what nbdev_test sets (notebooks pick smaller cases), undone after this test
    ok, _ = test_nb(path, skip_flags=get_config().tst_flags.split(), basepath=get_config().config_path)
    assert ok, f"{path.name} failed to run: its traceback is in the captured stderr"

SECTION = re.compile(r"§\s?\d")

def test_every_section_reference_is_a_link(root):
    "A bare '§3' goes stale silently when sections move; as a link, the docs build checks its target (test_docs_site)."
    bare = []
    for path in NOTEBOOKS:
        for i, c in enumerate(nbformat.read(path, as_version=4).cells):
            if c.cell_type != "markdown": continue
            text = re.sub(r"\[[^\]]*\]\([^)]*\)", "", c.source)  # links, whatever their text says
            text = re.sub(r"^\|[^\n]*\|$", lambda row: re.sub(r"\|\s*§\s*\|", "||", row.group(0)), text, flags=re.M)  # a table's "§" column header
            bare += [f"{path.name} cell {i}: {m.group(0)}" for m in SECTION.finditer(text)]
    assert not bare, bare
