"""Jinja with the cheaper bookkeeping renders what Jinja renders on its own."""

from __future__ import annotations

from typing import Any

from fast_build import templates
from fast_build.writer import keep_templates_compiled
from jinja2 import DictLoader, Environment
from jinja2.runtime import Context

THEME = {
    "page.html": (
        '{% from "macros.html" import card %}{% import "macros.html" as with_context with context %}'
        "<h1>{{ title }}</h1>{% for story in stories %}{% set position = loop.index %}"
        '{% include "partials/card.html" %}{{ card(story) }}{% endfor %}'
        "{{ with_context.shout() }}{{ site_name }}|{{ greeting }}|{{ edition }}"
    ),
    "partials/card.html": "<p>{{ position }}. {{ story.title }} ({{ site_name }}, {{ edition }})</p>",
    "macros.html": (
        "{% macro card(story) %}<article>{{ story.title|upper }} {{ greeting }}</article>{% endmacro %}"
        "{% macro shout() %}{{ title|upper }}!{% endmacro %}"
    ),
}
CONTEXT: dict[str, Any] = {
    "title": "Front page",
    "stories": [{"title": "Ports <strike>"}, {"title": "Rates & prices"}],
    "edition": "from the page",
}


def environment(quick: bool) -> Environment:
    options: dict[str, Any] = {"autoescape": True, "auto_reload": False}
    if quick:
        templates.template_cache_size(options)
    env = Environment(loader=DictLoader(THEME), **options)
    env.globals.update(site_name="Atlas News", greeting="Hello", edition="from the globals")
    if quick:
        templates.install(env)
    return env


def test_pages_render_as_with_jinjas_own_context_and_cache() -> None:
    plain, quick = environment(False), environment(True)
    assert quick.context_class is templates.QuickContext and isinstance(quick.cache, dict)
    assert plain.context_class is Context
    for _ in range(2):  # the second render takes every template from the cache
        page = plain.get_template("page.html").render(CONTEXT)
        assert quick.get_template("page.html").render(CONTEXT) == page
    assert "1. Ports &lt;strike&gt; (Atlas News, from the page)" in page and "FRONT PAGE!" in page


def test_the_globals_named_are_those_jinja_names() -> None:
    env = environment(True)
    template = env.from_string("{{ x }}", globals={"edition": "own", "extra": 1})
    parts = (env, {"x": 1}, template.name, template.blocks)
    jinjas = Context(*parts, template.globals).globals_keys
    assert templates.QuickContext(*parts, template.globals).globals_keys == jinjas == {*env.globals, "extra"}
    assert templates.QuickContext(*parts, {"a": 1}).globals_keys == {"a"}
    assert templates.QuickContext(*parts).globals_keys == set()


def test_a_context_class_of_ones_own_is_kept() -> None:
    class Mine(Context):
        pass

    env = Environment(loader=DictLoader(THEME))
    env.context_class = Mine
    templates.install(env)
    assert env.context_class is Mine


def test_the_build_keeps_every_template_it_loaded_unless_told_otherwise() -> None:
    settings: dict[str, Any] = {"JINJA_ENVIRONMENT": {"autoescape": True}, "BUILD_INLINE_PARTIALS": True}
    keep_templates_compiled(settings)
    assert settings["JINJA_ENVIRONMENT"]["cache_size"] == templates.UNLIMITED
    settings = {"JINJA_ENVIRONMENT": {"cache_size": 50}, "BUILD_INLINE_PARTIALS": True}
    keep_templates_compiled(settings)
    assert settings["JINJA_ENVIRONMENT"]["cache_size"] == 50


