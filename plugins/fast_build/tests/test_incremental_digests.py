"""Digests of page values: equal for equal values, different for different ones, never equal for article methods."""

from __future__ import annotations

import json
from datetime import datetime
from types import SimpleNamespace

from fast_build.incremental import Digester
from markupsafe import Markup
from pelican.contents import Article
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import Tag


def article(path: str, title: str) -> Article:
    settings = {**__import__("pelican.settings", fromlist=["DEFAULT_CONFIG"]).DEFAULT_CONFIG, "PATH": "/content"}
    return Article(
        "<p>Body</p>",
        metadata={"title": title, "date": datetime(2026, 5, 1, 9, 0), "slug": title.lower().replace(" ", "-")},
        settings=settings,
        source_path=f"/content/{path}",
        context={"localsiteurl": ""},
    )


def test_equal_values_give_equal_digests_in_separate_digesters() -> None:
    value = {"list": [1, "two", (3.0, None)], "when": datetime(2026, 5, 1), "object": SimpleNamespace(a=1, b=[2])}
    same = {"object": SimpleNamespace(b=[2], a=1), "when": datetime(2026, 5, 1), "list": [1, "two", (3.0, None)]}
    assert Digester({}, {}).value(value) == Digester({}, {}).value(same)
    assert Digester({}, {}).value(value) != Digester({}, {}).value({**same, "when": datetime(2026, 5, 2)})


def test_articles_are_digested_by_identity_and_their_methods_never_match() -> None:
    first, edited = article("a.md", "First"), article("a.md", "Edited title")
    digester = Digester({}, {})
    # Identity only: what a page reads of an article is recorded and digested attribute by attribute.
    assert digester.value([first]) == Digester({}, {}).value([edited])
    assert Digester({}, {}).value(first.get_content) != Digester({}, {}).value(first.get_content)


def test_tags_are_digested_by_name_slug_and_public_fields() -> None:
    settings = __import__("pelican.settings", fromlist=["DEFAULT_CONFIG"]).DEFAULT_CONFIG
    shipping, again, other = Tag("Shipping", settings), Tag("Shipping", settings), Tag("Ports", settings)
    assert Digester({}, {}).value(shipping) == Digester({}, {}).value(again)
    assert Digester({}, {}).value(shipping) != Digester({}, {}).value(other)
    again.bio = "A profile added to this one"
    assert Digester({}, {}).value(shipping) != Digester({}, {}).value(again)


class ResolvedOnThePage:
    """Like a takeaway: what its property answers depends on the page being rendered."""

    page = ""

    @property
    def html(self) -> str:
        return f'<a href="{ResolvedOnThePage.page}/story/">story</a>'


def test_what_depends_on_the_page_is_digested_again_on_each_page_and_plain_data_once() -> None:
    story = article("a.md", "First")
    story.box = ResolvedOnThePage()
    story.facts = {"tags": [Tag("Shipping", story.settings)], "when": datetime(2026, 5, 1)}
    key = ("content", story.relative_source_path)
    digester = Digester({key: story}, {})
    environment = __import__("jinja2").Environment()
    environment.plain_getattr = environment.getattr

    def fingerprint_on(page: str, attribute: str) -> str:
        ResolvedOnThePage.page = page
        return digester.fingerprint("t.html", {"localsiteurl": page}, (), ((key, (attribute,)),), environment)

    assert fingerprint_on("..", "box") != fingerprint_on("../..", "box")
    assert fingerprint_on("..", "box") == fingerprint_on("..", "box")
    assert fingerprint_on("..", "facts") == fingerprint_on("../..", "facts")
    story.facts = {"tags": [], "when": datetime(2026, 5, 1)}
    fresh = Digester({key: story}, {})
    ResolvedOnThePage.page = ".."
    assert fresh.fingerprint("t.html", {"localsiteurl": ".."}, (), ((key, ("facts",)),), environment) != (
        fingerprint_on("..", "facts")
    )


def test_plain_data_is_digested_exactly_with_every_type_and_order_kept_apart() -> None:
    json_ld = {"@type": "NewsArticle", "headline": "Ports reopen", "author": [{"name": "Mara"}], "wordCount": 120}

    def digest(value: object) -> str:
        return Digester({}, {}).value(value)

    assert digest(json_ld) == digest(json.loads(json.dumps(json_ld)))
    different = [
        {**json_ld, "wordCount": "120"},  # a number is not its text
        {**json_ld, "wordCount": True},
        {**json_ld, "wordCount": 120.0},
        {**json_ld, "author": [{"name": "Mara"}, {"name": "Ola"}]},
        {**json_ld, "author": ({"name": "Mara"},)},  # a tuple is not a list
        {**json_ld, "headline": Markup("Ports reopen")},  # neither is markup, which a template does not escape
        {**json_ld, "when": datetime(2026, 5, 1)},
        dict(reversed(json_ld.items())),  # a template looping over a dict shows its order
        [json_ld["author"], json_ld],
        [json_ld, json_ld["author"]],
    ]
    digests = [digest(value) for value in [json_ld, *different]]
    assert len(set(digests)) == len(digests)


def test_a_set_is_digested_by_its_items_whatever_order_it_holds_them_in() -> None:
    # 8 and 16 fall in the same slot of a small set, so each set holds them in the order they were added;
    # sets of texts differ in order between processes, where texts hash differently.
    forwards, backwards = {"ids": set([8, 16])}, {"ids": set([16, 8])}
    assert list(forwards["ids"]) == [8, 16] and list(backwards["ids"]) == [16, 8]
    assert Digester({}, {}).value(forwards) == Digester({}, {}).value(backwards)
    assert Digester({}, {}).value(forwards) != Digester({}, {}).value({"ids": {8}})


