"""Pages the last build wrote that would come out the same are taken over instead of rendered again.

While a page renders, the template's reads are recorded: every name it looks
up in its context, and every attribute it reads of an article or a page
(Jinja routes ``x.y``, ``x["y"]`` and filters such as ``selectattr`` through
the environment's ``getattr`` and ``getitem``, which are wrapped here). The
page's fingerprint is a digest of the values of those reads. The next build
makes the same reads again, on its own articles, before rendering: if every
value is the same, the template would take the same path through the same
data and write the same bytes, so the file the last build wrote is linked (or
copied) into the new site instead.

Values are digested by content: articles and pages by their identity (their
attributes count only where a template read them), plain data (such as an
article's JSON-LD: dicts, lists and tuples of texts and numbers) by its
``marshal`` encoding, other lists and dicts item by item, long texts without
copying them, sections, tags and authors by name, slug and public fields, other objects by their public fields and
properties, datetimes by their ISO form. A
method of an article never digests the same twice, so a page that calls one
is always rendered. Each digest is worked out once per process: once per page
site URL when it read a property (article content and takeaways resolve
their links against the page), else once for every page. An article's
address reads as a plain field: Pelican's ``url`` answers ``override_url``,
which ``listings.remember_urls`` sets once everything is read. The reads a
page made of one article are kept together, so a card's headline, link and
dek cost one look-up, on every page that shows the card unless one of them
depends on the page. Everything else a page depends on (settings, theme, plugins,
package versions) is in the cache file's fingerprint (``plugin_support.cache``):
when any of it changes, nothing is taken over.
"""

from __future__ import annotations

import hashlib
import itertools
import marshal
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, partial
from typing import Any

from jinja2.runtime import Undefined
from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper
from plugin_support.files import link_or_copy

from .templates import QuickContext

Key = tuple[str, str]
MISSING = b"\0missing"  # no digest of a value starts with NUL
# Pelican's ``url`` and ``save_as`` properties answer the ``override_…`` field when there is one, the same
# on every page; ``listings.remember_urls`` sets both on every article and page once everything is read.
PINNED_BY_FIELD = {"url": "override_url", "save_as": "override_save_as"}
# Attributes never part of what a page shows: the site's settings, and back-references to the shared context.
UNDIGESTED = frozenset({"settings", "_context", "_settings"})


# Whether each type met so far is tracked. Templates read attributes by the hundred thousand;
# one dictionary look-up per read is cheaper than an isinstance test.
_TRACKED: dict[type, bool] = {}


def _tracked(kind: type) -> bool:
    tracked = _TRACKED.get(kind)
    if tracked is None:
        tracked = _TRACKED[kind] = issubclass(kind, Content)
    return tracked


def tracked_key(value: Any) -> Key | None:
    """The identity of an article or page, the same in every build.

    Sections, tags and authors are not tracked: objects equal by slug need
    not be alike (two spellings of one name; a draft's author has no profile
    attached unless a published story shares it), so they are digested by what
    they hold instead.
    """
    if _tracked(type(value)):
        return _content_key(value)
    return None


def _content_key(content: Any) -> Key:
    """The identity of ``content``, known to be an article or page."""
    return ("content", content.relative_source_path)


# What a page read of each article or page: its identity and the attributes read, sorted.
ReadsOf = tuple[Key, tuple[str, ...]]


@dataclass
class Reads:
    """What one page's template read."""

    names: set[str] = field(default_factory=set)
    attributes: set[tuple[Key, str]] = field(default_factory=set)

    def frozen(self) -> tuple[tuple[str, ...], tuple[ReadsOf, ...]]:
        """The names, sorted, and the attributes read of each article or page, by identity."""
        by_key: dict[Key, list[str]] = {}
        for key, attribute in sorted(self.attributes):
            by_key.setdefault(key, []).append(attribute)
        return tuple(sorted(self.names)), tuple((key, tuple(attributes)) for key, attributes in by_key.items())


# The page being rendered in this process, if its reads are being recorded.
_recording: Reads | None = None


class RecordingContext(QuickContext):
    """Jinja's context, noting every name a template looks up."""

    def resolve_or_missing(self, key: str) -> Any:
        if _recording is not None and key not in self.vars:
            _recording.names.add(key)
        return super().resolve_or_missing(key)


