"""Files beside an essay or page: what its Markdown references, what of it is published, and where."""

from __future__ import annotations

import functools
import os
import posixpath
import re
import stat
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote, unquote, urlsplit

from ssg import urls
from ssg.config import SiteConfig
from ssg.engine.fingerprint import digest
from ssg.errors import Problem

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from ssg.content.collect import Signature

# Formats ssg reads with Pillow, by file extension: every other file is published as it is.
IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}
# References that name no file: the page's own links, the base URL, forms and automatic redirects.
_NOT_FILES = {"base", "form", "button", "input", "meta"}
# Markdown that may hold a relative reference or an image: the rest of a text needs no second parse.
_MAYBE = re.compile(r"!\[|\]\(\s*<?(?![/#)]|[A-Za-z][A-Za-z0-9+.\-]*:)|\]:|src=|href=", re.IGNORECASE)
NO_ALT = "image {!r} has no alt text (describe the picture for readers who cannot see it)"


@dataclass(frozen=True)
class FileRef:
    """One relative reference in a text's Markdown to a file beside it."""

    line: int
    written: str  # the URL as the Markdown renderer sees it (percent-encoded): what the page's HTML replaces
    target: str  # the file, from the site folder on: essays/strasse/strasse.jpg
    published: str  # its path below the text's URL: strasse.jpg, bilder/hof.png
    image: bool  # shown as an image (gets width, height and smaller copies), not just linked


@dataclass(frozen=True)
class TextFiles:
    """What a text's Markdown references beside it, and the first image it shows (og:image)."""

    refs: tuple[FileRef, ...] = ()
    first_image: str = ""  # as written: relative (one of refs), site-absolute or another site's


def text_files(
    config: SiteConfig, source: str, body: str, body_line: int, top: str, add: Callable[[Problem], None]
) -> TextFiles:
    """Return the files a text's Markdown references; report references that leave `top` (essays/ or pages/)
    and images without alt text to `add`."""
    if not _may_reference(body):
        return TextFiles()
    from ssg.markdown import make_parser  # the one Markdown configuration, rendering included
    from ssg.refs import markdown_refs

    refs: list[FileRef] = []
    first = ""
    base = config.base_path
    for ref in markdown_refs(_parser(config, make_parser), body, body_line):
        # The renderer put the base path in front of site paths: name them as written.
        shown = "/" + ref.value[len(base) :] if base != "/" and ref.value.startswith(base) else ref.value
        if ref.tag == "img" and not first:
            first = shown
        if ref.tag == "img" and ref.alt is None:
            add(Problem(source, ref.line, NO_ALT.format(shown), "warning"))
        if ref.tag in _NOT_FILES:
            continue
        found = resolve(ref.value, source, top)
        if isinstance(found, str):
            add(Problem(source, ref.line, found))
        elif found is not None:
            refs.append(FileRef(ref.line, ref.value, found[0], found[1], ref.tag == "img"))
    return TextFiles(tuple(refs), first)


def _may_reference(body: str) -> bool:
    """Tell whether a text's Markdown may hold a relative reference or an image (see _MAYBE)."""
    # Each of _MAYBE's alternatives holds "[", "]" or "=", which most texts lack: looking for them is a hundred
    # times faster than the pattern, which tries every alternative at every position of the text.
    return ("[" in body or "]" in body or "=" in body) and _MAYBE.search(body) is not None


@functools.lru_cache(maxsize=4)
def _parser(config: SiteConfig, make: Callable[[SiteConfig], MarkdownIt]) -> MarkdownIt:
    return make(config)


def resolve(value: str, source: str, top: str) -> tuple[str, str] | str | None:
    """Return (file from the site folder on, path below the text's URL) for a reference to a file beside the
    text `source`; None if it names no such file (another site, a site path, a page, an anchor); an error
    message if it may not be published."""
    parts = urlsplit(value)
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or not path or value.startswith(("/", "\\")) or path.endswith("/"):
        return None
    if path.lower().endswith(".md"):
        return None  # a link to an essay's file: ssg check explains what to write instead
    if "\\" in path or any(ord(c) < 32 or ord(c) == 127 for c in path):
        return f"reference {value!r}: a file name with a backslash or control character cannot be published"
    folder = posixpath.dirname(source)
    target = posixpath.normpath(posixpath.join(folder, path))
    if not target.startswith(top + "/"):
        return f"reference {value!r} leads out of the {top}/ folder: only files beside the text are published"
    below = folder if target.startswith(folder + "/") else top
    return target, posixpath.relpath(target, below)


@dataclass(frozen=True)
class SourceFile:
    """A file in essays/ or pages/ that is not a text: its digest, or why it cannot be published."""

    rel: str  # from the site folder on
    path: str
    digest: str = ""
    size: int = 0
    problem: str = ""


