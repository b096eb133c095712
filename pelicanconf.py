"""Development settings for Atlas News.

Everything that describes the publication lives here; ``publishconf.py`` only
changes what differs in production (absolute URLs, feeds). Plugin settings are
documented, with their defaults, in each plugin's module docstring and in the
README.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# Plugins import their shared helpers (plugins/plugin_support) by name.
if str(ROOT / "plugins") not in sys.path:
    sys.path.append(str(ROOT / "plugins"))

# --- The publication -------------------------------------------------------
SITENAME = "Atlas News"
SITE_TAGLINE = "Geopolitics, trade and technology, explained without the noise."
SITE_DESCRIPTION = (
    "Atlas News is an independent newsletter publication covering geopolitics, "
    "trade, technology, the economy and climate."
)
DEFAULT_LANG = "en"
TIMEZONE = "Europe/London"
LOCALE = ("C.UTF-8", "C")
AUTHOR = "Atlas News"
# Relative URLs keep the development build browsable from any folder.
SITEURL = ""
RELATIVE_URLS = True

# --- Content ----------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
# Pelican skips dot-files in content/, so .well-known/ is mapped from extra/.
EXTRA_PATH_METADATA = {"extra/security.txt": {"path": ".well-known/security.txt"}}
# Articles dated in the future are held back until a build after their date: by the build clock
# (SOURCE_DATE_EPOCH, else the build's start; plugins/scheduling), not by Pelican's wall clock.
WITH_FUTURE_DATES = True
SCHEDULE_HOLD_BACK = True
# The record of what a build published, which `invoke due` reads from the deployed site (publishconf.py).
SCHEDULE_STATE_SAVE_AS = None
DEFAULT_DATE_FORMAT = "%-d %B %Y"
# The summary is the dek: plain text, escaped by the theme like the title.
FORMATTED_FIELDS: list[str] = []
SUMMARY_MAX_LENGTH = 40
# Front-matter keys read by plugins, on top of Pelican's own (the front_matter plugin warns on any
# other): `Canonical:` points a syndicated copy at its original, `Related:` pins Keep Reading stories,
# `Subscribe:` and `Subscribe_pitch:` shape an article's sign-up box, `Story:` puts it in a running story,
# `Correction:` and `Update:` are dated notices. (`Image_focus:`, where a share card is cropped around, is
# one of the front_matter plugin's own keys.)
FRONT_MATTER_EXTRA_FIELDS = ["canonical", "related", "subscribe", "subscribe_pitch", "story", "correction", "update"]
# Bios and roles for bylines, one table per author, in the content folder.
AUTHOR_PROFILES_FILE = "authors.toml"
# The running stories articles join with `Story:`, one table per story, in the content folder.
RUNNING_STORIES_FILE = "stories.toml"

# Keep Reading (plugins/keep_reading): articles of the same running story are related above all. The
# weight equals the whole text weight, so no amount of shared wording outranks a shared `Story:`.
KEEP_READING_FIELD_WEIGHTS = {"story": 3.0}

# Sections are Pelican categories; this is their order in the navigation.
SECTIONS = ["World", "Trade", "Technology", "Economy", "Climate"]

# --- URLs: directory-style, so every page is a folder with index.html -------
# Written with the date's fields rather than strftime codes ("{date:%Y}"): Pelican formats this for every
# article three times a build, and a strftime code goes through its locale-aware strftime, seven times slower.
ARTICLE_URL = "{date.year:04d}/{date.month:02d}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
# Drafts are not written; `invoke build --drafts` writes them under drafts/.
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = ""
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
CATEGORY_URL = "section/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_URL = "section/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = "tag/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
AUTHORS_URL = "author/"
AUTHORS_SAVE_AS = AUTHORS_URL + "index.html"
ARCHIVES_URL = "archive/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_URL = "archive/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL + "index.html"
DAY_ARCHIVE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "categories", "tags", "authors", "archives", "404"]
PAGINATED_TEMPLATES = {"index": None, "category": None, "tag": None, "author": None}
DEFAULT_PAGINATION = 12
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# --- Feeds: off in development, switched on by publishconf.py ---------------
# Feeds, sitemaps and robots.txt need absolute URLs, which only exist in production.
SITESUBTITLE = SITE_TAGLINE
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_RSS = None
JSON_FEED_ALL = None
JSON_FEED_CATEGORY = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# --- Theme ------------------------------------------------------------------
THEME = "theme"
# Titles, deks, tags and names are plain text: escape them everywhere.
JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
}

# --- Markdown -----------------------------------------------------------------
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}

# --- Plugins ------------------------------------------------------------------
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "fast_build",
    "scheduling",
    "front_matter",
    "article_markup",
    "author_profiles",
    "running_stories",
    "static_host",
    "subscribe",
    "takeaways",
    "feeds",
    "sitemaps",
    "page_metadata",
    "keep_reading",
    "security_policy",
    "corrections",
    "redirects",
    "share_images",
    # Last: it indexes the finished pages once every other plugin has written its files.
    "site_search",
]

# --- Search (plugins/site_search) ----------------------------------------------------
# Indexing costs about two and a quarter milliseconds of CPU per story, so development builds skip it unless
# `invoke build --search`; publishconf.py turns it on.
SEARCH_INDEX = False
# Where npm installed the pagefind that package.json pins (`npm ci`, or `invoke bootstrap`).
SEARCH_NODE_MODULES = str(ROOT / "node_modules")
# Where the search form sends readers whose browser runs no JavaScript, e.g.
# "https://duckduckgo.com/?sites={host}&q=" ({host} is SITEURL's host). None: the
# search page says search needs JavaScript and links to the archive and sections.
SEARCH_FALLBACK_URL = None

# --- Content checks (plugins/front_matter) -------------------------------------
# Hosts whose <iframe>/<object>/<embed> articles may include, e.g. "www.youtube-nocookie.com".
# None by default: an embed from anywhere else is an error, and the pages' Content-Security-Policy
# (plugins/security_policy) allows frames from these hosts only.
CONTENT_EMBED_HOSTS: list[str] = []

# --- Moved stories (plugins/redirects) and imports (`invoke import`) -----------------
# Old addresses of imported stories, one `OLD-PATH TARGET` a line; `invoke import` appends to it.
REDIRECTS_FILE = "redirects.txt"
# The section of an imported story given without --section, from the first of its tags listed here.
IMPORT_TAG_SECTIONS = {
    "geopolitics": "World",
    "diplomacy": "World",
    "trade": "Trade",
    "tariffs": "Trade",
    "shipping": "Trade",
    "technology": "Technology",
    "semiconductors": "Technology",
    "ai": "Technology",
    "economy": "Economy",
    "inflation": "Economy",
    "interest rates": "Economy",
    "climate": "Climate",
    "energy": "Climate",
}

# --- Build ---------------------------------------------------------------------
# Processes for Markdown conversion and rendering: None is one per CPU core
# (`invoke build --jobs N` overrides it for one build).
BUILD_JOBS = None
# What a build keeps for the next one (Markdown conversions); thrown away whole when
# settings, theme, plugins or package versions change. `invoke build --no-cache` ignores it.
BUILD_CACHE_PATH = str(ROOT / ".build-cache")

# --- Images (plugins/share_images) ----------------------------------------------------
# Share cards and resized copies of images are made by `invoke publish` and `invoke build --images`;
# a development build links the original images and decodes none.
IMAGES_DERIVE = False
# Derived images kept between builds, by a digest of what each is made from (`invoke build --no-cache`
# makes them all again).
IMAGES_CACHE_PATH = str(ROOT / ".image-cache")

# --- Hosting --------------------------------------------------------------------
# A custom domain for GitHub Pages (writes output/CNAME), e.g. "news.example.org".
CNAME = None

# --- Newsletter sign-up (plugins/subscribe; README "Newsletter sign-up") ------
# Forms post straight to the provider. Switch providers by changing these two
# settings; SUBSCRIBE_PROVIDER = None removes every form.
SUBSCRIBE_PROVIDER = "buttondown"
SUBSCRIBE_OPTIONS = {"username": "atlasnews"}

# --- Newsletter edition (`invoke email`; plugins/email_edition; README "Newsletter edition") ----
# The postal address every edition's footer carries, as anti-spam laws and providers require:
# replace it with the publication's own before sending.
EMAIL_ADDRESS_LINE = "Atlas News · 1 Example Street · London EC1A 1AA · United Kingdom"
# The unsubscribe link's merge tag; None takes SUBSCRIBE_PROVIDER's own (needed for "generic").
EMAIL_UNSUBSCRIBE_URL = None
