"""Search (plugins/site_search): what Pagefind indexes, and what a reader gets from /search/ in Chromium.

The bundled site is built for production under a sub-path and served there
(``sub_path_site``), so the index, the engine and the result links are the
ones a project site on GitHub Pages would have. The words searched for are
worked out from the built pages (a word only one article's body has, a word
only the sign-up box and the masthead have), not written into the tests.
A small site of its own checks ranking, the filters and the no-JavaScript
fallback against a stand-in search engine on 127.0.0.1.
"""

from __future__ import annotations

import gzip
import http.server
import json
import re
import shutil
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from conftest import BuiltSite, ServedSite, answer_html, built, new_content_dir, tree_digest, write_article
from playwright.sync_api import expect

WORD = re.compile(r"[a-z]{5,}")
# Everything a page shows around the article that must not make it a search hit.
AROUND_THE_STORY = (
    ".masthead, .site-footer, .subscribe-box, .keep-reading, .byline, .kicker, .tag-list, .story-sequence"
)
RECORD_POLICY_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def indexed_text(page: BeautifulSoup) -> str:
    """What the theme marks as searchable on an article page: headline, dek and body, sign-up boxes left out."""
    parts = []
    for marked in page.select("[data-pagefind-body]"):
        marked = BeautifulSoup(str(marked), "html.parser")
        for ignored in marked.select("[data-pagefind-ignore]"):
            ignored.decompose()
        parts.append(marked.get_text(" "))
    return " ".join(parts).lower()