FileIndex = dict[str, SourceFile]
FileMemo = dict[str, tuple["Signature", SourceFile]]  # by rel: the file's status when read, and what was read


def read_files(config: SiteConfig, memo: FileMemo | None = None) -> FileIndex:
    """Return every file beside the texts in essays/ and pages/ with its digest.

    With `memo` (updated in place), a file whose status is unchanged since it was read is not read again.
    """
    from ssg.content.collect import RACY_NS, scan_files  # which reads essays, and so imports this module

    root = str(config.root)
    found: FileIndex = {}
    statuses: FileMemo = {}
    for folder in (config.essays_dir, config.pages_dir):
        for path, linked in scan_files(str(folder)):
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            known = memo.get(rel) if memo is not None else None
            signature = _signature(path)
            if known is not None and signature is not None and known[0] == signature:
                found[rel] = known[1]
            else:
                read_at = time.time_ns()
                found[rel] = _read(path, rel, root, linked)
                if signature is not None and signature[1] > read_at - RACY_NS:
                    signature = None  # changed within a clock tick of being read: read it again next time
            if signature is not None and not found[rel].problem:
                statuses[rel] = (signature, found[rel])
    if memo is not None:
        memo.clear()
        memo.update(statuses)
    return found


def _signature(path: str) -> Signature | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino


def _read(path: str, rel: str, root: str, linked: bool) -> SourceFile:
    if linked:
        try:
            real = os.path.realpath(path, strict=True)
        except (OSError, RuntimeError):
            return SourceFile(rel, path, problem="is a link that leads nowhere or back to itself")
        if not PurePosixPath(real).is_relative_to(os.path.realpath(root)):
            return SourceFile(rel, path, problem="is a link to a file outside the site folder (not allowed)")
    try:
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb", buffering=0) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return SourceFile(rel, path, problem="is not a regular file (a pipe, socket or device)")
            data = handle.read()
    except OSError as exc:
        return SourceFile(rel, path, problem=f"cannot be read: {exc.strerror}")
    return SourceFile(rel, path, digest(data), len(data))


@dataclass(frozen=True)
class ImageInfo:
    """An image as it shows: its format, size after its EXIF orientation, and number of frames."""

    format: str
    width: int
    height: int
    frames: int = 1


@dataclass(frozen=True)
class Published:
    """One file published beside a text."""

    url: str  # site URL: /strasse/strasse.jpg
    source: SourceFile
    image: ImageInfo | None = None
    widths: tuple[int, ...] = ()  # of the smaller copies made for srcset

    def sized_url(self, width: int) -> str:
        """Return the URL of the copy `width` pixels wide."""
        stem, dot, extension = self.url.rpartition(".")
        return f"{stem}-{width}w{dot}{extension}" if dot and "/" not in extension else f"{self.url}-{width}w"


@dataclass(frozen=True)
class Link:
    """What a reference in the Markdown becomes in the page: the file's URL, and for images their size."""

    url: str  # site URL, with the reference's query and fragment
    width: int = 0
    height: int = 0
    sizes: tuple[tuple[str, int], ...] = ()  # (site URL, width) of each copy, the largest (the image) last


@dataclass(frozen=True)
class Attachments:
    """The files a text publishes beside it, and what each of its references becomes."""

    files: tuple[Published, ...] = ()
    links: tuple[tuple[str, Link], ...] = ()  # by the reference as written
    image: str = ""  # site URL or absolute URL of its preview image (og:image); "" if none

    def link_map(self) -> dict[str, Link]:
        """Return each written reference's link."""
        return dict(self.links)


Measure = Callable[[SourceFile, str], "ImageInfo | Problem"]  # an image file and its format -> its size