def install(environment: Any) -> None:
    """Make ``environment`` record reads while a page renders (nothing is recorded otherwise)."""
    if getattr(environment, "_records_reads", False):
        return
    plain_getattr, plain_getitem = environment.getattr, environment.getitem

    def getattr_recorded(obj: Any, attribute: str) -> Any:
        if _recording is not None and _tracked(type(obj)):
            _recording.attributes.add((tracked_key(obj), attribute))
        return plain_getattr(obj, attribute)

    def getitem_recorded(obj: Any, argument: Any) -> Any:
        if _recording is not None and isinstance(argument, str) and _tracked(type(obj)):
            _recording.attributes.add((tracked_key(obj), argument))
        return plain_getitem(obj, argument)

    environment.getattr = getattr_recorded
    environment.getitem = getitem_recorded
    environment.plain_getattr = plain_getattr
    environment.context_class = RecordingContext
    environment._records_reads = True


def start_recording() -> Reads:
    global _recording
    _recording = Reads()
    return _recording


def stop_recording() -> None:
    global _recording
    _recording = None


SHORT = 64
_calls = itertools.count()


_CONTAINERS = frozenset({dict, list, tuple, set, frozenset})
# Exact types whose repr is their digest; subclasses (``Markup``) are found by an isinstance test after them.
_SCALARS = frozenset({type(None), bool, int, float, str, bytes})
_PLAIN = _SCALARS | _CONTAINERS
# What starts the bytes of each kind of digest. A description (``_described``) never starts with "str:"
# or NUL, so no two kinds digest alike.
LONG_TEXT, MARSHALLED = b"str:", b"\0marshal:"


def _digest(*parts: bytes) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part)
    return "#" + digest.hexdigest()


def _hashed(text: str) -> str:
    return _digest(text.encode("utf-8", "surrogatepass"))


def _marshalled(value: Any) -> bytes | None:
    """``value`` in marshal's format, when it is plain data; else None.

    Plain data is dicts, lists, tuples and sets of texts, numbers, booleans
    and None, all of their exact types (marshal refuses a subclass: ``Markup``
    or a date may render differently from a text). The encoding keeps every
    type apart (a tuple from a list, a number from its text) and every order
    a template can see (a loop over a dict). Format 2 writes a text the same
    way whether or not Python interned it, and Python 3.11's marshal writes a
    set's items sorted, so equal data gives equal bytes in every process.
    """
    try:
        return marshal.dumps(value, 2)
    except ValueError:  # not plain data, or nested too deep
        return None


def _starts_with_an_object(value: Any) -> bool:
    """Whether a list or tuple starts with something marshal refuses (an article, a tag): Keep Reading's
    picks and a story's tags, known before marshal raises."""
    return type(value) in (list, tuple) and bool(value) and type(value[0]) not in _PLAIN


def _bound_to_content(value: Any) -> bool:
    """Whether ``value`` is a method of an article or page (plain, or wrapped in a ``functools.partial``)."""
    if isinstance(value, partial):
        return any(tracked_key(argument) is not None for argument in value.args) or _bound_to_content(value.func)
    return callable(value) and tracked_key(getattr(value, "__self__", None)) is not None