def words(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def article_texts(site: BuiltSite) -> dict[str, str]:
    """Site path of each article page → its searchable text."""
    return {
        path.parent.relative_to(site.root).as_posix() + "/": indexed_text(site.page(str(path.relative_to(site.root))))
        for path in site.article_files()
    }


def fragments(site: BuiltSite, bundles: str = "pagefind*") -> dict[str, dict]:
    """Pagefind's record of each indexed page (its gzip-compressed fragment files) in every part, by URL."""
    records = {}
    for path in site.root.glob(f"{bundles}/fragment/*"):
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        record = json.loads(data)
        records[record["url"]] = record
    return records


def search(page, base: str, query: str = "", **filters: str) -> list[dict[str, str]]:
    """Open the search page for ``query`` (through the address, as a shared link would) and read the result cards."""
    params = "&".join(f"{key}={value}" for key, value in {"q": query, **filters}.items() if value)
    page.goto(f"{base}search/?{params}", wait_until="load")
    return results(page)


def results(page) -> list[dict[str, str]]:
    """The result cards once the search has finished (the list is no longer busy and the status has answered).

    The page's policy forbids evaluating strings, so the waits are selectors, not ``wait_for_function``.
    """
    page.locator('[data-search-results][aria-busy="false"]').wait_for(state="attached")
    page.locator("[data-search-status]:not(:empty)").wait_for(state="attached")
    return page.eval_on_selector_all(
        "[data-search-results] .story-card",
        """cards => cards.map(card => ({
            href: card.querySelector('.story-card-title a').href,
            title: card.querySelector('.story-card-title').textContent.trim(),
            section: card.querySelector('.kicker')?.textContent.trim() || '',
            meta: card.querySelector('.story-card-meta').textContent.trim(),
        }))""",
    )


@pytest.fixture(scope="module")
def searchable(sub_path_site) -> tuple[str, BuiltSite, dict[str, str]]:
    base, site = sub_path_site
    return base, site, article_texts(site)


# --- What is indexed (the bundle, read directly) ---------------------------------


def test_the_published_site_has_an_index_of_every_published_article(searchable) -> None:
    _, site, texts = searchable
    records = fragments(site)
    # Pagefind records paths in the site; the engine adds the sub-path it was loaded from.
    assert {"/" + path for path in texts} == set(records), "indexed pages differ from the article pages"
    for path in texts:
        page = site.page(path)
        record = records["/" + path]
        assert record["meta"]["title"] == page.select_one("h1.headline").get_text(strip=True)
        assert record["meta"]["dek"] == page.select_one(".story-header .dek").get_text(strip=True)
        assert record["meta"]["section"] == page.select_one(".story-header .kicker").get_text(strip=True)
        assert record["meta"]["date"] == page.select_one(".byline time")["datetime"]
        authors = [link.get_text(strip=True) for link in page.select(".byline a[rel~=author]")]
        assert record["filters"]["author"] == authors
        assert record["filters"]["year"] == [record["meta"]["date"][:4]]
        hero = page.select_one(".hero img")
        assert ("hero" in record["meta"]) == (hero is not None), path
    assert not (site.root / "pagefind" / "pagefind-ui.js").exists(), "Pagefind's unused default UI was published"


def test_only_the_headline_dek_body_and_takeaways_are_indexed(searchable) -> None:
    _, site, texts = searchable
    records = fragments(site)
    checked_takeaways = 0
    for path in texts:
        page = site.page(path)
        content = records["/" + path]["content"].lower()
        for takeaway in page.select(".key-takeaways li"):
            assert " ".join(takeaway.get_text(" ").split()).lower()[:40] in " ".join(content.split())
            checked_takeaways += 1
        around = words(" ".join(element.get_text(" ") for element in page.select(AROUND_THE_STORY)))
        story = words(indexed_text(page))
        leaked = {word for word in around - story if re.search(rf"\b{word}\b", content)}
        assert not leaked, f"{path}: words from around the story are in its index record: {sorted(leaked)[:10]}"
    assert checked_takeaways, "no bundled article has Key Takeaways to check"


# --- A reader searching (Chromium) -------------------------------------------------


@pytest.mark.browser
def test_a_word_only_one_article_has_finds_that_article_first(searchable, browser) -> None:
    base, _, texts = searchable
    everything = " ".join(texts.values())
    chosen = None
    for path, text in sorted(texts.items()):
        unique = sorted((w for w in words(text) if len(w) >= 8 and everything.count(w) == text.count(w)), key=len)
        if unique:
            chosen = (path, unique[-1])
            break
    assert chosen, "no article has a word of its own"
    path, word = chosen
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.add_init_script(RECORD_POLICY_VIOLATIONS)
    found = search(page, base, word)
    assert found, f"nothing found for {word!r}"
    assert found[0]["href"] == base + path, f"{word!r}: first result {found[0]['href']}, expected {base + path}"
    assert page.input_value("#search-query") == word, "?q= did not fill the search field"
    assert page.locator("[data-search-status]").get_attribute("role") == "status"
    assert page.evaluate("window.cspViolations") == []
    strangers = [url for url in requests if urlsplit(url).hostname != "127.0.0.1"]
    assert not strangers, f"requests left 127.0.0.1: {strangers}"
    assert any("/atlas-news/pagefind/" in url for url in requests), "the engine was not loaded from the sub-path"
    context.close()


def could_match(word: str, indexed: set[str]) -> bool:
    """Whether Pagefind could answer ``word`` with an indexed word.

    Pagefind indexes word stems, and a term it does not know is searched as
    the longest prefix of it that it does know ("newsletter" finds "new").
    A stem is the start of its word, at most a few letters shorter.
    """
    for known in indexed:
        shortest_stem = min(len(known), max(3, len(known) - 3))
        if any(word.startswith(known[:length]) for length in range(shortest_stem, len(known) + 1)):
            return True
    return False


@pytest.mark.browser
def test_words_only_around_the_story_find_nothing(searchable, browser) -> None:
    base, site, texts = searchable
    indexed = set()
    for record in fragments(site).values():
        indexed |= set(re.findall(r"[a-z0-9]+", record["content"].lower()))
    some_article = site.page(next(iter(texts)))
    around = words(" ".join(element.get_text(" ") for element in some_article.select(AROUND_THE_STORY)))
    # Words of the sign-up box, the masthead, the footer or the byline that no story's text could match.
    outsiders = sorted(word for word in around if not could_match(word, indexed))
    assert outsiders, "every word around the story could also match a story"
    context = browser.new_context()
    page = context.new_page()
    for word in outsiders:
        assert search(page, base, word) == [], f"{word!r} is only around the stories but found results"
        assert page.inner_text("[data-search-status]").startswith("No stories")
    print(f"searched for {outsiders}: no results")
    context.close()


@pytest.mark.browser
def test_filters_narrow_the_results_and_the_back_button_returns(searchable, browser) -> None:
    base, _, texts = searchable
    context = browser.new_context()
    page = context.new_page()
    # A word in stories of several sections.
    candidates = sorted(set.intersection(*(words(text) for text in list(texts.values())[:2])), key=len, reverse=True)
    for word in candidates:
        everything = search(page, base, word)
        if len({card["section"] for card in everything}) >= 2:
            break
    else:
        pytest.fail("no word is shared by stories of two sections")
    section = everything[0]["section"]
    page.select_option("#search-filter-section", label=section)
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("section") == [section])
    narrowed = results(page)
    assert narrowed and all(card["section"] == section for card in narrowed)
    assert len(narrowed) < len(everything)
    page.go_back()
    page.wait_for_url(lambda url: "section" not in parse_qs(urlsplit(url).query))
    expect(page.locator("[data-search-results] > li")).to_have_count(len(everything))
    assert page.input_value("#search-filter-section") == ""
    assert page.input_value("#search-query") == word
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_page_with_results_passes_axe_and_fits_a_phone(searchable, browser, scheme: str) -> None:
    base, _, texts = searchable
    word = sorted(words(next(iter(texts.values()))), key=len)[-1]
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)
    assert search(page, base, word)
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, f"the search page scrolls sideways at 360px ({scroll} > {client})"
    violations = Axe().run(page).response["violations"]
    assert not violations, [f"{v['id']}: {v['help']} at {v['nodes'][0]['target']}" for v in violations]
    context.close()