def test_a_long_text_is_digested_by_its_whole_content() -> None:
    body = "<p>" + "Freight rates fell again. " * 400 + "</p>"
    assert Digester({}, {}).value(body) == Digester({}, {}).value("".join(body))
    assert Digester({}, {}).value(body) != Digester({}, {}).value(body.replace("fell again. </p>", "fell. </p>"))
    assert Digester({}, {}).value(body) != Digester({}, {}).value([body])


def test_reads_of_one_story_are_shared_across_pages_only_when_none_depends_on_the_page() -> None:
    story = article("a.md", "First")
    story.override_url = "2026/05/first/"
    story.box = ResolvedOnThePage()
    key = ("content", story.relative_source_path)
    digester = Digester({key: story}, {})
    environment = __import__("jinja2").Environment()
    environment.plain_getattr = environment.getattr

    def fingerprint_on(page: str, *attributes: str) -> str:
        ResolvedOnThePage.page = page
        return digester.fingerprint("t.html", {"localsiteurl": page}, (), ((key, attributes),), environment)

    # A card's reads (address, headline) are the same on every page; a group with one read that depends on
    # the page is worked out again on each page, even after its other reads were remembered for all pages.
    assert fingerprint_on("..", "url", "title") == fingerprint_on("../..", "url", "title")
    assert fingerprint_on("..", "url", "box") != fingerprint_on("../..", "url", "box")
    assert fingerprint_on("..", "title", "box") != fingerprint_on("../..", "title", "box")

    moved = article("a.md", "First")
    moved.override_url = "2026/05/moved/"
    elsewhere = Digester({key: moved}, {}).fingerprint(
        "t.html", {"localsiteurl": ".."}, (), ((key, ("url",)),), environment
    )
    assert elsewhere != fingerprint_on("..", "url")


def test_an_attribute_a_story_lacks_reads_as_undefined_on_every_page_until_it_has_one() -> None:
    story = article("a.md", "First")
    key = ("content", story.relative_source_path)
    environment = __import__("jinja2").Environment()
    environment.plain_getattr = environment.getattr
    digester = Digester({key: story}, {})

    def fingerprint(on: Digester, page: str) -> str:
        return on.fingerprint("t.html", {"localsiteurl": page}, (), ((key, ("image", "title")),), environment)

    without = fingerprint(digester, "..")
    assert fingerprint(digester, "../..") == without  # the same on every page
    assert str(environment.getattr(story, "image")) == ""  # what the template saw: Jinja's undefined
    story.image = "images/port.jpg"
    assert fingerprint(Digester({key: story}, {}), "..") != without


def test_a_name_every_object_answers_is_read_not_taken_as_undefined() -> None:
    old, new = article("a.md", "Old"), article("a.md", "New")
    key = ("content", old.relative_source_path)
    environment = __import__("jinja2").Environment()
    environment.plain_getattr = environment.getattr

    def fingerprint(story: Article) -> str:
        return Digester({key: story}, {}).fingerprint(
            "t.html", {"localsiteurl": ""}, (), ((key, ("__getstate__",)),), environment
        )

    # A template may call what Python gives every object ({{ article.__getstate__()["title"] }}).
    assert fingerprint(old) != fingerprint(new)


def test_a_listing_page_is_digested_by_its_number_stories_and_paginator_on_whatever_page_reads_it() -> None:
    settings = {**__import__("pelican.settings", fromlist=["DEFAULT_CONFIG"]).DEFAULT_CONFIG, "DEFAULT_ORPHANS": 0}
    stories = [article(f"{n}.md", f"Story {n}") for n in range(5)]

    def page(number: int, listed: list[Article] = stories, per_page: int = 2) -> Page:
        return Paginator("tag/ports.html", "tag/ports.html", listed, settings, per_page).page(number)

    def digest(value: Page, siteurl: str = "..") -> str:
        return Digester({}, {}).fingerprint("t.html", {"localsiteurl": siteurl, "p": value}, ("p",), (), None)

    assert digest(page(2)) == digest(page(2), "../..")  # its address does not depend on the page reading it
    different = [page(1), page(3), page(2, per_page=3), page(2, stories[:4]), page(2, stories[::-1])]
    assert len({digest(each) for each in [page(2), *different]}) == 1 + len(different)


def test_names_a_page_shares_with_the_others_are_digested_by_their_values_and_its_own_every_time() -> None:
    shared = {"localsiteurl": "", "SITENAME": "Atlas News", "sections": [{"name": "World"}]}
    own = frozenset({"localsiteurl", "output_file"})
    names = ("SITENAME", "output_file", "sections")
    digester = Digester({}, {})

    def fingerprint(context: dict, output_file: str) -> str:
        page_context = {**context, "output_file": output_file}
        return digester.fingerprint("t.html", page_context, names, (), None, own)

    first = fingerprint(shared, "a.html")
    assert fingerprint(shared, "a.html") == first
    assert fingerprint(shared, "b.html") != first
    # A shared name given another value (another shared context, or one a later step changed) is digested again.
    assert fingerprint({**shared, "SITENAME": "Atlas Weekly"}, "a.html") != first
    assert fingerprint({**shared, "sections": [{"name": "Trade"}]}, "a.html") != first
    assert fingerprint({**shared, "sections": [{"name": "World"}]}, "a.html") == first  # equal, though new
    page = {**shared, "output_file": "a.html"}
    assert Digester({}, {}).fingerprint("t.html", page, names, (), None, own) == first
    shared["SITENAME"] = "Atlas Evening"  # the shared context itself, changed between two pages by a later step
    assert fingerprint(shared, "a.html") != first
