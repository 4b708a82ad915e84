"""Deployment: a real nginx serves the built sites under /journal/, and the README's server block serves one at the
domain's root; a crawler follows every link and asset."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest

from tests.helpers import REPO
from tests.quality.conftest import BASE_PATH, BASE_URL, build, require, write_corpus

CONTENT_TYPES = {
    ".html": ("text/html",),
    ".css": ("text/css",),
    ".js": ("application/javascript", "text/javascript"),
    ".xml": ("application/atom+xml", "application/xml", "text/xml"),
    ".json": ("application/feed+json", "application/json"),
    ".svg": ("image/svg+xml",),
    ".txt": ("text/plain",),
    ".pdf": ("application/pdf",),
}
MAX_REQUESTS = 5000

NGINX_CONF = """\
{user}worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
{servers}
}}
"""
SERVER = """\
  server {{
    listen 127.0.0.1:{port};
    charset utf-8;
    charset_types text/css text/plain text/xml application/javascript application/json application/atom+xml;
    location {base_path} {{ alias {root}/; }}
    error_page 404 {base_path}404.html;
  }}
"""
# The README's recipe ("Publishing"), run as written but for the address it listens on and the folder it serves.
README_SERVER = re.findall(r"```nginx\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), flags=re.S)
ROOT_URL = "https://example.org/"


def readme_server(port: int, root: Path) -> str:
    """Return the README's nginx server block, listening on `port` and serving `root`."""
    assert len(README_SERVER) == 1, "the README should hold exactly one nginx block"
    block = README_SERVER[0]
    for placeholder in ("listen 80;", "root /var/www/journal;"):
        assert block.count(placeholder) == 1, f"the README's nginx block lost {placeholder!r}"
    return block.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("root /var/www/journal;", f"root {root};")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx stopped: {log.read_text(errors='replace') if log.exists() else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail("nginx did not start listening within 10 s")


@pytest.fixture(scope="module")
def root_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated site of 30 essays, built for the root of its domain (base_url https://example.org/)."""
    root = tmp_path_factory.mktemp("root-site")
    write_corpus(root, 30)
    site_yml = root / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(BASE_URL, ROOT_URL), encoding="utf-8")
    return build(root)


@pytest.fixture(scope="module")
def served(
    author_site: Path, generated_site: Path, root_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, int]]:
    """Serve the built sites with nginx, one port each (the root site with the README's block); stop nginx afterwards."""
    nginx = require("nginx")
    require("/etc/nginx/mime.types")
    tmp = tmp_path_factory.mktemp("nginx")
    ports = {"author": free_port(), "generated": free_port(), "readme": free_port()}
    roots = {"author": author_site, "generated": generated_site}
    servers = "".join(SERVER.format(port=ports[k], base_path=BASE_PATH, root=roots[k]) for k in roots)
    servers += readme_server(ports["readme"], root_site)
    user = "user root root;\n" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(NGINX_CONF.format(user=user, tmp=tmp, servers=servers), "utf-8")
    log = tmp / "error.log"
    process = subprocess.Popen([nginx, "-p", str(tmp), "-e", str(log), "-c", str(tmp / "nginx.conf")])
    try:
        for port in ports.values():
            wait_for_port(port, process, log)
        yield ports
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    cache_control: str = ""


def fetch(port: int, path: str) -> Response:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        headers = (response.getheader("Content-Type", ""), response.read(), response.getheader("Cache-Control", ""))
        return Response(response.status, headers[0], headers[1], headers[2])
    finally:
        connection.close()


