"""Results of the last build are given again for the same inputs, and only the last build's."""

from __future__ import annotations

from plugin_support.last_build import FromLastBuild


def test_a_result_is_given_again_in_the_next_build_for_the_same_inputs_only() -> None:
    worked_out: list[str] = []

    def work(text: str) -> str:
        worked_out.append(text)
        return text.upper()

    results: FromLastBuild[str] = FromLastBuild()
    results.start()
    assert results.get("ports", lambda: work("ports")) == "PORTS"
    assert results.get("cranes", lambda: work("cranes")) == "CRANES"
    assert results.get("ports", lambda: work("ports")) == "PORTS"  # asked again in the same build
    results.start()  # the next build asks for one of them again, and for an edited text
    assert results.get("ports", lambda: work("ports")) == "PORTS"
    assert results.get("ports, edited", lambda: work("ports, edited")) == "PORTS, EDITED"
    results.start()  # "cranes" was not asked for in the build before: worked out again
    assert results.get("cranes", lambda: work("cranes")) == "CRANES"
    assert results.get("ports", lambda: work("ports")) == "PORTS"
    assert worked_out == ["ports", "cranes", "ports, edited", "cranes"]


def test_a_false_result_is_given_again_too() -> None:
    asked: list[str] = []

    def has_link(text: str) -> bool:
        asked.append(text)
        return "{filename}" in text

    results: FromLastBuild[bool] = FromLastBuild()
    results.start()
    assert results.get("plain", lambda: has_link("plain")) is False
    assert results.get("plain", lambda: has_link("plain")) is False
    results.start()
    assert results.get("plain", lambda: has_link("plain")) is False
    assert asked == ["plain"]
