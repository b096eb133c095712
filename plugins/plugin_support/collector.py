"""Python's cycle collector kept off the objects a build makes to keep.

A build makes millions of objects that live until it ends: every article with
its metadata, the build cache's conversions, the Keep Reading vectors.
Python's cycle collector walks all of them again each time enough new objects
have piled up: an ``invoke check`` of a 10,000-article archive with the build
cache spent about two fifths of its time collecting nothing. And in a worker
forked from the build, each such walk writes to every object it inherited,
copying memory pages it would otherwise share with the build process. So, as
the ``gc`` module's documentation advises for a process that forks:

* ``pause`` turns automatic collection off (while articles are read and
  ranked, and Pelican asks for every page: what that makes, the pages'
  contexts and their JSON-LD, lives until the pages are written, so a
  collection then would find nothing to free);
* ``before_fork`` moves every object made so far out of the collector's reach
  (``gc.freeze``) just before workers are forked, and ``in_worker`` turns
  collection on in each of them, for what the worker makes itself;
* ``set_aside`` moves everything made so far out of its reach in the build
  process too, once reading is done, collection staying paused: the walk at
  the process's end then skips it as well (an ``invoke check`` stops there);
* ``resume`` does the same for the build process once every page has been
  asked for, so rendering collects what it leaves behind without walking
  the archive;
* ``release`` gives the last build's objects back to the collector when a new
  build starts, so a process that builds many times (livereload) does not
  keep them;
* ``free_later`` keeps what a build lets go of until ``collect_between_builds``,
  when freeing it keeps no one waiting;
* ``collect_between_builds`` frees that, and what a build left in reference
  cycles, which only a full collection finds: livereload runs it while it
  waits for the next save.
"""

from __future__ import annotations

import gc

# What builds let go of, freed between builds (``free_later``).
_to_free: list[object] = []


def pause() -> None:
    """Stop automatic collection until ``resume`` or ``release``."""
    gc.disable()


def before_fork() -> None:
    """Put every object made so far out of the collector's reach, in this process and the ones forked from it."""
    gc.freeze()


def in_worker() -> None:
    """In a forked worker: collect what this worker makes (inherited objects stay out of reach)."""
    gc.enable()


def set_aside() -> None:
    """Put every object made so far out of the collector's reach; collection stays as it is."""
    gc.freeze()


def resume() -> None:
    """Keep what the build has made so far out of the collector's reach, and collect again from here on."""
    gc.freeze()
    gc.enable()


def release() -> None:
    """Give every object back to the collector, and collect automatically: a new build starts.

    What the last build kept to free later (``free_later``) and no collection freed since is freed now.
    """
    _to_free.clear()
    gc.unfreeze()
    gc.enable()


def free_later(unused: object) -> None:
    """Keep ``unused`` until ``collect_between_builds``: the build need not wait while it is freed.

    Freeing a large object graph takes time in proportion to its size (every
    object in it is visited and its memory returned), and a build that takes
    ten thousand articles again from the last one would otherwise spend it on
    their old fields while the author waits for the page.
    """
    _to_free.append(unused)


def collect_between_builds() -> int:
    """Collect everything, the cycles the last build left included; return how many objects were freed.

    Pelican's generators, Jinja's environments and their templates refer to
    one another, so what a build leaves behind is freed only by a full
    collection, and a build keeps collection paused or everything frozen
    for most of its run: a livereload session at 10,000 articles kept about
    2 MB more after every save. A full collection walks every object the
    process holds (about half a second at that size), so it is for a moment
    when nothing waits on the process.
    """
    _to_free.clear()
    gc.unfreeze()
    return gc.collect()