# Every way a theme uses a partial: those InlinePartials compiles in, and those it must leave to Jinja.
PARTIALS = {
    "page.html": (
        '{% from "partials/cards.html" import card with context %}'
        '{% from "partials/bylines.html" import byline with context %}'
        "{% set position = 0 %}<h1>{{ title }}</h1>"
        "{% for story in stories %}{% set position = loop.index %}"
        '{% include "partials/card.html" %}{{ card(story) }}{% endfor %}'
        "[{{ position }}|{{ note }}]"
        '{% include "partials/sets.html" with context %}[{{ note }}]'
        "{{ byline() }}{{ helper is defined }}"
        '{% include "partials/with_block.html" %}'
        '{% include partial_name %}{% include "partials/missing.html" ignore missing %}'
        '{% from "partials/talks.html" import greet with context %}{{ greet() }}'
        '{% from "partials/cards.html" import card as aliased with context %}{{ aliased(stories[0]) }}'
        '{% from "partials/cards.html" import card %}{{ card(stories[1]) }}'
        '{% with node=tree %}{% include "partials/tree.html" %}{% endwith %}'
        '{% for author in ["Priya Raman"] %}{% from "partials/sign.html" import sign, signed with context %}'
        "{{ sign() }}{{ signed(title) }}{% endfor %}{{ sign is defined }}{{ author }}"
        '{% from "partials/loner.html" import loner %}{{ loner() }}'
        '{% from "partials/small.html" import small without context %}{{ small(note) }}'
    ),
    "partials/loner.html": "{% macro loner() %}[{{ title }}]{% endmacro %}",
    "partials/sign.html": (
        "{% macro sign() %}— {{ author }}, {{ site_name }}{% endmacro %}\n"
        "{% macro signed(text) %}{{ text }} {{ sign() }}{% endmacro %}"
    ),
    "partials/card.html": "<p>{{ position }}. {{ story.title }} ({{ site_name }})</p>",
    "partials/sets.html": '{% set note = "set in the partial" %}<i>{{ note }}</i>',
    "partials/cards.html": (
        '{% from "partials/small.html" import small %}'
        "{% macro card(story) %}<article>{{ story.title|upper }} {{ small(title) }}</article>{% endmacro %}"
    ),
    "partials/bylines.html": "{% macro byline() %}by {{ author }}{% endmacro %}{% macro helper() %}{% endmacro %}",
    "partials/small.html": "{% macro small(text) %}<small>{{ text }}</small>{% endmacro %}",
    "partials/talks.html": "Text that an import drops.{% macro greet() %}Hello, {{ author }}{% endmacro %}",
    "partials/with_block.html": "{% block aside %}<aside>{{ title }}</aside>{% endblock %}",
    "partials/dynamic.html": "<b>{{ title }}</b>",
    "partials/tree.html": (
        "<li>{{ node.name }}{% if node.children %}<ul>{% for node in node.children %}"
        '{% include "partials/tree.html" %}{% endfor %}</ul>{% endif %}</li>'
    ),
}
PARTIALS_CONTEXT: dict[str, Any] = {
    "title": "Front page",
    "author": "Mara <Lindqvist>",
    "note": "the page's note",
    "partial_name": "partials/dynamic.html",
    "stories": [{"title": "Ports <strike>"}, {"title": "Rates & prices"}],
    "tree": {"name": "World", "children": [{"name": "Trade", "children": [{"name": "Tariffs"}]}]},
}


def partials_environment(inline: bool, theme: dict[str, str] = PARTIALS, cache: Any = None) -> Environment:
    extensions = [templates.InlinePartials] if inline else []
    options: dict[str, Any] = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "auto_reload": False}
    env = Environment(loader=DictLoader(theme), extensions=extensions, bytecode_cache=cache, **options)
    env.globals["site_name"] = "Atlas News"
    return env


def test_partials_compiled_in_render_what_jinja_renders() -> None:
    page = partials_environment(False).get_template("page.html").render(PARTIALS_CONTEXT)
    assert partials_environment(True).get_template("page.html").render(PARTIALS_CONTEXT) == page
    # A partial reads the loop's names; what the loop or a partial sets stays in it.
    shown = ("2. Rates &amp; prices (Atlas News)", "[0|the page&#39;s note]", "<i>set in the partial</i>[the page")
    assert all(part in page for part in shown)
    assert "by Mara &lt;Lindqvist&gt;False" in page  # a macro the page did not import is not one of its names
    assert "[]<small>the page&#39;s note</small>" in page  # imported without context: no page names
    assert "Hello, Mara &lt;Lindqvist&gt;" in page and "Text that an import drops." not in page
    assert "<li>World<ul><li>Trade<ul><li>Tariffs</li></ul></li></ul></li>" in page
    assert "— Priya Raman, Atlas NewsFront page — Priya Raman, Atlas NewsFalseMara &lt;Lindqvist&gt;" in page


def test_only_what_can_be_compiled_in_is() -> None:
    env = partials_environment(True)
    code = env.compile(PARTIALS["page.html"], "page.html", raw=True)
    used_at_render = {name for name in PARTIALS if f"'{name}'" in code} - {"page.html"}
    # Blocks, a partial that writes text at its top level, one that defines or imports more than is imported
    # from it, an import under another name or without context, and the tree's own include of itself.
    expected = {"partials/with_block.html", "partials/talks.html", "partials/cards.html", "partials/tree.html"}
    expected |= {"partials/bylines.html", "partials/loner.html"}  # and an import without context reading a name
    assert used_at_render == expected
    assert "partials/dynamic.html" not in code and "partial_name" in code  # a name known at render time
    compiled_in = {"partials/card.html", "partials/sets.html", "partials/sign.html", "partials/small.html"}
    assert compiled_in <= templates.InlinePartials.inlined


def test_a_template_is_compiled_again_when_a_partial_compiled_into_it_changes() -> None:
    theme = dict(PARTIALS)
    cache = templates.CompiledInProcess("a test of its own")
    first = partials_environment(True, theme, cache).get_template("page.html").render(PARTIALS_CONTEXT)
    again = partials_environment(True, theme, cache)
    compiled = []
    original_compile = again.compile
    again.compile = lambda *args, **kwargs: compiled.append(args[1]) or original_compile(*args, **kwargs)
    assert again.get_template("page.html").render(PARTIALS_CONTEXT) == first
    assert compiled == [], "another environment with the same options takes the compiled template"

    theme["partials/card.html"] = theme["partials/card.html"].replace("<p>", '<p class="edited">')
    edited = partials_environment(True, theme, cache).get_template("page.html").render(PARTIALS_CONTEXT)
    assert '<p class="edited">2. Rates &amp; prices' in edited
    assert edited == partials_environment(False, theme).get_template("page.html").render(PARTIALS_CONTEXT)