@pytest.mark.browser
def test_keyboard_alone_searches_and_narrows(searchable, browser) -> None:
    base, _, texts = searchable
    word = sorted(words(next(iter(texts.values()))), key=len)[-1]
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "search/", wait_until="load")
    page.wait_for_selector("[data-search-filters]:not([disabled])", state="attached")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-query":
            break
    else:
        pytest.fail("Tab never reached the search field")
    page.keyboard.type(word)
    page.keyboard.press("Enter")
    found = results(page)
    assert found
    page.keyboard.press("Tab")  # the button
    page.keyboard.press("Tab")  # the section filter
    assert page.evaluate("document.activeElement.id") == "search-filter-section"
    page.keyboard.press("ArrowDown")
    page.wait_for_url(lambda url: "section" in parse_qs(urlsplit(url).query))
    assert page.input_value("#search-filter-section") != ""
    context.close()


@pytest.mark.browser
def test_without_javascript_the_page_says_so_and_links_to_the_archive(searchable, browser) -> None:
    base, _, _ = searchable
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "search/", wait_until="load")
    assert "needs JavaScript" in page.inner_text("[data-search-notice]")
    assert not page.is_visible("[data-search-form]"), "a form that cannot work without JavaScript is shown"
    assert page.locator(".search-browse a", has_text="Every story").get_attribute("href") == base + "archive/"
    context.close()


def test_every_page_links_to_search_from_the_masthead(searchable) -> None:
    base, site, _ = searchable
    for path in site.html_files()[:40]:
        link = site.page(str(path.relative_to(site.root))).select_one(".masthead a.search-link")
        assert link is not None and link["href"] == base + "search/", path


def test_a_development_build_says_how_to_build_the_index(site: BuiltSite) -> None:
    assert not (site.root / "pagefind").exists(), "development builds index only when asked"
    missing = site.page("search/").select_one("[data-search]")["data-missing"]
    assert "invoke build --search" in missing