def attach(
    config: SiteConfig,
    source: str,
    page_url: str,
    found: TextFiles,
    image: tuple[str, int],
    files: Mapping[str, SourceFile],
    measure: Measure,
    top: str,
) -> tuple[Attachments, list[Problem]]:
    """Return what the text `source` (at `page_url`) publishes beside it; its problems: missing files,
    links out of the site, files that are not the images their names say. `image` is its front matter's
    preview image and line ("" for none: its first image)."""
    problems: list[Problem] = []
    published: dict[str, Published] = {}
    links: dict[str, Link] = {}
    refs = list(found.refs)
    shown = image[0] or found.first_image
    if image[0]:
        resolved = resolve(image[0], source, top)
        if isinstance(resolved, str):
            problems.append(Problem(source, image[1], resolved.replace("reference", "'image'", 1)))
        elif resolved is not None:
            refs.append(FileRef(image[1], image[0], resolved[0], resolved[1], True))
    for ref in refs:
        file = files.get(ref.target)
        if file is None or file.problem:
            what = f"'{ref.written}' ({ref.target})"
            message = (
                f"missing file {what}: there is no such file beside the text"
                if file is None
                else (f"{what} {file.problem}")
            )
            problems.append(Problem(source, ref.line, message))
            continue
        url = page_url + ref.published
        entry = published.get(url)
        if entry is not None and entry.source.rel != file.rel:
            message = f"'{ref.written}' and another reference both publish {url}: rename one of the files"
            problems.append(Problem(source, ref.line, message))
            continue
        if entry is None:
            entry = published[url] = _publish(config, url, file, measure, problems)
        if ref.image and entry.image is not None and not entry.widths:
            entry = published[url] = _with_widths(config, entry)
    if problems:
        return Attachments(), problems
    for ref in refs:
        entry = published[page_url + ref.published]
        links[ref.written] = _link(ref.written, entry)
    return Attachments(
        tuple(published[u] for u in sorted(published)), tuple(sorted(links.items())), _preview(config, shown, links)
    ), []


def _publish(config: SiteConfig, url: str, file: SourceFile, measure: Measure, problems: list[Problem]) -> Published:
    kind = IMAGE_FORMATS.get(PurePosixPath(file.rel).suffix.lower())
    if kind is None:
        return Published(url, file)
    info = measure(file, kind)
    if isinstance(info, Problem):
        problems.append(info)
        return Published(url, file)
    return Published(url, file, info)


def _with_widths(config: SiteConfig, entry: Published) -> Published:
    info = entry.image
    assert info is not None
    widths = () if info.frames > 1 else tuple(w for w in config.images.widths if w < info.width)
    return Published(entry.url, entry.source, info, widths)


def _link(written: str, entry: Published) -> Link:
    parts = urlsplit(written)
    tail = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    info = entry.image
    if info is None:
        return Link(quote_path(entry.url) + tail)
    sizes = (*((quote_path(entry.sized_url(w)), w) for w in entry.widths), (quote_path(entry.url), info.width))
    return Link(quote_path(entry.url) + tail, info.width, info.height, sizes if entry.widths else ())


def _preview(config: SiteConfig, shown: str, links: Mapping[str, Link]) -> str:
    """Return the absolute URL of the preview image: a copy about 1,000 pixels wide where there is one."""
    if not shown:
        return ""
    link = links.get(shown)
    if link is not None:
        fitting = [url for url, width in link.sizes if width <= 1600]
        return urls.absolute(config.base_url, fitting[-1] if fitting else link.url)
    parts = urlsplit(shown)
    if not parts.scheme and not parts.netloc and shown.startswith("/"):
        return urls.absolute(config.base_url, shown)
    return ""  # another site's image: a preview should not make readers' apps ask it


def quote_path(url: str) -> str:
    """Return a site URL with the characters that URLs may not hold percent-encoded."""
    return quote(url, safe="/-._~!$&'()*+,;=:@")


ImageMemo = dict[str, ImageInfo]  # by the digest of an image file's bytes


def remembered(measure: Measure, memo: ImageMemo) -> Measure:
    """Return `measure`, remembering each image's size by its file's digest (kept between builds)."""

    def known(file: SourceFile, kind: str) -> ImageInfo | Problem:
        info = memo.get(file.digest)
        if info is None or info.format != kind:
            found = measure(file, kind)
            if isinstance(found, Problem):
                return found
            info = memo[file.digest] = found
        return info

    return known


class Text(Protocol):
    """An essay or a page, as far as its files are concerned."""

    @property
    def source(self) -> str: ...
    @property
    def slug(self) -> str: ...
    @property
    def files(self) -> TextFiles: ...
    @property
    def image(self) -> str: ...
    @property
    def image_line(self) -> int: ...


def attach_all(
    config: SiteConfig, texts: Sequence[Text], files: Mapping[str, SourceFile], measure: Measure
) -> tuple[dict[str, Attachments], list[Problem]]:
    """Return what each text publishes beside it (those that publish anything or have a preview image), by
    source, and every problem of every text."""
    found: dict[str, Attachments] = {}
    problems: list[Problem] = []
    for text in texts:
        if not text.files.refs and not text.files.first_image and not text.image:
            continue
        top = "essays" if text.source.startswith("essays/") else config.pages.strip("/")
        image = (text.image, text.image_line)
        attachments, wrong = attach(
            config, text.source, urls.essay_url(text.slug), text.files, image, files, measure, top
        )
        problems += wrong
        if attachments != Attachments():
            found[text.source] = attachments
    return found, problems
