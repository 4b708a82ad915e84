"""Benchmark site for Pelican: one page per essay plus an index, nothing else; content cache on."""

AUTHOR = "Der Autor"
SITENAME = "Benchmark-Journal"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
THEME = "theme"

SLUGIFY_SOURCE = "basename"
ARTICLE_URL = "essays/{slug}/"
ARTICLE_SAVE_AS = "essays/{slug}/index.html"
DIRECT_TEMPLATES = ["index"]
DEFAULT_PAGINATION = False

TAG_SAVE_AS = CATEGORY_SAVE_AS = AUTHOR_SAVE_AS = ""
TAGS_SAVE_AS = CATEGORIES_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
PAGE_SAVE_AS = DRAFT_SAVE_AS = DRAFT_PAGE_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = PAGE_LANG_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
STATIC_PATHS: list[str] = []

LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
CACHE_PATH = "cache"
