"""The docs site, checked as a reader meets it: built offline, served on localhost, opened in headless Chromium.
Every sidebar page must render its title, headings, code, figures and equations, and no internal link may be broken."""
import functools, http.server, re, shutil, subprocess, threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse, unquote
import nbformat, pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="no Chromium on PATH (tools/install-toolchains installs it)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
         "--disable-background-networking", "--disable-component-update", "--virtual-time-budget=3000"]

NOT_PROSE = {"pre", "code", "math", "script", "style", "title"}  # where `$` and backslashes are not maths left untypeset

class Page(HTMLParser):
    "What a rendered DOM holds: headings, code blocks, images, links, element ids, visible text and prose (text outside code and maths)."
    def __init__(self):
        super().__init__(); self.tags, self.links, self.images, self.ids, self.text = [], [], [], set(), []
        self.prose, self.fallbacks, self._inside = [], [], []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs); self.tags.append(tag)
        if "id" in a: self.ids.add(a["id"])
        if tag == "a" and a.get("href"): self.links.append(a["href"])
        if tag == "img": self.images.append(a.get("src", ""))
        if tag in NOT_PROSE: self._inside.append(tag)
        if "math-fallback" in (a.get("class") or "").split(): self.fallbacks.append("")
    def handle_startendtag(self, tag, attrs):  # <mspace/>: opens nothing
        if tag not in NOT_PROSE: self.handle_starttag(tag, attrs)
    def handle_endtag(self, tag):
        if tag in self._inside: del self._inside[len(self._inside) - 1 - self._inside[::-1].index(tag):]
    def handle_data(self, data):
        self.text.append(data)
        if not self._inside: self.prose.append(data)
        elif self.fallbacks and self._inside[-1] == "code" and not self.fallbacks[-1]: self.fallbacks[-1] = data

RAW_MATHS = re.compile(r"\$\$|\$[^$\s](?:[^$\n]*[^$\s\\])?\$|\\[A-Za-z]{2,}")  # $$, $x$ or a TeX command like \mathcal

def has_maths(nb) -> bool:
    "Whether a notebook's markdown (outside code) holds a formula."
    return any(RAW_MATHS.search(re.sub(r"```.*?```|`[^`\n]*`", "", c.source, flags=re.S)) for c in nb.cells if c.cell_type == "markdown")

def page_notebooks(root, notebooks) -> dict[str, str]:
    "Page file name -> notebook name, from the front matter nbdev's processors wrote to `_proc/`."
    from oorl_nb.docs import quarto_view
    return {quarto_view(nbformat.read(root/"_proc"/nb, as_version=4)).get("output-file", nb.replace(".ipynb", ".html")): nb for nb in notebooks}

@pytest.fixture(scope="module")
def site(tmp_path_factory, root):
    from oorl_nb.docs import build_site, sidebar_pages
    out = build_site(tmp_path_factory.mktemp("site")/"_docs")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}/", sidebar_pages(root/"nbs")
    server.shutdown()

def render(url: str, profile: Path) -> Page:
    "The DOM after Chromium loaded the page and ran its scripts."
    r = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    page = Page(); page.feed(r.stdout); return page

@pytest.fixture(scope="module")
def dom(site, tmp_path_factory) -> dict[str, Page]:
    "Every page as Chromium rendered it, once for all the tests below (page file name -> DOM)."
    out, base, _ = site
    profile = tmp_path_factory.mktemp("chromium")/"profile"
    return {p.name: render(base + p.name, profile) for p in sorted(out.glob("*.html"))}

def test_every_sidebar_page_renders(site, dom, root):
    out, base, notebooks = site
    pages = sorted(out.glob("*.html"))
    assert len(pages) == len(notebooks)
    source = page_notebooks(root, notebooks)
    for html_file in pages:
        page = dom[html_file.name]
        text = " ".join(page.text)
        assert "h1" in page.tags and "h2" in page.tags, f"{html_file.name}: no title or section headings"
        assert "pre" in page.tags, f"{html_file.name}: no code"
        assert {p.name for p in pages} <= set(page.links), f"{html_file.name}: the sidebar misses pages"
        assert "{target=" not in text, f"{html_file.name}: pandoc attributes leaked into the text"
        assert "Traceback" not in text, f"{html_file.name}: an error output was rendered"
        raw = RAW_MATHS.findall(" ".join(page.prose))
        assert not raw, f"{html_file.name}: maths shown as TeX source, not typeset: {raw[:5]}"
        assert not page.fallbacks, f"{html_file.name}: formulas the build could not typeset: {page.fallbacks[:5]}"
        if has_maths(nbformat.read(root/"nbs"/source[html_file.name], as_version=4)):
            assert "math" in page.tags, f"{html_file.name}: its notebook has formulas, the page no MathML"
        for src in page.images:
            if src.startswith("data:image/"): continue
            if urlparse(src).scheme in ("http", "https") and not src.startswith(base): continue  # badge: external
            assert (out/unquote(urlparse(urljoin(base + html_file.name, src)).path).lstrip("/")).is_file(), f"{html_file.name}: missing image {src}"

def test_figures_from_notebooks_reach_their_pages(site, dom, root):
    out, base, notebooks = site
    page_of = {nb: page for page, nb in page_notebooks(root, notebooks).items()}
    for nb_name in notebooks:
        nb = nbformat.read(root/"nbs"/nb_name, as_version=4)
        n_plots = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        n_md_images = sum(c.source.count("![") for c in nb.cells if c.cell_type == "markdown")
        page_name = page_of[nb_name]
        page = dom[page_name]
        assert len(page.images) >= n_plots + n_md_images, f"{page_name}: {len(page.images)} images, expected {n_plots + n_md_images}"

def test_no_internal_link_is_broken(site, dom):
    out, base, _ = site
    broken = []
    for name, page in dom.items():
        for href in page.links:
            url = urlparse(urljoin(base + name, href))
            if not (base + name).startswith(f"{url.scheme}://{url.netloc}/") or url.scheme not in ("http", "https"): continue
            target = unquote(url.path).lstrip("/") or "index.html"
            if not (out/target).is_file(): broken.append(f"{name} -> {href}"); continue
            if url.fragment and target in dom and url.fragment not in dom[target].ids: broken.append(f"{name} -> {href} (no anchor)")
    assert not broken, broken

def test_page_addresses_do_not_depend_on_notebook_numbers(site, tmp_path):
    "A page is named after its notebook without the number in front, so renumbering the notebooks moves no page and breaks no link."
    out, base, notebooks = site
    assert {re.sub(r"^\d+[a-zA-Z0-9]*_", "", nb).replace(".ipynb", ".html") for nb in notebooks} <= {p.name for p in out.glob("*.html")}
    page = render(base + "trainer.html#the-demo", tmp_path/"profile")
    assert "OORL trainer" in " ".join(page.text) and "the-demo" in page.ids
