"""Loading, checking and attaching author profiles."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from plugin_support import problems

DEFAULTS: dict[str, Any] = {"AUTHOR_PROFILES": {}, "AUTHOR_PROFILES_FILE": "authors.toml"}
PROFILE_KEYS = ("name", "role", "bio")


def validate_settings(settings: dict[str, Any]) -> None:
    """Load the profiles file; each profile is a table of strings with name, role and bio."""
    profiles = dict(settings.get("AUTHOR_PROFILES") or DEFAULTS["AUTHOR_PROFILES"])
    if not isinstance(profiles, dict):
        raise ValueError(f"AUTHOR_PROFILES must map author slugs to profiles, got {type(profiles).__name__}")
    file_name = settings.setdefault("AUTHOR_PROFILES_FILE", DEFAULTS["AUTHOR_PROFILES_FILE"])
    profile_file = Path(settings["PATH"]) / file_name
    if profile_file.is_file():
        try:
            profiles.update(tomllib.loads(profile_file.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{profile_file}: {error}") from error
    settings["AUTHOR_PROFILES"] = profiles
    for slug, profile in profiles.items():
        missing = [key for key in PROFILE_KEYS if not isinstance(profile.get(key), str) or not profile[key].strip()]
        if missing:
            raise ValueError(f"author profile [{slug}] needs text for: {', '.join(missing)}")


def attach_profiles(articles: list, authors: list[tuple[Any, list]], settings: dict[str, Any]) -> None:
    """Set ``profile``, ``bio`` and ``role`` on every Author object in use."""
    profiles: dict[str, dict[str, str]] = settings["AUTHOR_PROFILES"]
    everyone = [author for article in articles for author in getattr(article, "authors", [])]
    everyone += [author for author, _ in authors]
    profile_file = settings["AUTHOR_PROFILES_FILE"]
    for article in articles:
        for author in getattr(article, "authors", []):
            key = "authors" if "authors" in article.metadata else "author"
            profile = profiles.get(author.slug)
            if profile is None:
                problems.report_key(
                    article.source_path,
                    key,
                    f'{key.title()}: "{author.name}" has no profile; check the spelling, or add a [{author.slug}] '
                    f"table with name, role and bio to {profile_file} in the content folder",
                )
            elif author.name != profile["name"]:
                # The first spelling the build meets would name the author's page, and the byline of every story.
                problems.report_key(
                    article.source_path,
                    key,
                    f'{key.title()}: "{author.name}" is written "{profile["name"]}" in {profile_file}; '
                    "use the profile's spelling",
                    problems.WARNING,
                )
    for author in everyone:
        profile = profiles.get(author.slug)
        author.profile = profile
        author.bio = profile["bio"] if profile else ""
        author.role = profile["role"] if profile else ""