class Digester:
    """Digests of values, each object's worked out once per build and process."""

    def __init__(self, registry: dict[Key, Any], settings: dict[str, Any]) -> None:
        self.registry = registry
        self.settings = settings
        # By object: a digest that read no property, the same on every page. And by object and page site
        # URL: what an object's properties answer can depend on the page it is read for (article content
        # and takeaways resolve their links against it).
        self._by_id: dict[int, str] = {}
        self._by_id_on_page: dict[tuple[int, str], str] = {}
        self._siteurl = ""
        self._read_a_property = False
        # The digest of each attribute read of an article or page, by its identity and the page site URL
        # (None when the same on every page). One small table per object: a page reads dozens of attributes.
        self._attributes: dict[tuple[Key, str | None], dict[str, bytes]] = {}
        self._reads_of: dict[tuple[ReadsOf, str], bytes] = {}
        self._split_names: dict[tuple[tuple[str, ...], frozenset[str]], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._shared_names: dict[tuple[Any, ...], bytes] = {}
        # Digested objects are kept alive, so that no other object can take over an id while this build runs.
        self._kept: list[Any] = []

    def value(self, value: Any, seen: frozenset[int] = frozenset()) -> str:
        """A short text that is the same for equal values, in every process and build.

        Long texts and every collection or object are given as a hash of their
        description, so a listing of ten thousand stories costs one line to the
        pages that show it, and the digest of a collection is built from the
        digests of its items.
        """
        kind = type(value)
        if kind is str and len(value) > SHORT:
            # The prefix goes in as its own part: a story's text is not copied to put it in front.
            return _digest(LONG_TEXT, value.encode("utf-8", "surrogatepass"))
        if kind in _SCALARS:
            text = repr(value)
            return text if len(text) <= SHORT else _hashed(text)
        # Most values a page reads are articles, or objects met on an earlier page: look them up before
        # testing their type.
        remembered = self._by_id.get(id(value))
        if remembered is not None:
            return remembered
        if _tracked(kind):
            return self._remember(value, repr(_content_key(value)))
        if isinstance(value, bool | int | float | str | bytes):  # a subclass, such as Markup
            text = repr(value)
            return text if len(text) <= SHORT else _hashed(text)
        if isinstance(value, datetime | date):
            return self._remember(value, f"{kind.__name__}:{value.isoformat()}:{getattr(value, 'tzinfo', None)}")
        if isinstance(value, Undefined):
            return UNDEFINED.decode()
        if id(value) in seen:
            return f"<cycle {type(value).__name__}>"
        if _bound_to_content(value):
            # An article's method may answer from anything the article holds, which its identity does not
            # tell: a page that calls one is rendered every time.
            return f"<method of an article, never the same: {os.getpid()} {next(_calls)}>"
        remembered = self._by_id_on_page.get((id(value), self._siteurl))
        if remembered is not None:
            self._read_a_property = True
            return remembered
        outer, self._read_a_property = self._read_a_property, False
        try:
            # JSON-LD and other plain data: one call in C instead of a digest per item.
            data = _marshalled(value) if kind in _CONTAINERS and not _starts_with_an_object(value) else None
            if data is not None:
                text = _digest(MARSHALLED, data)
            else:
                text = _hashed(self._described(value, seen | {id(value)}))
        finally:
            read_a_property, self._read_a_property = self._read_a_property, outer or self._read_a_property
        if read_a_property:
            self._by_id_on_page[(id(value), self._siteurl)] = text
        else:
            self._by_id[id(value)] = text
        self._kept.append(value)
        return text

    def _remember(self, value: Any, text: str) -> str:
        """``text`` as the digest of ``value`` on every page: for a value whose digest reads no property."""
        self._by_id[id(value)] = text
        self._kept.append(value)
        return text

    def _described(self, value: Any, seen: frozenset[int]) -> str:
        if isinstance(value, list | tuple):
            return "[" + ",".join(self.value(item, seen) for item in value) + "]"
        if isinstance(value, dict):
            items = sorted((repr(name), self.value(item, seen)) for name, item in value.items())
            return "{" + ",".join(f"{name}:{item}" for name, item in items) + "}"
        if isinstance(value, set | frozenset):
            return "{" + ",".join(sorted(self.value(item, seen) for item in value)) + "}"
        if callable(value) and hasattr(value, "__self__"):  # a bound method: what it answers depends on its object
            return f"method:{getattr(value, '__name__', '')}:{self.value(value.__self__, seen)}"
        if callable(value) and not hasattr(value, "__dict__"):
            return f"callable:{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
        return self._object(value, seen)

    def _object(self, value: Any, seen: frozenset[int]) -> str:
        if type(value) is Page:
            # ``Paginator.page`` makes everything a page holds (its name and address) from its paginator and
            # number, but for its stories: the slice was cut when the page was asked for.
            stories = self.value(value.object_list, seen)
            return f"page {value.number} of {self.value(value.paginator, seen)}: {stories}"
        # Public fields and properties only: private fields are often caches filled on first use
        # (a tag's slug, a paginator's page count), set or not depending on what this process read first.
        parts = [f"{type(value).__module__}.{type(value).__qualname__}"]
        computed = _computed_attributes(type(value))
        if computed and not isinstance(value, URLWrapper):  # a section's, tag's or author's name and slug are data
            self._read_a_property = True
        fields = getattr(value, "__dict__", None) or {}
        for name in sorted(fields):
            if not name.startswith("_") and name not in UNDIGESTED and name not in computed:
                parts.append(f"{name}={self.value(fields[name], seen)}")
        for name in computed:
            try:
                parts.append(f"{name}={self.value(getattr(value, name), seen)}")
            except Exception as error:  # a property that cannot answer is part of what the page sees
                parts.append(f"{name}!{type(error).__name__}")
        return "(" + ";".join(parts) + ")"

    def fingerprint(
        self,
        template_name: str,
        page_context: dict[str, Any],
        names: tuple[str, ...],
        attributes: tuple[ReadsOf, ...],
        environment: Any,
        own_names: frozenset[str] = frozenset(),
    ) -> str:
        """The digest of the values behind ``names`` and ``attributes`` (as ``Reads.frozen`` gives them).

        ``own_names`` are the names set for this page alone (as Pelican's writer sets the article, the
        output file and the site URL over a context many pages share). The other names a page read are
        digested once for every page that holds the very same values under them, instead of page by page.
        """
        digest = hashlib.sha256(template_name.encode())
        siteurl = self._siteurl = page_context.get("localsiteurl") or ""
        split = self._split_names.get((names, own_names))
        if split is None:
            split = self._split_names[(names, own_names)] = (
                tuple(name for name in names if name not in own_names),
                tuple(name for name in names if name in own_names),
            )
        shared_names, names_of_page = split
        # By the identity of each value (and the page's site URL, which a property may read): the same
        # objects give the same digest; pages whose context another build step changed in between do not.
        values = [page_context.get(name, MISSING) for name in shared_names]
        key = (shared_names, siteurl, *map(id, values))
        shared = self._shared_names.get(key)
        if shared is None:
            shared = self._shared_names[key] = b"".join(self._names_read(page_context, shared_names))
            self._kept.extend(values)
        digest.update(shared)
        digest.update(b"".join(self._names_read(page_context, names_of_page)))
        for reads_of in attributes:
            # Pages show the same few attributes of each story (a card's headline, link, dek…): one look-up each,
            # once for all pages when none of them depends on the page.
            remembered = self._reads_of.get((reads_of, None)) or self._reads_of.get((reads_of, siteurl))
            if remembered is None:
                remembered, on_page = self._attributes_read(reads_of, environment)
                self._reads_of[(reads_of, siteurl if on_page else None)] = remembered
            digest.update(remembered)
        return digest.hexdigest()

    def _names_read(self, context: dict[str, Any], names: Iterable[str]) -> Iterator[bytes]:
        for name in names:
            yield f"\n{name}=".encode()
            if name not in context:
                yield MISSING
            elif context[name] is not self.settings.get(name, MISSING):
                yield self.value(context[name]).encode()
            # else: the setting itself, which the cache file's fingerprint already covers

    def _attributes_read(self, reads_of: ReadsOf, environment: Any) -> tuple[bytes, bool]:
        """The digests of the attributes a page read of one article or page, on the page being checked.

        And whether any of them depends on the page.
        """
        key, attributes = reads_of
        obj = self.registry.get(key)
        fields = getattr(obj, "__dict__", None) or {}
        everywhere = self._attributes.setdefault((key, None), {})
        on_this_page = self._attributes.setdefault((key, self._siteurl), {})
        found = []
        any_on_page = False
        for attribute in attributes:
            remembered = everywhere.get(attribute)
            if remembered is None:
                remembered = on_this_page.get(attribute)
                any_on_page = any_on_page or remembered is not None
            if remembered is None:
                self._read_a_property = False
                pinned = PINNED_BY_FIELD.get(attribute)
                from_field = pinned is not None and pinned in fields
                absent = obj is not None and attribute not in fields and _never_answered(type(obj), attribute)
                if obj is None:
                    text = MISSING
                elif from_field:
                    text = self.value(fields[pinned]).encode()
                elif absent:
                    text = UNDEFINED  # what Jinja's look-up would give, without raising and catching twice
                else:
                    text = self.value(environment.plain_getattr(obj, attribute)).encode()
                # A property of the article itself (its content) may be resolved against the page's site URL;
                # a plain field whose digest read no property is the same on every page.
                on_page = self._read_a_property or (
                    obj is not None and attribute not in fields and not from_field and not absent
                )
                any_on_page = any_on_page or on_page
                # Only the value: which attributes of which stories were read is the record's, the same on both
                # sides of the comparison, and no digest holds a line break.
                remembered = (on_this_page if on_page else everywhere)[attribute] = b"\n" + text
            found.append(remembered)
        return b"".join(found), any_on_page


UNDEFINED = b"<undefined>"
LOOK_UP_HOOKS = ("__getattr__", "__getattribute__", "__getitem__")
_NEVER_ANSWERED: dict[tuple[type, str], bool] = {}


def _never_answered(kind: type, attribute: str) -> bool:
    """Whether an object of ``kind`` answers ``attribute`` from nothing but its own fields.

    So, when its fields lack it, Jinja's look-up gives an undefined value:
    no class in ``kind``'s ancestry defines the name, nor a look-up hook
    (``__getattr__``, ``__getattribute__``, or ``__getitem__``, which Jinja
    tries next) that could answer it. Templates test stories for optional
    fields (a hero image, a share card) on every page.
    """
    found = _NEVER_ANSWERED.get((kind, attribute))
    if found is None:
        # ``object`` answers names of its own (``__class__``, ``__getstate__``), and its ``__getattribute__``
        # is the plain look-up.
        found = _NEVER_ANSWERED[(kind, attribute)] = not any(
            attribute in vars(klass) for klass in kind.__mro__
        ) and not any(hook in vars(klass) for klass in kind.__mro__ if klass is not object for hook in LOOK_UP_HOOKS)
    return found


def _computed_attributes(kind: type) -> tuple[str, ...]:
    """The public properties of a class and its bases, in a fixed order.

    For a section, tag or author only its name and slug: its URL, file name and
    page name are made from them and the settings (which the cache file's
    fingerprint covers), and working them out for every article would cost
    more than all the rest of its digest. For a listing's paginator and its
    pages none: a page's address, its neighbours' numbers and the paginator's
    page count are made from their fields (the listing's name, address and
    stories, the page's number, the page size) and the settings, so such a
    page is digested once, whatever page reads it.
    """
    found = _COMPUTED.get(kind)
    if found is None and issubclass(kind, URLWrapper):
        found = _COMPUTED[kind] = ("name", "slug")
    if found is None and issubclass(kind, Paginator | Page):
        found = _COMPUTED[kind] = ()
    if found is None:
        names = {
            name
            for klass in kind.__mro__
            for name, member in vars(klass).items()
            if isinstance(member, property | cached_property) and not name.startswith("_") and name not in UNDIGESTED
        }
        found = _COMPUTED[kind] = tuple(sorted(names))
    return found


_COMPUTED: dict[type, tuple[str, ...]] = {}


def registry_of(page_contexts: list[dict[str, Any]]) -> dict[Key, Any]:
    """Every article and page the build knows, by identity."""
    registry: dict[Key, Any] = {}
    seen_shared: set[int] = set()
    for context in page_contexts:
        for name in ("article", "page"):
            key = tracked_key(context.get(name))
            if key is not None:
                registry.setdefault(key, context[name])
        shared = context.get("generated_content")
        if shared is None or id(shared) in seen_shared:
            continue
        seen_shared.add(id(shared))
        for content in shared.values():
            key = tracked_key(content)
            if key is not None:
                registry.setdefault(key, content)
    return registry


def take_over(previous: str, path: str) -> bool:
    """Put the last build's file at ``path``: a hard link where the file system allows, else a copy.

    Both paths are absolute and normalised (the writer makes them so), so the same file has the same path.
    """
    if previous == path:
        return os.path.isfile(path)
    try:
        link_or_copy(previous, path)
    except OSError:
        return False
    return True
