"""Helpers that several plugins share. Not a plugin: nothing here connects a signal.

* ``workers``: run one function over many items on every core (forked
  processes), with the workers' log records replayed in the parent, in item
  order, and a crashed or hung worker reported by the item it was on;
* ``files``: putting a file the build already has into another folder, as a
  hard link where the file system allows (the incremental build, the image
  cache and the search index's cache), and replacing a file whole (write
  beside it, then rename);
* ``site_update``: which pages of the live site a build leaves where they
  are, and laying the build's new files over the live site once it succeeded;
* ``timing``: named phase timers a build reports (``invoke build --timings``);
* ``last_build``: results the last build in this process worked out, given
  again for the very same inputs (Keep Reading's openings, an article's static links,
  whether an article's HTML links to other content at all);
* ``text``: text rules more than one plugin follows: what counts as emoji,
  how a heading's words become a unique id, HTML as one line of plain text, and a
  Markdown heading's words read from the element tree.

``pelicanconf.py`` puts ``plugins/`` on ``sys.path`` so plugins can import this
package as ``plugin_support``.
"""
