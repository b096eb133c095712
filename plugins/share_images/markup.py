"""Body images as ``<picture>`` elements, written while Markdown converts the article.

The tree processor runs after the front_matter plugin's body checks, which
measure every body image and set its ``width`` and ``height``; it rewrites
each local raster image the checks measured into a ``<picture>`` with one
``<source>`` per modern format and an ``<img>`` naming the fallback copies, in
the same single conversion (no second parse of the page). It is only
installed when the build derives images (``IMAGES_DERIVE``); otherwise the
body links the originals.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, SubElement

from front_matter.body_checks import BodyCheckExtension
from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from .variants import Picture, plan_picture


def picture_element(image: Element, picture: Picture, base: str, sizes: str) -> Element:
    """``<picture>`` holding ``image`` (its other attributes kept) with the srcsets of ``picture`` under ``base``."""
    wrapper = Element("picture")
    srcsets = picture.srcsets(base)
    for mime, srcset in srcsets[:-1]:
        SubElement(wrapper, "source", {"type": mime, "srcset": srcset, "sizes": sizes})
    image.set("src", f"{base.rstrip('/')}/{picture.src}")
    image.set("srcset", srcsets[-1][1])
    image.set("sizes", sizes)
    image.set("width", str(picture.width))
    image.set("height", str(picture.height))
    image.set("loading", image.get("loading") or "lazy")
    image.set("decoding", "async")
    wrapper.append(image)
    return wrapper


class ResponsiveImageProcessor(Treeprocessor):
    """Replaces each measured local raster ``<img>`` with its ``<picture>``."""

    def __init__(self, md: Markdown, settings: dict[str, Any]) -> None:
        super().__init__(md)
        self.settings = settings

    def _check(self) -> Any:
        for extension in self.md.registeredExtensions:
            if isinstance(extension, BodyCheckExtension):
                return extension.current
        return None

    def run(self, root: Element) -> None:
        check = self._check()
        if check is None or not check.images:
            return
        measured = {src for _, src, _ in check.images}
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                src = (child.get("src") or "").strip()
                if child.tag != "img" or src not in measured:
                    continue
                local = check.local_file(src)
                if local is None:
                    continue
                path = local[1]
                site_path = path.relative_to(check.content_root).as_posix()
                size = (int(child.get("width")), int(child.get("height")))
                picture = plan_picture(path, site_path, size, self.settings)
                if picture.responsive:
                    parent.remove(child)
                    parent.insert(index, picture_element(child, picture, self.settings["SITEURL"], self.sizes))

    @property
    def sizes(self) -> str:
        return self.settings["IMAGES_BODY_SIZES"]


class ResponsiveImagesExtension(Extension):
    """Registers the tree processor; ``settings`` are the build's (IMAGES_*, SITEURL)."""

    def __init__(self, settings: dict[str, Any]) -> None:
        super().__init__()
        self.settings = {
            key: settings[key]
            for key in (
                "IMAGES_DERIVE",
                "IMAGES_WIDTHS",
                "IMAGES_FORMATS",
                "IMAGES_QUALITY",
                "IMAGES_OUTPUT_DIR",
                "IMAGES_BODY_SIZES",
                "SITEURL",
            )
        }

    def getConfigs(self) -> dict[str, Any]:  # noqa: N802 (Markdown's API name): the build cache's fingerprint reads it
        return dict(self.settings)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        md.registerExtension(self)
        # Below the body checks (6), which measure the images first.
        md.treeprocessors.register(ResponsiveImageProcessor(md, self.settings), "responsive_images", 5)