@pytest.mark.browser
def test_the_development_search_page_shows_how_to_build_the_index(served_site: ServedSite, browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(served_site.url("search/"), wait_until="load")
    expect(page.locator("[data-search-notice]")).to_contain_text("invoke build --search")
    context.close()


# --- Ranking, filters and the fallback on a small site of its own ---------------------


class StandInEngine(http.server.BaseHTTPRequestHandler):
    """A search engine on 127.0.0.1 that records what it was asked."""

    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        StandInEngine.asked.append(self.path)
        body = b"<!doctype html><title>Results</title><p>Results</p>"
        answer_html(self, body)


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory):
    """Three articles about quokkas, one with the word in its headline only; a fallback engine configured."""
    folder = tmp_path_factory.mktemp("small")
    content = new_content_dir(folder)
    mentions = "The quokka survey counted every quokka twice. A quokka census is hard. Quokka numbers vary.\n"
    stories = [
        ("island-census", "Quokka Census Finds Recovery On Rottnest", "2026", "Climate", "Mara Lindqvist"),
        ("ferry-prices", "Ferry Prices Rise Again", "2025", "Trade", "Priya Raman"),
        ("tourism-board", "Tourism Board Plans Quiet Season", "2024", "Trade", "Tomás Okafor"),
    ]
    for slug, title, year, section, author in stories:
        body = "Rangers walked the island at dawn.\n" if "Quokka" in title else mentions
        write_article(content, slug, body, Title=title, Date=f"{year}-06-01 09:00", Category=section, Authors=author)
    engine = ServedSite(None, StandInEngine)
    host = ServedSite(folder / "host")
    fallback = json.dumps(f"{engine.origin}/?sites={{host}}&q=")
    site = built(
        folder / "host",
        content=content,
        production=True,
        env={"SITEURL": host.origin, "SOURCE_DATE_EPOCH": "1795000000"},
        extra=("--setting", f"SEARCH_FALLBACK_URL={fallback}"),
    )
    yield host, engine, site
    host.close()
    engine.close()


def test_the_index_is_written_in_parts_newest_stories_first(small_site) -> None:
    _, _, site = small_site
    page = site.page("search/").select_one("[data-search]")
    assert page["data-more-bundles"].split() == [page["data-site-root"] + "pagefind-2/"]
    assert set(fragments(site, "pagefind")) == {"/2026/06/island-census/", "/2025/06/ferry-prices/"}
    assert set(fragments(site, "pagefind-2")) == {"/2024/06/tourism-board/"}


@pytest.mark.browser
def test_a_headline_word_outranks_bodies_that_repeat_it(small_site, browser) -> None:
    host, _, _ = small_site
    context = browser.new_context()
    page = context.new_page()
    found = search(page, host.url(""), "quokka")
    assert found[0]["title"] == "Quokka Census Finds Recovery On Rottnest"
    assert len(found) == 3
    context.close()


@pytest.mark.browser
def test_year_author_and_section_filters(small_site, browser) -> None:
    host, _, _ = small_site
    context = browser.new_context()
    page = context.new_page()
    assert [card["title"] for card in search(page, host.url(""), "quokka", year="2025")] == ["Ferry Prices Rise Again"]
    by_author = search(page, host.url(""), "quokka", author="Tomás Okafor")
    assert [card["title"] for card in by_author] == ["Tourism Board Plans Quiet Season"]
    trade = search(page, host.url(""), "", section="Trade")
    # Without words, a filter lists its stories newest first.
    assert [card["title"] for card in trade] == ["Ferry Prices Rise Again", "Tourism Board Plans Quiet Season"]
    years = page.eval_on_selector_all("#search-filter-year option", "options => options.map(o => o.value)")
    assert years == ["", "2026", "2025", "2024"]
    context.close()


