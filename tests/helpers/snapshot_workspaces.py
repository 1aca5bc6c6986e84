"""Shared helpers of the snapshot tests: workspaces of the sample and demo tenants, and an
HTML scan that finds every reference a page makes to something outside itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from explorer.importers import import_export
from explorer.paths import demo_export_dir
from explorer.store.workspace import Workspace
from tests.helpers.paths import DATA_DIR

SAMPLE_TENANT = DATA_DIR / "sample-tenant"
ALLOWED_LINK_PREFIX = "https://experienceleague.adobe.com/docs/"
_EXTERNAL = re.compile(r"^\s*(https?:|file:|ftp:|//)", re.IGNORECASE)
_URL_ATTRIBUTES = {"src", "href", "srcset", "data", "poster", "action", "formaction",
                   "background", "xlink:href", "cite", "manifest", "codebase"}


def import_workspace(export_dir: Path, path: Path) -> Workspace:
    import_export(export_dir, path)
    return Workspace.open(path)


def demo_workspace(path: Path) -> Workspace:
    return import_workspace(demo_export_dir(), path)


@dataclass
class PageScan(HTMLParser):
    """Tags, external references, style text and visible text of an HTML page."""

    tags: list[str] = field(default_factory=list)
    external: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attr, value)
    stylesheet_links: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    inline_styles: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    _in_style: bool = False

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if "style" in values:
            self.inline_styles.append(values["style"])
        if tag == "img":
            self.images.append(values.get("src", ""))
        if tag == "link" and "stylesheet" in values.get("rel", "").lower():
            self.stylesheet_links.append(values.get("href", ""))
        for name, value in values.items():
            if name in _URL_ATTRIBUTES and _EXTERNAL.match(value):
                self.external.append((tag, name, value))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
        else:
            self.text.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def scan(html: str) -> PageScan:
    page = PageScan()
    page.feed(html)
    page.close()
    return page


def self_containment_problems(html: str) -> list[str]:
    """Everything that would make the page load or run something from outside itself."""
    page = scan(html)
    problems = [f"<{tag} {attr}={value!r}>" for tag, attr, value in page.external
                if not (tag == "a" and attr == "href" and value.startswith(ALLOWED_LINK_PREFIX))]
    problems += [f"<{tag}>" for tag in page.tags
                 if tag in ("script", "iframe", "object", "embed", "base", "frame", "applet")]
    problems += [f"stylesheet link {href!r}" for href in page.stylesheet_links]
    for css in page.styles + page.inline_styles:
        lowered = css.lower()
        if "@import" in lowered or "url(" in lowered or "expression(" in lowered:
            problems.append(f"CSS loads something: {css[:80]!r}")
    problems += [f"image not inline: {src[:60]!r}" for src in page.images
                 if not src.startswith("data:image/")]
    return problems
