"""Pages read as a tree of elements, picked out with a few CSS selectors.

The web tests check a page's structure (which form a field sits in, which link is marked, which
cells a table holds) rather than its exact markup, so a template may change its spacing or the
order of attributes without breaking them. The tree is built with the standard library's parser:

- void elements (input, br, meta, ...) never hold children; an end tag closes the nearest open
  element of its name and everything opened inside it, and an end tag with no open element of
  its name (`<input/>`, a stray `</p>`) is ignored;
- attribute names are lower case (the parser's doing); an attribute written without a value
  (`checked`, `open`) has the value "".

Selectors: a tag, `#id`, `.class` (one word of the class attribute), `[attr]` (present, any
value) and `[attr=value]` (exactly this value, bare or in single or double quotes; `[attr=""]`
asks for an empty value, as in CSS), compounds of these (`li.set-row.done`, `input[type=radio]`)
and the descendant combinator (a space). Anything else, a `>` or a `:hover`, raises ValueError
rather than being skipped and matching more than was asked.

Text, three ways, because the tests ask three different questions:

- `all_text()`: each text run of the element and its descendants trimmed, runs joined by one
  space: the words as laid out, with the spacing inside a run kept;
- `text()`: all whitespace collapsed to single spaces: what a reader sees;
- `own_text()`: the element's own text runs, joined as written, its children's text left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_SIMPLE = re.compile(
    r"""(?P<tag>[a-z][a-z0-9-]*)
      | \#(?P<id>[\w-]+)
      | \.(?P<cls>[\w-]+)
      | \[(?P<attr>[\w-]+)(?:=(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^\]\s"']+)))?\]
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Compound:
    """One step of a selector: everything an element must have to match it."""

    tag: str | None = None
    ids: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str | None], ...] = ()  # (name, exact value, or None: any value)

    def matches(self, element: Element) -> bool:
        attrs = element.attrs
        words = attrs.get("class", "").split()
        return (
            (self.tag is None or element.tag == self.tag)
            and all(attrs.get("id") == ident for ident in self.ids)
            and all(word in words for word in self.classes)
            and all(
                name in attrs and (value is None or attrs[name] == value) for name, value in self.attributes
            )
        )


def parse_selector(selector: str) -> list[Compound]:
    """The compounds of a descendant selector, outermost first."""
    steps: list[Compound] = []
    parts: list[re.Match[str]] = []  # the simple selectors of the compound being read
    position = 0
    while position <= len(selector):
        if position == len(selector) or selector[position].isspace():
            if parts:
                steps.append(_compound(parts))
                parts = []
            position += 1
            continue
        part = _SIMPLE.match(selector, position)
        if part is None or (part["tag"] and parts):
            raise ValueError(f"unsupported selector {selector!r}: cannot read {selector[position:]!r}")
        parts.append(part)
        position = part.end()
    if not steps:
        raise ValueError(f"empty selector {selector!r}")
    return steps


def _compound(parts: list[re.Match[str]]) -> Compound:
    attributes = [
        (part["attr"], next((v for v in part.group("double", "single", "bare") if v is not None), None))
        for part in parts
        if part["attr"]
    ]
    return Compound(
        tag=next((part["tag"] for part in parts if part["tag"]), None),
        ids=tuple(part["id"] for part in parts if part["id"]),
        classes=tuple(part["cls"] for part in parts if part["cls"]),
        attributes=tuple(attributes),
    )


@dataclass(frozen=True)
class Element:
    """An element with its attributes and its content: child elements and text, in page order."""

    tag: str
    attrs: dict[str, str]
    content: list[Element | str] = field(default_factory=list)  # text as the parser gave it

    def descendants(self) -> list[Element]:
        """Every element below this one, in page order."""
        children = [part for part in self.content if isinstance(part, Element)]
        return [element for child in children for element in (child, *child.descendants())]

    def select(self, selector: str) -> list[Element]:
        """The elements below this one that match `selector`, in page order, each once."""
        found = [self]
        for step in parse_selector(selector):
            matched = (element for outer in found for element in outer.descendants() if step.matches(element))
            found = list({id(element): element for element in matched}.values())
        return found

    def one(self, selector: str) -> Element:
        """The only element below this one that matches `selector`."""
        found = self.select(selector)
        assert len(found) == 1, f"{selector!r} matches {len(found)} elements, not one"
        return found[0]

    def all_text(self) -> str:
        """Each text run below this element trimmed, the runs joined by one space."""
        runs = (part.strip() if isinstance(part, str) else part.all_text() for part in self.content)
        return " ".join(run for run in runs if run)

    def text(self) -> str:
        """All the text below this element with whitespace collapsed to single spaces."""
        return " ".join(self.all_text().split())

    def own_text(self) -> str:
        """The element's own text, exactly as written, without the text of its children."""
        return "".join(part for part in self.content if isinstance(part, str))


class TreeBuilder(HTMLParser):
    """Builds the tree of `Element`s under a root element named "document"."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Element("document", {})
        self.open = [self.root]  # the elements not closed yet, the innermost last

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.open[-1].content.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        closing = [element.tag for element in self.open[1:]]
        if tag in closing:
            del self.open[len(closing) - closing[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        self.open[-1].content.append(data)


def html(text: str) -> Element:
    """The tree of a page or of a fragment of one (an htmx answer)."""
    builder = TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def csrf_tokens(page: Element) -> dict[str, str]:
    """The CSRF token each form carries, by the form's action: what a browser would send back."""
    return {
        form.attrs.get("action", ""): token.attrs.get("value", "")
        for form in page.select("form")
        for token in form.select("input[name=csrf_token]")
    }
