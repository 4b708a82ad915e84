"""The configured markdown-it-py renderer: CommonMark + tables, footnotes, heading ids, quotes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore, smartquotes
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ssg import urls
from ssg.config import SiteConfig
from ssg.content.files import Link
from ssg.content.typography import quotes_for

Renderer = Callable[[str], str]
# Turns a text into HTML with its references to files beside it (written URL -> Link) made into the URLs of
# the published files, site-absolute or (feeds that readers copy) absolute.
BodyRenderer = Callable[[str, "Mapping[str, Link] | None", bool], str]


def make_parser(config: SiteConfig, prefilter: bool = True) -> MarkdownIt:
    """Return a MarkdownIt instance configured for the site (`prefilter=False`: markdown-it's own typographer)."""
    options = {
        "maxNesting": MAX_NESTING,
        "html": config.markdown.html,
        "typographer": config.markdown.typographer,
        "quotes": quotes_for(config.language),
    }
    md = MarkdownIt("commonmark", options).enable(["table", "strikethrough"])
    if config.markdown.typographer:
        md.enable(["replacements", "smartquotes"])
        if prefilter:
            # smartquotes looks through every token of a text for straight quotes, which most texts lack:
            # one look at the whole text first (tokens hold parts of it; entities and escapes don't count).
            md.core.ruler.at("smartquotes", _only_if(_quoted, smartquotes))
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=heading_id)
    if config.base_path != "/":
        md.core.ruler.push("base_path", _base_path_rule(config.base_path))
    md.core.ruler.push("files", _files_rule(config))
    return md


def _quoted(text: str) -> bool:
    """Tell whether `text` holds a straight quote that `smartquotes` would curl."""
    return "'" in text or '"' in text


def _only_if(test: Callable[[str], bool], rule: Callable[[StateCore], None]) -> Callable[[StateCore], None]:
    """Return `rule`, run only on texts that pass `test`."""

    def filtered(state: StateCore) -> None:
        if test(state.src):
            rule(state)

    return filtered


def _base_path_rule(base_path: str) -> Callable[[StateCore], None]:
    """Return a rule that prefixes site-absolute links (`/x/`) with the base path."""

    def rule(state: StateCore) -> None:
        for block in state.tokens:
            for token in block.children or ():
                attr = "href" if token.type == "link_open" else "src" if token.type == "image" else None
                value = token.attrGet(attr) if attr else None
                if attr and isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
                    token.attrSet(attr, urls.relative_to_base(base_path, value))

    return rule


def _files_rule(config: SiteConfig) -> Callable[[StateCore], None]:
    """Return a rule that points references to files beside a text at the published files, gives their images
    width, height and smaller sizes, and lets every image but the first load only when it comes into view."""
    sizes = config.images.sizes

    def rule(state: StateCore) -> None:
        files: Mapping[str, Link] = state.env.get("files") or {}
        if not files and "![" not in state.src:
            return  # nothing to do, and most texts: no need to look at every token
        absolute = bool(state.env.get("absolute"))

        def url(value: str) -> str:
            return urls.absolute(config.base_url, value) if absolute else urls.relative_to_base(config.base_path, value)

        first = True
        for block in state.tokens:
            for token in block.children or ():
                attr = "href" if token.type == "link_open" else "src" if token.type == "image" else None
                value = token.attrGet(attr) if attr else None
                link = files.get(value) if isinstance(value, str) else None
                if link is not None and attr is not None:
                    token.attrSet(attr, url(link.url))
                if token.type != "image":
                    continue
                if link is not None and link.width:
                    token.attrSet("width", str(link.width))
                    token.attrSet("height", str(link.height))
                    if link.sizes:
                        token.attrSet("srcset", ", ".join(f"{url(u)} {w}w" for u, w in link.sizes))
                        token.attrSet("sizes", sizes)
                if not first:
                    token.attrSet("loading", "lazy")
                    token.attrSet("decoding", "async")
                first = False

    return rule


MAX_NESTING = 100


class NestingError(ValueError):
    """Markdown nested so deeply that markdown-it would silently drop the rest."""

    def __init__(self, line: int) -> None:
        super().__init__(f"lists or quotes are nested too deeply (the limit is about {MAX_NESTING // 2} levels)")
        self.line = line


# One line of letters, digits, spaces and this punctuation is no Markdown: it renders as itself (markdown-it
# would escape only &, <, > and ", none of which can occur). Questions, intros and labels mostly are such
# lines, and parsing them costs a tenth of a millisecond each. Starting with a digit or "-" could make a
# list, and the sequences in _TYPOGRAPHY are what the typographer replaces.
_PLAIN = re.compile(r"(?![\d\s-])(?:[^\W_]|[ ,;:?!.()/%„“‚‘”’«»‹›–—…-])+")
_TYPOGRAPHY = re.compile(r"\.\.|--|,,|\?\?|!!|\((?:c|tm|r|p)\)|  |\s$", re.IGNORECASE)


def is_plain(text: str) -> bool:
    """Tell whether `text` renders as itself, with no Markdown or typography to apply."""
    return _PLAIN.fullmatch(text) is not None and _TYPOGRAPHY.search(text) is None


# The ids the default theme gives its own parts of an essay page (main content, the questions): a heading
# "## Fragen" must not take one, or the skip link and the page's anchors would lead to the wrong place.
THEME_IDS = frozenset({"inhalt", "fragen"})


def heading_id(text: str) -> str:
    """Return the id of a heading with `text`: its slug, made distinct from the theme's own ids."""
    slug = urls.slug(text)
    return f"{slug}-1" if slug in THEME_IDS else slug


def make_renderer(config: SiteConfig) -> BodyRenderer:
    """Return a function turning Markdown into HTML; raise NestingError rather than lose text."""
    md = make_parser(config)

    def render(text: str, files: Mapping[str, Link] | None = None, absolute: bool = False) -> str:
        if is_plain(text):
            return f"<p>{text}</p>\n"
        env: dict[str, object] = {"files": files, "absolute": absolute}
        tokens = md.parse(text, env)
        deep = next((t for t in tokens if t.level >= MAX_NESTING - 2), None)
        if deep is not None:
            raise NestingError(deep.map[0] + 1 if deep.map else 1)
        return str(md.renderer.render(tokens, md.options, env))

    return render


def make_inline_renderer(config: SiteConfig) -> Renderer:
    """Return a function turning one line of Markdown into HTML without a <p>."""
    render_inline = make_parser(config).renderInline
    return lambda text: text if is_plain(text) else str(render_inline(text))