def test_the_fallback_form_is_the_engines_form(small_site) -> None:
    host, engine, site = small_site
    page = site.page("search/")
    form = page.select_one("form[data-search-form]")
    assert form["action"] == engine.origin + "/" and form["method"] == "get"
    assert not form.has_attr("hidden")
    assert page.select_one("#search-query")["name"] == "q"
    hidden = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    assert hidden == {"sites": urlsplit(host.origin).netloc}
    assert form.select_one("fieldset[data-search-filters]").has_attr("disabled"), "filters would reach the engine"
    policy = page.head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    form_action = next(part.split()[1:] for part in policy.split(";") if part.split()[0] == "form-action")
    assert engine.origin in form_action
    assert "'wasm-unsafe-eval'" in policy
    assert (
        "'wasm-unsafe-eval'"
        not in site.page("").head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    ), "only the search page may compile WebAssembly"


@pytest.mark.browser
def test_without_javascript_the_form_asks_the_fallback_engine(small_site, browser) -> None:
    host, _, _ = small_site
    StandInEngine.asked.clear()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(host.url("search/"), wait_until="load")
    assert "Without JavaScript" in page.inner_text("[data-search-notice]")
    page.fill("#search-query", "quokka census")
    with page.expect_navigation():
        page.press("#search-query", "Enter")
    searches = [path for path in StandInEngine.asked if path != "/favicon.ico"]
    assert len(searches) == 1, searches
    asked = parse_qs(urlsplit(searches[0]).query)
    assert asked == {"sites": [urlsplit(host.origin).netloc], "q": ["quokka census"]}
    context.close()


def test_parts_indexed_one_at_a_time_are_the_same_bytes(small_site, tmp_path) -> None:
    host, _, site = small_site
    env = {"SITEURL": host.origin, "SOURCE_DATE_EPOCH": "1795000000"}
    indexes = []
    for at_once in ("null", "1"):
        extra = ("--setting", "SEARCH_INDEX_PARTS=3", "--setting", f"SEARCH_INDEX_AT_ONCE={at_once}")
        parts = built(tmp_path / at_once, content=site.root.parent / "content", production=True, env=env, extra=extra)
        digests = tree_digest(parts.root)
        indexes.append({name: digest for name, digest in digests.items() if name.startswith("pagefind")})
    assert {name.partition("/")[0] for name in indexes[0]} == {"pagefind", "pagefind-2", "pagefind-3"}
    assert indexes[0] == indexes[1]


def test_a_rebuild_indexes_only_the_parts_whose_stories_changed(small_site, tmp_path) -> None:
    host, _, site = small_site
    content = tmp_path / "content"
    shutil.copytree(site.root.parent / "content", content)
    cache = tmp_path / "cache"
    env = {"SITEURL": host.origin, "SOURCE_DATE_EPOCH": "1795000000"}
    options = {"content": content, "production": True, "env": env}
    extra = ("--timings", "--setting", f"BUILD_CACHE_PATH={json.dumps(str(cache))}")

    def build_and_count_reused() -> tuple[BuiltSite, int]:
        again = built(tmp_path / "site", cache=True, extra=extra, **options)
        timings = json.loads(next(line for line in again.log.splitlines() if line.startswith("timings: "))[9:])
        return again, timings["search_parts_reused"]

    def index_of(folder: Path) -> dict[str, str]:
        return {name: digest for name, digest in tree_digest(folder).items() if name.startswith("pagefind")}

    _, reused = build_and_count_reused()
    assert reused == 0
    second, reused = build_and_count_reused()
    assert reused == 2, "nothing changed, yet the index was made again"
    unchanged = index_of(second.root)
    assert unchanged == index_of(site.root)
    story = content / "articles" / "tourism-board.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nA wallaby was seen near the jetty.\n", encoding="utf-8")
    third, reused = build_and_count_reused()
    assert reused == 1, "only the part with the edited story is indexed again"
    cold = built(tmp_path / "cold", **options)
    assert index_of(third.root) == index_of(cold.root)
    assert index_of(third.root) != unchanged
