"""YAML's syntax errors in words a planner can act on, with the line and column to look at.

PyYAML (and libyaml) say what the parser expected: ``mapping values are not allowed in this
context``, ``did not find expected '-' indicator``. Behind these lie a few slips people make when
they write YAML by hand: a tab where spaces belong, a line indented one space too far, a colon or
a quote inside a value, a value that begins with a character YAML reserves (``#``, ``&``, ``*``,
``!``, ``@``, a backtick, ``%``). :func:`explain` names the slip from the error and the line it
points at, says how to fix it (in the current language), and keeps the parser's words at the end
for those who know them.

Two slips parse without error and would change the data silently; :func:`silent_slips` finds
them: an unquoted value beginning with ``&`` (YAML reads ``&Badan Perencanaan`` as the anchor
``Badan`` on the text ``Perencanaan``) and text after `` #`` (``Rapat #2`` loses ``#2`` as a
comment).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from smartcity_model.i18n import _

__all__ = ["Explained", "explain", "silent_slips", "yaml_lines"]

#: YAML breaks lines at these (editors at the first three only; see ``yamlfile._Lines``).
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
#: A key and the space after its colon: ``  name: `` or ``- id: ``.
_KEY = re.compile(r"^(\s*(?:-\s+)*)([^\s#'\"\[{][^:#]*?|'[^']*'|\"[^\"]*\"):(?=\s|$)")
#: ``: `` (or a colon ending the line): where YAML sees a key end.
_COLON = re.compile(r":(?=\s|$)")
#: An ``&`` before a name; an anchor when it starts a node (after a space, ``[``, ``{`` or ``,``).
_AMPERSAND = re.compile(r"&\S")
_BEFORE_ANCHOR = frozenset(" \t\r\n[{,")


def _has_anchor(text: str) -> bool:
    """Tell whether ``text`` may hold an anchor: ``&name`` at the start of a node."""
    return any(m.start() == 0 or text[m.start() - 1] in _BEFORE_ANCHOR for m in _AMPERSAND.finditer(text))


#: `` #`` and text: a comment written against the value (``Rapat #2``), not one written ``  # note``.
_HASH = re.compile(r"\S #\S|:\s+#\S")
#: Characters that YAML keeps for itself at the start of a plain value.
_RESERVED = "@`%"


@dataclass(frozen=True, slots=True)
class Explained:
    """A YAML slip in plain words, at a 0-based YAML line and column (as marks count them)."""

    message: str
    line: int
    column: int


def yaml_lines(text: str) -> list[str]:
    """Split ``text`` into the lines YAML counts (marks are numbered by these)."""
    return _BREAK.split(text)


def _quoted(value: str) -> str:
    """Return ``value`` as a quoted YAML string: single quotes around double ones, else double quotes."""
    if '"' in value and "'" not in value:
        return "'" + value + "'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _with_quotes(line: str, comment: str = "") -> str | None:
    """Return the line with its value in quotes (``name: "Dinas: Kesehatan"``), if it has a key.

    ``comment`` is a comment meant as one at the end of the line: it stays after the quotes.
    """
    match = _KEY.match(line)
    if match is None:
        return None
    value = line[match.end() :].strip()
    if comment:
        value = value.removesuffix(comment).rstrip()
    if not value:
        return None
    return f"{match.group(2).strip()}: {_quoted(value)}" + (f"  {comment}" if comment else "")


def _quote_hint(line: str, comment: str = "") -> str:
    """Return `` (write: name: "…")`` for a line whose value needs quotes, else an empty string."""
    fixed = _with_quotes(line, comment)
    return _(" (write: {fixed})").format(fixed=fixed) if fixed else ""


def _at(lines: list[str], mark: yaml.Mark | None) -> tuple[str, str]:
    """Return the line a mark points into and the character at the mark ('' past the end)."""
    if mark is None or mark.line >= len(lines):
        return "", ""
    line = lines[mark.line]
    return line, line[mark.column] if mark.column < len(line) else ""


def _no_space_after_dash(stripped: str) -> bool:
    """Tell whether a line (without its indentation) begins a list item with no space after the dash."""
    return stripped.startswith("-") and len(stripped) > 1 and not stripped[1].isspace() and stripped[1] != "-"


def _mapping_values(line: str, column: int) -> str:
    """Explain "mapping values are not allowed": a colon inside a value, a dash without a space, or indentation."""
    if _no_space_after_dash(line.lstrip()):
        return _("a list item begins with '- ' (a dash and a space); write a space after the dash")
    colons = [match.start() for match in _COLON.finditer(line)]
    if colons and column > colons[0]:
        message = _(
            "the value holds ': ' (a colon and a space), which YAML reads as a new key; put the value in quotes"
        )
        return message + _quote_hint(line)
    return _(
        "this line is indented further than the line above, so YAML reads it as the rest of that line's "
        "value; start it in the same column as the other fields of its item"
    )


def _block(line: str, column: int) -> str:
    """Explain "did not find expected key / '-' indicator": a dash without a space, text after a quote, indentation."""
    if _no_space_after_dash(line.lstrip()):
        return _("a list item begins with '- ' (a dash and a space); write a space after the dash")
    before = line[:column].rstrip()
    if before.endswith(("'", '"')) and _KEY.match(line):
        return _(
            "there is text after the closing quote; put the whole value in quotes, or leave the quotes out"
        ) + _quote_hint(line)
    return _(
        "this line does not line up with the lines above it: the fields of one item start in the same "
        "column, and so do the '- ' of the items of one list (check this line and the one above)"
    )


@dataclass(frozen=True, slots=True)
class _Error:
    """A YAML error with the line it points at."""

    lines: list[str]
    context: str
    problem: str
    problem_mark: yaml.Mark | None
    context_mark: yaml.Mark | None

    @property
    def mark(self) -> yaml.Mark | None:
        return self.problem_mark or self.context_mark

    @property
    def line(self) -> str:
        return _at(self.lines, self.mark)[0]

    @property
    def char(self) -> str:
        return _at(self.lines, self.mark)[1]

    @property
    def column(self) -> int:
        return 0 if self.mark is None else int(self.mark.column)


_Found = tuple[str, yaml.Mark | None] | None


def _tab(error: _Error) -> _Found:
    if error.char == "\t" or "tab" in error.problem:
        return _("a tab character: YAML indents with spaces only; replace the tab with spaces"), error.mark
    return None


def _unclosed_quote(error: _Error) -> _Found:
    if "quoted scalar" not in error.context or error.context_mark is None:
        return None
    quote = _at(error.lines, error.context_mark)[1] or '"'
    message = _("the quote {quote} opened here is never closed; close it at the end of the value")
    return message.format(quote=quote), error.context_mark


def _mapping_value(error: _Error) -> _Found:
    if "mapping values are not allowed" not in error.problem:
        return None
    mark = error.mark
    line = int(mark.line) if mark is not None else 0
    above = next((n for n in range(line - 1, -1, -1) if error.lines[n].strip()), None)
    stripped = error.lines[above].lstrip() if above is not None else ""
    if above is not None and _no_space_after_dash(stripped):
        message = _("a list item begins with '- ' (a dash and a space); write a space after the dash")
        column = len(error.lines[above]) - len(stripped)
        return message, yaml.error.Mark("", 0, above, column, "", 0)  # the item begins on the line above
    return _mapping_values(error.line, error.column), error.mark


def _simple_key(error: _Error) -> _Found:
    if "simple key" not in error.context or error.context_mark is None:
        return None
    line = _at(error.lines, error.context_mark)[0]
    if re.search(r"\w:[^\s:/]", line) and not _COLON.search(line):
        return _("write a space after the colon (key: value)"), error.context_mark
    message = _(
        "a line that is neither 'key: value' nor a list item '- ...': add the colon, or, if the line "
        "continues a long text, put that text in quotes"
    )
    return message, error.context_mark


def _reserved(error: _Error) -> _Found:
    if "cannot start any token" not in error.problem or error.char not in _RESERVED:
        return None
    message = _("a value may not begin with {char} in YAML; put the value in quotes").format(char=error.char)
    return message + _quote_hint(error.line), error.mark


def _alias_or_tag(error: _Error) -> _Found:
    if "undefined alias" in error.problem:
        message = _("a value beginning with '*' is read as a reference to an anchor; put the value in quotes")
    elif "constructor for the tag" in error.problem:
        message = _(
            "a value beginning with '!' is read as a YAML tag, and plan files use no tags; put the value in quotes"
        )
    else:
        return None
    return message + _quote_hint(error.line), error.mark


def _flow(error: _Error) -> _Found:
    if "flow mapping" not in error.context and "flow sequence" not in error.context:
        return None
    mark = error.context_mark or error.mark
    char = _at(error.lines, mark)[1] or "["
    message = _(
        "a value beginning with {char} is read as a list or a mapping that is never closed; close it, "
        "or put the value in quotes"
    )
    return message.format(char=char), mark


def _block_rule(error: _Error) -> _Found:
    if "block" not in error.context or "expected" not in error.problem:
        return None
    return _block(error.line, error.column), error.mark


#: The slips, tried in order; the first that recognises the error explains it.
_RULES = (_tab, _unclosed_quote, _mapping_value, _simple_key, _reserved, _alias_or_tag, _flow, _block_rule)


def explain(error: yaml.MarkedYAMLError, text: str) -> Explained:
    """Name the slip behind a YAML syntax error and where to look, in the current language."""
    seen = _Error(
        yaml_lines(text), str(error.context or ""), str(error.problem or ""), error.problem_mark, error.context_mark
    )
    raw = " ".join(part for part in (seen.context, seen.problem) if part) or str(error)
    found = next((result for rule in _RULES if (result := rule(seen)) is not None), None)
    message, mark = (
        found
        if found is not None
        else (
            _("YAML cannot read the file here; check the quotes, colons and indentation of this line"),
            seen.mark,
        )
    )
    line, column = (0, 0) if mark is None else (int(mark.line), int(mark.column))
    return Explained(_("{explanation} (YAML: {raw})").format(explanation=message, raw=raw), line, column)


def silent_slips(
    text: str, nodes: Callable[[], Iterable[yaml.Node]], loader: type[yaml.SafeLoader] | None = None
) -> tuple[list[Explained], list[Explained]]:
    """Find the slips YAML parses without error but reads otherwise than meant.

    * an unquoted value beginning with ``&``: the word after it becomes an anchor's name and
      disappears from the value (refused unless an alias uses the anchor);
    * text right after `` #`` (one space, then ``#`` and text, as in ``Rapat #2``): YAML
      drops it as a comment. A comment meant as one is written with a space after ``#``.

    Returns the anchors (problems: the value is not what was written) and the comments (warnings:
    a comment is assumed). ``nodes`` gives the document's nodes, asked for only when a line may
    hold such a comment; ``loader`` parses the text again for its anchors, only when it has one.
    """
    anchors = _unused_anchors(text, yaml.parse(text, Loader=loader)) if loader and _has_anchor(text) else []
    comments: list[Explained] = []
    lines = yaml_lines(text) if " #" in text else []
    suspects = {number for number, line in enumerate(lines) if _HASH.search(line) and not line.lstrip().startswith("#")}
    if not suspects:
        return anchors, comments
    for node in nodes():
        end = node.end_mark
        if not isinstance(node, yaml.ScalarNode) or node.style not in {None, ""} or end.line not in suspects:
            continue
        line = lines[end.line]
        rest = line[end.column :]
        if node.value == "" and rest.lstrip().startswith("#") and rest.lstrip()[1:2].strip():
            dropped = rest.strip()
            message = _(
                "{dropped} is read as a comment, so the field is empty; to keep it, put the value in quotes"
            ).format(dropped=repr(dropped))
        elif node.value and rest.startswith(" #") and rest[2:3].strip():
            dropped, _space, meant = rest[1:].rstrip().partition(" # ")  # "Rapat #2 # note": "# note" is one
            comment = f"# {meant}" if meant else ""
            message = _(
                "{dropped} is read as a comment, so the value is {kept}; to keep it, put the whole value in quotes"
            ).format(dropped=repr(dropped), kept=repr(node.value))
            comments.append(
                Explained(message + _quote_hint(line, comment), int(end.line), len(line) - len(rest.lstrip()))
            )
            continue
        else:
            continue
        comments.append(Explained(message + _quote_hint(line), int(end.line), len(line) - len(rest.lstrip())))
    return anchors, comments


def _unused_anchors(text: str, events: Iterable[yaml.Event]) -> list[Explained]:
    """Anchors on plain values that no alias uses: ``&Badan Perencanaan`` meant as text."""
    anchors: dict[str, tuple[yaml.ScalarEvent, Any]] = {}
    used: set[str] = set()
    for event in events:
        if isinstance(event, yaml.AliasEvent):
            used.add(str(event.anchor))
        elif isinstance(event, yaml.ScalarEvent) and event.anchor and event.implicit[0] and event.start_mark:
            anchors.setdefault(str(event.anchor), (event, event.start_mark))
    lines = yaml_lines(text)
    found = []
    for name, (event, mark) in anchors.items():
        if name in used:
            continue
        line = lines[mark.line] if mark.line < len(lines) else ""
        written = f"&{name} {event.value}".rstrip()
        message = _(
            "{written} is read as the anchor {anchor} on the value {value}; put the whole value in quotes"
        ).format(written=repr(written), anchor=repr(name), value=repr(event.value))
        found.append(Explained(message + _quote_hint(line), int(mark.line), int(mark.column)))
    return found