class RefParser(HTMLParser):
    """Every URL a browser would load or a reader could follow, with whether it is loaded by itself."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        navigational = tag in ("a", "area") or (tag == "link" and values.get("rel") in ("canonical", "alternate"))
        for key in ("href", "src", "poster", "data"):
            if values.get(key):
                self.refs.append((values[key], not navigational))
        for candidate in values.get("srcset", "").split(","):
            if candidate.strip():
                self.refs.append((candidate.split()[0], True))


def references(path: str, response: Response) -> list[tuple[str, bool]]:
    """Return (url, embedded) pairs found in a page, stylesheet, feed or sitemap."""
    kind = response.content_type.split(";")[0]
    if kind not in ("text/html", "text/css") and not path.endswith((".json", ".xml")):
        return []  # a PDF handout or an image leads nowhere
    text = response.body.decode("utf-8")
    if kind == "text/html":
        parser = RefParser()
        parser.feed(text)
        return parser.refs
    if kind == "text/css":
        import re

        return [(m, True) for m in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) if not m.startswith("data:")]
    if path.endswith(".json"):
        feed = json.loads(text)
        return [(feed["home_page_url"], False), (feed["feed_url"], False)] + [(i["url"], False) for i in feed["items"]]
    if path.endswith(".xml"):
        root = ElementTree.fromstring(response.body)
        hrefs = [e.attrib["href"] for e in root.iter() if "href" in e.attrib]
        return [(h, False) for h in hrefs] + [(e.text or "", False) for e in root.iter() if e.tag.endswith("}loc")]
    return []


@dataclass
class Crawl:
    visited: dict[str, Response] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def crawl(port: int, start: str, base_url: str = BASE_URL, base_path: str = BASE_PATH) -> Crawl:
    """Fetch `start` and everything it leads to on this server (the site's `base_url` is served at `base_path`);
    note every failure."""
    result = Crawl()
    origin = f"http://127.0.0.1:{port}"
    queue = deque([(start, "(start)")])
    while queue and len(result.visited) < MAX_REQUESTS:
        path, referrer = queue.popleft()
        if path in result.visited:
            continue
        response = result.visited[path] = fetch(port, path)
        if response.status != 200:
            result.problems.append(f"{response.status} for {path} (linked from {referrer})")
            continue
        expected = expected_types(path)
        if response.content_type.split(";")[0] not in expected:
            result.problems.append(f"{path}: content type {response.content_type!r}, expected one of {expected}")
        for ref, embedded in references(path, response):
            target = urljoin(origin + path, ref.replace(base_url, base_path, 1) if ref.startswith(base_url) else ref)
            parts = urlsplit(target)
            if parts.scheme in ("mailto", "tel"):
                continue
            if f"{parts.scheme}://{parts.netloc}" != origin:
                if embedded:
                    result.problems.append(f"{path} loads {ref} from another site")
                continue
            queue.append((parts.path + (f"?{parts.query}" if parts.query else ""), path))
    assert len(result.visited) < MAX_REQUESTS, "the crawl did not end"
    return result


def expected_types(path: str) -> tuple[str, ...]:
    name = path.rsplit("/", 1)[-1]
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ".html"
    return CONTENT_TYPES.get(suffix, ("(no rule for this kind of file)",))


def built_urls(out: Path, base_path: str = BASE_PATH) -> set[str]:
    """Return the URL of every file in a built site, as served under the base path."""
    urls = set()
    for path in out.rglob("*"):
        if path.is_file():
            rel = path.relative_to(out).as_posix()
            urls.add(base_path + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return urls


@pytest.mark.parametrize("site", ["author", "generated"])
def test_crawl_from_home_finds_no_broken_link(
    site: str, served: dict[str, int], author_site: Path, generated_site: Path
) -> None:
    result = crawl(served[site], BASE_PATH)
    assert result.problems == []
    out = author_site if site == "author" else generated_site
    pages = {u for u in built_urls(out) if u.endswith("/")}
    assert pages <= set(result.visited), f"pages no link leads to: {sorted(pages - set(result.visited))[:10]}"
    assert len(result.visited) > (20 if site == "author" else 400)


@pytest.mark.parametrize("site", ["author", "generated"])
def test_every_built_file_is_served_with_its_content_type(
    site: str, served: dict[str, int], author_site: Path, generated_site: Path
) -> None:
    out = author_site if site == "author" else generated_site
    wrong = []
    for url in sorted(built_urls(out)):
        response = fetch(served[site], url)
        if response.status != 200 or response.content_type.split(";")[0] not in expected_types(url):
            wrong.append(f"{url}: {response.status} {response.content_type}")
    assert wrong == []


@pytest.mark.parametrize("missing", ["gibt-es-nicht/", "a/b/c/tief.html", "themen/unbekannt/"])
def test_missing_urls_get_the_sites_404_page(missing: str, served: dict[str, int], author_site: Path) -> None:
    port = served["author"]
    response = fetch(port, BASE_PATH + missing)
    assert response.status == 404
    assert response.content_type.split(";")[0] == "text/html"
    assert response.body == (author_site / "404.html").read_bytes()
    # The 404 page is shown at any depth: its stylesheet and links must still resolve from there.
    parser = RefParser()
    parser.feed(response.body.decode("utf-8"))
    for ref, _ in parser.refs:
        if ref.startswith("#"):
            continue
        parts = urlsplit(urljoin(f"http://127.0.0.1:{port}{BASE_PATH}{missing}", ref))
        if parts.netloc == f"127.0.0.1:{port}":
            assert fetch(port, parts.path).status == 200, f"{ref} in the 404 page fails at {missing}"


def test_the_readmes_server_block_serves_the_site_with_its_types_and_404_page(
    served: dict[str, int], root_site: Path
) -> None:
    port = served["readme"]
    result = crawl(port, "/", ROOT_URL, "/")
    assert result.problems == []
    pages = {u for u in built_urls(root_site, "/") if u.endswith("/")}
    assert pages <= set(result.visited) and len(pages) > 20
    wrong = []
    for url in sorted(built_urls(root_site, "/")):
        response = fetch(port, url)
        if response.status != 200 or response.content_type.split(";")[0] not in expected_types(url):
            wrong.append(f"{url}: {response.status} {response.content_type}")
        elif (
            response.content_type.startswith(("text/", "application/"))
            and not response.content_type.startswith("application/pdf")  # bytes, not text: no character set
            and "charset=utf-8" not in response.content_type
        ):
            wrong.append(f"{url}: {response.content_type} names no character set")
    assert wrong == []
    for missing in ("/gibt-es-nicht/", "/static/fehlt.css", "/a/b/tief.html"):
        response = fetch(port, missing)
        assert (response.status, response.body) == (404, (root_site / "404.html").read_bytes()), missing


def test_the_readmes_server_block_lets_browsers_keep_the_themes_files_for_a_week(served: dict[str, int]) -> None:
    port = served["readme"]
    for url in ("/static/style.css", "/static/worksheet.js", "/static/favicon.svg"):
        assert fetch(port, url).cache_control == "max-age=604800", url
    for url in ("/", "/feed.xml", "/archiv/"):
        assert fetch(port, url).cache_control == "", url
