"""The house conventions on pasted and converted text."""

from __future__ import annotations

import pytest
from archive_import.convert import without_tracking
from archive_import.house import heading_text, house_markdown, is_takeaways_label


@pytest.mark.parametrize(
    ("paragraph", "heading"),
    [
        ("🎯 A Trade-Off That Wasn't", "🎯 A Trade-Off That Wasn't"),
        ("**What Comes Next**", "What Comes Next"),
        ("**🧭 Where this leaves Brussels:**", "🧭 Where this leaves Brussels"),
        ('🗣️ "We left with more," said Katarina Holm.', None),
        ("An ordinary sentence of the story.", None),
        ("🎯 " + "word " * 20, None),
    ],
)
def test_headings_from_emoji_and_bold_lines(paragraph: str, heading: str | None) -> None:
    assert heading_text(paragraph) == heading


@pytest.mark.parametrize("label", ["🔑 Key Takeaways:", "**Key takeaways**", "### Takeaways", "TL;DR:", "Key Points"])
def test_takeaways_labels_in_any_form(label: str) -> None:
    assert is_takeaways_label(label.lstrip("#").strip())


def test_a_pasted_story_becomes_house_markdown() -> None:
    pasted = (
        "The talks ended on Tuesday.\n\n"
        "🎯 A Trade-Off That Wasn't\n\n"
        "• €4.2bn in licences\n\n"
        "◦ 30 working days\n\n"
        "– Six-monthly reviews\n\n"
        '🗣️ "We left with more than we came for," said Katarina Holm.\n\n'
        "…\n\n"
        "🔑 Key Takeaways:\n\n"
        "• Licences move faster.\n"
        "• Price floors adjust.\n\n"
        "Stay informed! Sign up for our newsletter to get the latest stories in your inbox.\n\n"
        "Reply\n\nor to participate\n\nKeep Reading\n\nNo posts found\n\n"
        "Stay informed! Sign up for our newsletter…\n"
    )
    converted = house_markdown(pasted)
    assert converted.markdown == (
        "The talks ended on Tuesday.\n\n"
        "## 🎯 A Trade-Off That Wasn't\n\n"
        "- €4.2bn in licences\n- 30 working days\n- Six-monthly reviews\n\n"
        '🗣️ "We left with more than we came for," said Katarina Holm.\n\n'
        "---\n\n"
        "::: takeaways\n- Licences move faster.\n- Price floors adjust.\n:::\n\n"
        "[subscribe]\n"
    )
    assert 'removed the platform line "No posts found"' in converted.notes
    assert "removed a second sign-up line" in converted.notes


def test_a_takeaways_label_without_a_list_stays_text() -> None:
    assert house_markdown("Key Takeaways\n\nNone this week.\n").markdown == "Key Takeaways\n\nNone this week.\n"


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("https://x.example/a?utm_source=n&id=4&utm_medium=e", "https://x.example/a?id=4"),
        ("https://x.example/a?utm_campaign=z", "https://x.example/a"),
        ("https://x.example/a#part", "https://x.example/a#part"),
    ],
)
def test_tracking_parameters_are_taken_off_links(url: str, clean: str) -> None:
    assert without_tracking(url) == clean
