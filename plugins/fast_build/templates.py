"""Jinja's own bookkeeping made cheaper, for a theme of many small partials.

A page of this theme renders a few dozen partials and imports, and Jinja
makes a new context for each. Two things it does for every one of them run in
Python where C would do:

* it lists the names of the template's globals, which Jinja keeps as a
  ``ChainMap`` of the template's own and the environment's; iterating a
  ``ChainMap`` builds a dictionary in Python. ``QuickContext`` takes the same
  set as the union of the maps' keys, in one call (``install``);
* it finds each included template in a least-recently-used cache of 400 that
  moves the template to the end of a queue on every look-up, comparing it
  with the entries before it. A build loads the theme once and keeps it
  (``auto_reload`` is off), so ``template_cache_size`` gives an unlimited
  cache: a plain dictionary.

And, with ``BUILD_INLINE_PARTIALS`` (the default), ``InlinePartials``
compiles each partial into the templates that include it or import its
macros with context, instead of Jinja making a context of its own for it
(a copy of every name the page holds) on every page. What a page renders is
the same either way; only Jinja's work is less.
"""

from __future__ import annotations

import itertools
from collections import ChainMap
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from typing import Any, ClassVar

from jinja2 import FileSystemBytecodeCache, TemplateNotFound, meta, nodes
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import Context

# Jinja's ``cache_size`` for no limit: its cache is then a plain dictionary.
UNLIMITED = -1


class QuickContext(Context):
    """Jinja's context, listing the template globals' names in one call instead of through a ``ChainMap``."""

    def __init__(
        self,
        environment: Any,
        parent: dict[str, Any],
        name: str | None,
        blocks: dict[str, Callable[[Context], Iterator[str]]],
        globals: MutableMapping[str, Any] | None = None,
    ) -> None:
        super().__init__(environment, parent, name, blocks, None)
        if globals is not None:
            self.globals_keys = set().union(*globals.maps) if isinstance(globals, ChainMap) else set(globals)


def install(environment: Any) -> None:
    """Make ``environment`` create ``QuickContext``s, unless it was given a context class of its own."""
    if environment.context_class is Context:
        environment.context_class = QuickContext


def template_cache_size(jinja_environment: dict[str, Any]) -> None:
    """Give the Jinja options an unlimited template cache, unless they set a size of their own."""
    jinja_environment.setdefault("cache_size", UNLIMITED)


# ``{% include "name" %}``, ``{% from "name" import a, b with context %}`` and the same import without context.
INCLUDE, FROM, FROM_ALONE = "include", "from", "from alone"
WITH_CONTEXT = [("name", "with"), ("name", "context")]
WITHOUT_CONTEXT = [("name", "without"), ("name", "context")]


class InlinePartials(Extension):
    """Compile partials into the templates that use them, instead of rendering each through a context of its own.

    Jinja renders ``{% include "partials/x.html" %}`` by copying every name
    the page holds into a new context, and ``{% from "partials/x.html" import
    m with context %}`` by doing the same and running the partial's top
    level, on every page. An article page of this theme does that about
    twenty-five times.
    This extension puts the partial's own tokens in place of the statement
    when the template is compiled, so that they read the page's names where
    they stand:

    * an include of a literal name, plain or ``with context``, becomes the
      partial inside ``{% with %}…{% endwith %}``, which keeps what the
      partial sets to itself, as an include does; unless the partial extends
      a template or has blocks;
    * an import with context becomes the partial's macros, when its top level
      holds nothing but macros (it writes nothing, sets nothing and imports
      nothing) and the statement imports every one of them, each under its
      own name. The macros then read the template's names when they are
      called, not a copy made at the import. An import without context
      likewise, when its macros read no name but their own arguments (Jinja
      would make that module once, but looks it up at every import, which a
      macro that imports inside itself makes at every call).

    Anything else (a name worked out at render time, ``ignore missing``, an
    include without context, a partial that cannot be loaded) is left to Jinja.
    The partial's tokens keep their own line numbers. ``compiled_in`` lists
    the partials a template takes in, so that the compiled template kept in
    the build cache is compiled again when one of them changes
    (``CompiledInFolder``).
    """

    # The partials this process has compiled into a template (or loaded a template that names them), by name:
    # none of them need be compiled on its own ahead of rendering (one rendered on its own is compiled then).
    inlined: ClassVar[set[str]] = set()

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        # Whether each partial, used one way with some names, can be compiled in: parsed once per environment.
        self._fits: dict[tuple[str, str, tuple[str, ...]], bool] = {}

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        return self._inlined(stream, (stream.name,))

    def _inlined(self, tokens: Iterable[Token], within: tuple[str | None, ...]) -> Iterator[Token]:
        for piece in _statements(tokens):
            replaced = self._replacement(piece, within)
            yield from piece if replaced is None else replaced

    def _replacement(self, statement: list[Token], within: tuple[str | None, ...]) -> Iterator[Token] | None:
        used = _partial_used(statement)
        if used is None or used[1] in within:
            return None
        kind, name, imported = used
        try:
            source, filename, _ = self.environment.loader.get_source(self.environment, name)
        except TemplateNotFound:
            return None
        fits = self._fits.get(used)
        if fits is None:
            tree = self.environment.parse(source, name, filename)  # which preprocesses the source itself
            if kind == INCLUDE:
                fits = not any(tree.find_all((nodes.Extends, nodes.Block)))
            else:
                # Without context, the macros see the environment's globals only: compiled in, they would
                # see the page's names too, which matters only to macros that read a name of their own.
                fits = _only_macros(tree, imported) and (kind == FROM or not meta.find_undeclared_variables(tree))
            self._fits[used] = fits
        if not fits:
            return None
        self.inlined.add(name)
        source = self.environment.preprocess(source, name, filename)
        inner = self._inlined(self.environment.lexer.tokenize(source, name, filename), (*within, name))
        line = statement[0].lineno
        if kind != INCLUDE:
            return inner
        return itertools.chain(_statement(line, "with"), inner, _statement(line, "endwith"))

    def compiled_in(self, name: str, source: str) -> list[tuple[str, str]]:
        """The name and source of every partial ``source`` names in an include or an import, at any depth."""
        found: dict[str, str] = {}
        pending = [(name, source)]
        while pending:
            parent, text = pending.pop()
            for partial in self._named_in(parent, text):
                if partial in found or partial == name:
                    continue
                try:
                    found[partial] = self.environment.loader.get_source(self.environment, partial)[0]
                except TemplateNotFound:
                    continue
                pending.append((partial, found[partial]))
        return sorted(found.items())

    def _named_in(self, name: str, source: str) -> tuple[str, ...]:
        # Looked up by the text itself, for every environment of the process with the same lexer: Pelican makes
        # several environments per build, and each asks for every template's partials when it loads it.
        key = (self.environment.lexer, source)
        named = _NAMED_IN.get(key)
        if named is None:
            tokens = self.environment.lexer.tokenize(self.environment.preprocess(source, name), name)
            used = (_partial_used(piece) for piece in _statements(tokens))
            named = _NAMED_IN[key] = tuple(partial[1] for partial in used if partial is not None)
        return named


