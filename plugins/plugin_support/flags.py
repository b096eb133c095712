"""Yes/no front-matter values (``Featured: yes``, ``Subscribe: false``), read the same way by every plugin."""

from __future__ import annotations

from typing import Any

TRUE_WORDS = frozenset({"true", "yes", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "0", "off"})


def parse_yes_no(name: str, value: Any) -> bool:
    """``True`` or ``False`` for a yes/no value; ``ValueError`` naming the key and the fix otherwise."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f'{name.title()}: "{value}" is not a yes/no value; write true or false')
