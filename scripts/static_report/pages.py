"""Reading an Evidence page: markdown-it-py for the markdown, PyYAML for the front matter, and two
small markdown-it rules for what is Svelte rather than markdown: a component tag on its own
line(s) and a `{expression}` in text.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

SOURCE_NAME = "warehouse"  # reports/sources/warehouse/: pages say `from warehouse.<query>`
SOURCE_REF = re.compile(rf"\b{SOURCE_NAME}\.(\w+)")


@dataclass(frozen=True)
class Ref:
    """`data={name}`: a query of the page."""

    name: str


@dataclass
class Component:
    tag: str
    attrs: dict
    line: int
    columns: list[dict] = field(default_factory=list)  # <Column .../> children of a DataTable
    errors: list[str] = field(default_factory=list)  # what could not be read


@dataclass
class Page:
    path: Path  # the .md file
    route: str  # "" for the home page, "creators", "influence/[account]"
    title: str  # may hold {params.x}
    tokens: list[Token]
    queries: dict[str, str]  # ```sql name``` blocks, in page order
    components: list[Component]
    problems: list[str]  # found while reading it

    @property
    def param(self) -> str | None:
        m = re.search(r"\[(\w+)\]", self.route)
        return m.group(1) if m else None


# ----------------------------------------------------------------------------- Svelte tags
ATTR = re.compile(r"""\s*([A-Za-z_][\w-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|(\{)|([^\s"'>/{}]+)))?""")
TAG_START, TAG_END = re.compile(r"<([A-Za-z]\w*)"), re.compile(r"\s*(/?)>")


def _braced(text: str, i: int) -> int:
    """Index after the `}` matching the `{` at text[i] (quotes inside are skipped)."""
    depth, quote = 0, None
    for j in range(i, len(text)):
        c = text[j]
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"`":
            quote = c
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j + 1
    raise ValueError("unbalanced `{`")


def parse_expr(expr: str):
    """A Svelte attribute expression: {q} is a query, {true}, {3}, {['a', 'b']} are literals."""
    expr = expr.strip()
    if expr in ("true", "false"):
        return expr == "true"
    if re.fullmatch(r"[A-Za-z_]\w*", expr):
        return Ref(expr)
    try:
        return ast.literal_eval(expr)
    except (ValueError, SyntaxError):
        raise ValueError(f"unsupported expression {{{expr}}}") from None


def scan_tag(text: str, i: int) -> tuple[str, dict, int, bool]:
    """The tag opening at text[i] ('<Name attr=...>'): (name, attrs, index after '>', self-closing)."""
    m = TAG_START.match(text, i)
    name, pos, attrs = m.group(1), m.end(), {}
    while True:
        end = TAG_END.match(text, pos)
        if end:
            return name, attrs, end.end(), bool(end.group(1))
        a = ATTR.match(text, pos)
        if not a or a.end() == pos:
            raise ValueError(f"<{name}>: cannot read its attributes from {text[pos : pos + 30]!r}")
        key, dq, sq, brace, bare = a.groups()
        if brace:
            close = _braced(text, a.end() - 1)
            attrs[key] = parse_expr(text[a.end() : close - 1])
            pos = close
        else:
            attrs[key] = next((v for v in (dq, sq, bare) if v is not None), True)
            pos = a.end()


def read_component(text: str, line: int) -> tuple[Component, int]:
    """The component starting at text[0]; returns it and the index after its end."""
    try:
        tag, attrs, end, closed = scan_tag(text, 0)
    except ValueError as exc:
        name = re.match(r"<(\w+)", text).group(1)
        return Component(name, {}, line, errors=[str(exc)]), len(text.split("\n", 1)[0])
    comp = Component(tag, attrs, line)
    if closed:
        return comp, end
    closing = text.find(f"</{tag}>", end)
    if closing < 0:
        comp.errors.append(f"<{tag}> is never closed (`/>` or `</{tag}>`)")
        return comp, end  # the rest of the page still renders
    inner = text[end:closing]
    for child in TAG_START.finditer(inner):
        try:
            name, child_attrs, _, _ = scan_tag(inner, child.start())
        except ValueError as exc:
            comp.errors.append(str(exc))
            continue
        if name == "Column":
            comp.columns.append(child_attrs)
        else:
            comp.errors.append(f"unsupported child <{name}>")
    return comp, closing + len(f"</{tag}>")


def _component_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line opening with `<Capitalised` starts a component; it runs to `/>` or its closing tag."""
    pos = state.bMarks[start] + state.tShift[start]
    if state.is_code_block(start) or not state.src.startswith("<", pos) or not state.src[pos + 1 : pos + 2].isupper():
        return False
    if silent:
        return True
    comp, length = read_component(state.src[pos:], start + 1)
    stop = pos + length
    last = start
    while last + 1 < end and state.bMarks[last + 1] < stop:
        last += 1
    if state.src[stop : state.eMarks[last]].strip():
        comp.errors.append(f"text after <{comp.tag}> on its line: put each component on a line of its own")
    token = state.push("evidence_component", "", 0)
    token.map = [start, last + 1]
    token.meta = {"component": comp}
    state.line = last + 1
    return True


def _expression_rule(state: StateInline, silent: bool) -> bool:
    """`{params.account}`, `{query[0].column}` (and Svelte blocks such as `{#if}`, reported later)."""
    if state.src[state.pos] != "{":
        return False
    try:
        close = _braced(state.src, state.pos)
    except ValueError:
        return False
    if close > state.posMax:
        return False
    if not silent:
        token = state.push("evidence_expr", "", 0)
        token.content = state.src[state.pos + 1 : close - 1].strip()
    state.pos = close
    return True


def markdown_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.block.ruler.before(
        "html_block", "evidence_component", _component_rule, {"alt": ["paragraph", "reference", "blockquote"]}
    )
    md.inline.ruler.before("text", "evidence_expr", _expression_rule)
    return md


MD = markdown_parser()


# ----------------------------------------------------------------------------- pages
def parse_page(path: Path, pages_dir: Path) -> Page:
    tokens = MD.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(pages_dir).with_suffix("").as_posix()
    route = "" if rel == "index" else re.sub(r"/index$", "", rel)
    meta, queries, components, problems, heading = {}, {}, [], [], None
    for i, token in enumerate(tokens):
        if token.type == "front_matter":
            try:
                meta = yaml.safe_load(token.content) or {}
            except yaml.YAMLError as exc:
                problems.append(f"the front matter is not YAML: {str(exc).splitlines()[0]}")
            if not isinstance(meta, dict):
                meta = {}
                problems.append("the front matter is not a YAML mapping (`title: ...`)")
        elif token.type == "fence" and token.info.split()[:1] == ["sql"] and len(token.info.split()) > 1:
            name = token.info.split()[1]
            if name in queries:
                problems.append(f"line {token.map[0] + 1}: query `{name}` defined twice")
            queries[name] = token.content
        elif token.type == "evidence_component":
            components.append(token.meta["component"])
        elif token.type == "heading_open" and token.tag == "h1" and heading is None:
            heading = tokens[i + 1].content
    title = str(meta.get("title") or heading or route or "Home")
    return Page(path, route, title, tokens, queries, components, problems)


def load_pages(reports_dir: Path) -> list[Page]:
    pages_dir = reports_dir / "pages"
    return [parse_page(p, pages_dir) for p in sorted(pages_dir.rglob("*.md"))]


def source_queries(reports_dir: Path) -> dict[str, str]:
    folder = reports_dir / "sources" / SOURCE_NAME
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.sql"))}
