"""Stock Pelican, for comparison: its default theme, no plugins, its default feeds.

``invoke benchmark-build`` builds the same synthetic content with this file and
with the project's own settings. Only what a bare ``pelican-quickstart`` site
must say is set here; everything else is Pelican 4.12's default.
"""

AUTHOR = "Atlas News"
SITENAME = "Atlas News"
SITEURL = "https://example.org"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
PLUGINS: list[str] = []
