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

FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
DELETE_OUTPUT_DIRECTORY = False
