"""Where fenced code blocks are, as Python-Markdown's fenced_code reads them.

Extensions that give a line of their own a meaning (``::: takeaways``,
``[subscribe]``) must leave such lines alone inside fenced code, and must
agree with fenced_code about what is fenced code.
"""

from __future__ import annotations

import re

from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.extensions.fenced_code import FencedBlockPreprocessor

CODE_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})")


def fenced_code_end(lines: list[str], index: int) -> int | None:
    """Index of the line closing a fenced code block opened at ``index``, if it is one.

    Asks Python-Markdown's fenced_code itself: after an opening line it
    rejects ("```python extra words"), a later fence opens the code instead,
    and a fence without a matching close is not code at all.
    """
    if not CODE_FENCE.match(lines[index]):
        return None
    match = FencedBlockPreprocessor.FENCED_BLOCK_RE.match("\n".join(lines[index:]))
    if not match or (match.group("attrs") and get_attrs_and_remainder(match.group("attrs"))[1]):
        return None  # fenced_code skips an opening whose {attributes} do not close
    return index + match.group().count("\n")
