"""Production settings: absolute URLs and feeds on top of ``pelicanconf.py``.

``SITEURL`` comes from the environment variable of the same name, so the same
commit can be published at a domain root or under a sub-path such as
``https://owner.github.io/atlas-news``.
"""

from __future__ import annotations

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "http://127.0.0.1:8000").rstrip("/")
RELATIVE_URLS = False

# Feeds need absolute URLs, so only the published site has them. Every feed
# carries the full article; the newest 50 keep each file small.
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/{slug}.rss.xml"
JSON_FEED_ALL = "feeds/all.json"
JSON_FEED_CATEGORY = "feeds/{slug}.json"
RSS_FEED_SUMMARY_ONLY = False
FEED_MAX_ITEMS = 50

# The published site is searchable: Pagefind indexes it as the build's last step (plugins/site_search).
SEARCH_INDEX = True

# Share cards for link previews and images sized for the screen (plugins/share_images).
IMAGES_DERIVE = True

# A custom domain for GitHub Pages, e.g. CNAME=news.example.org in the build environment.
CNAME = os.environ.get("CNAME") or None

# What this deployment published, for `invoke due` to compare the content with (plugins/scheduling).
SCHEDULE_STATE_SAVE_AS = "build-state.json"