# The partials each template's text names, by lexer and text (``InlinePartials.compiled_in``).
_NAMED_IN: dict[tuple[Any, str], tuple[str, ...]] = {}


def _statements(tokens: Iterable[Token]) -> Iterator[list[Token]]:
    """The tokens in pieces: each block statement (``{% … %}``) whole, every other token on its own."""
    statement: list[Token] = []
    for token in tokens:
        if statement or token.type == "block_begin":
            statement.append(token)
            if token.type == "block_end":
                yield statement
                statement = []
        else:
            yield [token]
    if statement:
        yield statement


def _partial_used(statement: list[Token]) -> tuple[str, str, tuple[str, ...]] | None:
    """``(how, the partial's name, the names imported)`` of a statement that uses a partial named in it.

    ``how`` is ``INCLUDE``, ``FROM`` (an import with context) or ``FROM_ALONE`` (without).
    """
    words = [(token.type, token.value) for token in statement[1:-1]]
    if len(words) < 2 or words[0][0] != "name" or words[1][0] != "string":
        return None
    keyword, name, rest = words[0][1], words[1][1], words[2:]
    if keyword == INCLUDE and rest in ([], WITH_CONTEXT):
        return INCLUDE, name, ()
    if keyword != FROM or rest[:1] != [("name", "import")]:
        return None
    context = rest[-2:]
    kind = FROM if context == WITH_CONTEXT else FROM_ALONE
    listed = rest[1:-2] if context in (WITH_CONTEXT, WITHOUT_CONTEXT) else rest[1:]
    names = tuple(value for token_type, value in listed[::2] if token_type == "name")
    separators_only = all(token_type == "comma" for token_type, _ in listed[1::2])
    if not names or len(names) != len(listed[::2]) or not separators_only or "as" in names:
        return None
    return kind, name, names


def _only_macros(tree: nodes.Template, imported: tuple[str, ...]) -> bool:
    """Whether a partial's top level defines macros and nothing else, and exactly the names in ``imported``.

    Compiled in, every name it defines stands in the template that imports it: a name not imported (another
    macro, or one the partial imports itself) could hide one the template reads.
    """
    macros = set()
    for node in tree.body:
        if isinstance(node, nodes.Macro):
            macros.add(node.name)
        elif not isinstance(node, nodes.Output) or any(
            not isinstance(item, nodes.TemplateData) or item.data for item in node.nodes
        ):
            return False
    return macros == set(imported)


def _statement(line: int, keyword: str) -> Iterator[Token]:
    yield Token(line, "block_begin", "{%")
    yield Token(line, "name", keyword)
    yield Token(line, "block_end", "%}")


def inliner_of(environment: Any) -> InlinePartials | None:
    """The ``InlinePartials`` extension of ``environment``, if it has one."""
    return next((ext for ext in environment.extensions.values() if isinstance(ext, InlinePartials)), None)


class _WithPartials(BytecodeCache):
    """A bytecode cache where a compiled template is also stale when a partial compiled into it changed."""

    def get_bucket(self, environment: Any, name: str, filename: str | None, source: str) -> Bucket:
        inliner = inliner_of(environment)
        if inliner is not None:
            partials = inliner.compiled_in(name, source)
            source += "".join(f"\0{partial}\0{text}" for partial, text in partials)
            # Loaded compiled, the template was not compiled in this process: note what it takes in all the same.
            inliner.inlined.update(partial for partial, _ in partials)
        return super().get_bucket(environment, name, filename, source)


class CompiledInFolder(_WithPartials, FileSystemBytecodeCache):
    """Compiled templates kept in a folder of the build cache, for the next build."""


class CompiledInProcess(_WithPartials):
    """Compiled templates kept in this process for every environment made with the same ``options``.

    Pelican makes a Jinja environment for each of its generators, and each
    compiles the theme again; a process that builds again (``invoke
    livereload``, the tests) would compile it again at every build.
    """

    _compiled: ClassVar[dict[tuple[str, str], bytes]] = {}

    def __init__(self, options: str) -> None:
        self.options = options

    def load_bytecode(self, bucket: Bucket) -> None:
        compiled = self._compiled.get((self.options, bucket.key))
        if compiled is not None:
            bucket.bytecode_from_string(compiled)  # which drops it if its source has changed since

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[(self.options, bucket.key)] = bucket.bytecode_to_string()
