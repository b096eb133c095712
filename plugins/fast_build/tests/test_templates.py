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
    settings: dict[str, Any] = {"JINJA_ENVIRONMENT": {"autoescape": True}}
    keep_templates_compiled(settings)
    assert settings["JINJA_ENVIRONMENT"]["cache_size"] == templates.UNLIMITED
    settings = {"JINJA_ENVIRONMENT": {"cache_size": 50}}
    keep_templates_compiled(settings)
    assert settings["JINJA_ENVIRONMENT"]["cache_size"] == 50
