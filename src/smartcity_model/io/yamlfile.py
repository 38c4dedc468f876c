"""Safe YAML and JSON reading that remembers the line of every value and refuses alias bombs."""

from __future__ import annotations

import bisect
import io
import itertools
import json
import os
import re
import stat
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from smartcity_model.errors import MasterplanError, Problem, warn_caller
from smartcity_model.i18n import N_, _
from smartcity_model.io.yamlhelp import Explained, explain, silent_slips
from smartcity_model.numerals import read_number

__all__ = [
    "ALIAS_EXPANSION_LIMIT",
    "LIBYAML",
    "Parsed",
    "format_yaml",
    "parse_json",
    "parse_yaml",
    "read_bytes",
    "read_text",
]

#: A YAML document may expand through aliases to at most this many times its own node count
#: (and always to 100,000 nodes); beyond that it is refused as an alias bomb.
ALIAS_EXPANSION_LIMIT = 10
_ALIAS_FLOOR = 100_000
#: ... and always to a million characters.
_CHAR_FLOOR = 1_000_000

Path_ = tuple[str | int, ...]

#: True when PyYAML was built with libyaml: files are then parsed and written by its C code,
#: several times faster than the pure-Python parser, which remains the fallback.
LIBYAML: bool = bool(getattr(yaml, "__with_libyaml__", False))


#: Characters YAML counts as line breaks and text editors do not.
_YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")


class _Lines:
    """Turn a YAML mark into the line a text editor shows (YAML also breaks lines at NEL, U+2028, U+2029)."""

    def __init__(self, text: str) -> None:
        self.extra = [match.start() for match in _YAML_ONLY_BREAKS.finditer(text)]
        self._text = text if self.extra else ""

    def of(self, mark: yaml.Mark) -> int:
        """Return the editor's 1-based line of ``mark``."""
        if not self.extra:
            return int(mark.line) + 1
        return int(mark.line) + 1 - bisect.bisect_left(self.extra, mark.index)

    def of_line(self, line: int) -> int:
        """Return the editor's 1-based line of YAML's 0-based ``line``."""
        if not self.extra:
            return line + 1
        ends = [number for number, match in enumerate(_ALL_BREAKS.finditer(self._text)) if match.group() in _ONLY]
        return line + 1 - bisect.bisect_left(ends, line)


_ALL_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_ONLY = frozenset("\x85\u2028\u2029")


_PLAIN_LINES = _Lines("")


class Parsed:
    """Data read from one file, with the line (1-based) of each path into the data.

    The lines of a YAML file are found only when asked for (to locate a problem): a plan that
    loads cleanly never pays for them.
    """

    def __init__(
        self,
        data: Any,
        lines: dict[Path_, int] | None = None,
        *,
        root: yaml.Node | None = None,
        breaks: _Lines = _PLAIN_LINES,
        doubtful: Sequence[Problem] = (),
    ) -> None:
        self.data = data
        self._lines = lines
        self._root = root
        self._breaks = breaks
        self.doubtful = tuple(doubtful)
        """Located problems with values that were read one way but may be meant another (``1.250``)."""

    @property
    def lines(self) -> Mapping[Path_, int]:
        """Line of every path into :attr:`data` that the file shows (keys and list items)."""
        if self._lines is None:
            self._lines = {} if self._root is None else _node_lines(self._root, self._breaks)
            self._root = None
        return self._lines


#: The largest file read; a masterplan of a whole province is a few megabytes.
MAX_FILE_BYTES = 256 * 1024 * 1024


def _read_regular(path: Path, shown: str) -> bytes:
    """Read a regular file, refusing devices, pipes and sockets up front (they may never end)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            message = _("a folder, where a file is expected")
            raise MasterplanError([Problem("file-unreadable", message, file=shown)], shown)
        if not stat.S_ISREG(info.st_mode):
            message = _("not a regular file (a device, a pipe or a socket); refusing to read it")
            raise MasterplanError([Problem("file-unreadable", message, file=shown)], shown)
        if info.st_size > MAX_FILE_BYTES:
            message = _("{size} bytes; files over {limit} bytes are refused").format(
                size=f"{info.st_size:,}", limit=f"{MAX_FILE_BYTES:,}"
            )
            raise MasterplanError([Problem("file-unreadable", message, file=shown)], shown)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(descriptor)


def read_bytes(path: Path, shown: str) -> bytes:
    """Read a regular file's bytes, reporting a missing or unreadable file as a problem."""
    try:
        return _read_regular(path, shown)
    except FileNotFoundError:
        raise MasterplanError([Problem("file-missing", _("file not found"), file=shown)], shown) from None
    except OSError as error:
        message = _("cannot be read ({reason})").format(reason=error.strerror or error)
        raise MasterplanError([Problem("file-unreadable", message, file=shown)], shown) from None


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 file (a byte-order mark is dropped), reporting failures as problems."""
    raw = read_bytes(path, shown)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        message = _("not UTF-8 text (byte {byte})").format(byte=error.start)
        problem = Problem("file-unreadable", message, file=shown, line=line)
        raise MasterplanError([problem], shown) from None


#: Integers beyond this magnitude are refused: no field of a plan needs them, and Python cannot
#: even print one of more than 4,300 digits.
MAX_INTEGER = 2**63
#: Longer integers are refused before Python is asked to build them.
_MAX_DIGITS = 64
#: Plain decimal integers this short are built directly: they are well within :data:`MAX_INTEGER`.
_SHORT_INTEGER = 18
_MERGE = "tag:yaml.org,2002:merge"
#: A plain number with one dot and three digits after it: thousands to an Indonesian reader.
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")
_STR = "tag:yaml.org,2002:str"
#: Values PyYAML fails to build, by what they were meant to be.
_NOT_VALID = {
    "integer": N_("{value} is not a valid integer ({reason})"),
    "number": N_("{value} is not a valid number ({reason})"),
    "date": N_("{value} is not a valid date ({reason}); write dates as YYYY-MM-DD"),
}


class _Refused(yaml.constructor.ConstructorError):
    """A value refused by this module's constructor, with a message already in plain words."""


class _Resolver(yaml.resolver.Resolver):
    """PyYAML's resolver, remembering the tag of each plain scalar it has seen (ids repeat a lot)."""

    def __init__(self) -> None:
        super().__init__()
        self._plain: dict[str, str] = {}

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """Return the tag of a node; a plain scalar's depends on its text alone."""
        if kind is yaml.ScalarNode and not self.yaml_path_resolvers:
            if not implicit[0]:
                return _STR  # a quoted scalar is a string
            tag = self._plain.get(value)
            if tag is None:
                tag = self._plain[value] = self._resolve(kind, value, implicit)
            return tag
        return self._resolve(kind, value, implicit)

    def _resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        tag: str = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag


class _Constructor(yaml.constructor.SafeConstructor):
    """PyYAML's safe constructor: plain data only, values that fail to build located, duplicate keys found."""

    def __init__(self) -> None:
        super().__init__()
        self.duplicates: list[tuple[str, yaml.Mark]] = []
        self.ambiguous: list[tuple[str, yaml.Mark]] = []
        """Plain numbers that read two ways (``1.250``), with why: built, and reported by the caller."""
        self._flattened: dict[int, int] = {}
        self.merges = True
        """Whether the document may hold merge keys (``<<``) or value keys (``=``), which mappings flatten."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:  # noqa: FBT001, FBT002 - PyYAML hook
        """Build a node's value; a string is its own text, with no dispatch."""
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        return super().construct_object(node, deep=deep)

    def _located(self, node: yaml.ScalarNode, what: str, build: Any) -> Any:
        text = str(node.value)
        if what == "integer" and len(text) > _MAX_DIGITS and sum(char.isalnum() for char in text) > _MAX_DIGITS:
            message = _("the integer {start}... is too large (more than {n} digits)").format(
                start=str(node.value)[:20], n=_MAX_DIGITS
            )
            raise _Refused(None, None, message, node.start_mark)
        try:
            value = build(node)
        except (ValueError, OverflowError, TypeError, IndexError) as error:
            message = _(_NOT_VALID[what]).format(value=repr(node.value[:40]), reason=error or _("empty"))
            raise _Refused(None, None, message, node.start_mark) from None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= MAX_INTEGER:
            message = _("the integer {start}... is too large (it must lie strictly between -{limit} and {limit})")
            message = message.format(start=node.value[:20], limit=f"{MAX_INTEGER:,}")
            raise _Refused(None, None, message, node.start_mark)
        return value

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """Build an integer, located when it cannot be built or is beyond :data:`MAX_INTEGER`."""
        text = node.value if isinstance(node, yaml.ScalarNode) else ""
        digits = text[1:] if text[:1] == "-" else text
        if 0 < len(digits) <= _SHORT_INTEGER and digits.isascii() and digits.isdigit() and digits[0] != "0":
            return int(text)  # plain decimal (a leading 0 is octal in YAML 1.1): nothing to check
        value: int = self._located(node, "integer", super().construct_yaml_int)
        return value

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        """Build a float, located when it cannot be built (``!!float abc``) or is ambiguous (``1.250``).

        ``1.250`` is one thousand two hundred and fifty to an Indonesian reader; a plain number
        written so is noted in :attr:`ambiguous`, to be refused with both readings (``1250`` or
        ``1.25`` say it plainly).
        """
        if not node.style and _AMBIGUOUS.fullmatch(str(node.value)):  # plain: None in Python, "" in libyaml
            try:
                read_number(str(node.value))
            except ValueError as error:
                self.ambiguous.append((str(error), node.start_mark))
        value: float = self._located(node, "number", super().construct_yaml_float)
        return value

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """Build a date, located when it is not a real date (``2024-02-30``)."""
        return self._located(node, "date", super().construct_yaml_timestamp)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:  # noqa: FBT001, FBT002 - PyYAML hook
        """Build a mapping, noting keys written twice (``2026`` and ``0x7ea`` are the same key).

        Keys brought in by a merge (``<<: *base``) may be overridden; keys written in the
        mapping itself may not.
        """
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        merged = self._flattened.get(id(node)) if self.merges else 0
        if merged is None:
            own = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE)
            self.flatten_mapping(node)
            merged = self._flattened[id(node)] = len(node.value) - own
        mapping: dict[Any, Any] = {}
        written: set[Any] = set()
        for position, (key_node, value_node) in enumerate(node.value):
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                message = _("a list or a mapping cannot be a key; write a plain name before the colon")
                raise _Refused(None, None, message, key_node.start_mark)
            if position >= merged:
                if key in written:
                    self.duplicates.append((str(key_node.value), key_node.start_mark))
                written.add(key)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def _no_binary(_constructor: _Constructor, node: yaml.Node) -> Any:
    """Refuse ``!!binary``: a plan holds text, and bytes would not come back as they were written."""
    message = _("binary data (!!binary) is not plan data; write the text itself")
    raise _Refused(None, None, message, node.start_mark)


_Constructor.yaml_constructors = {
    **yaml.constructor.SafeConstructor.yaml_constructors,
    "tag:yaml.org,2002:int": _Constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _Constructor.construct_yaml_float,
    "tag:yaml.org,2002:timestamp": _Constructor.construct_yaml_timestamp,
    "tag:yaml.org,2002:binary": _no_binary,
}


class _PyLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _Constructor,
    _Resolver,
):
    """The pure-Python safe loader, used where PyYAML was built without libyaml."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


_Loader: type[Any] = _PyLoader
_EventLoader: type[yaml.SafeLoader] = yaml.SafeLoader
if LIBYAML:
    _EventLoader = yaml.CSafeLoader  # type: ignore[assignment]
    from yaml._yaml import CParser

    class _CLoader(CParser, _Constructor, _Resolver):
        """libyaml's parser (with line marks) under the same safe, checked constructor."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Constructor.__init__(self)
            _Resolver.__init__(self)

    _Loader = _CLoader


def _syntax(shown: str, error: yaml.MarkedYAMLError, text: str, breaks: _Lines = _PLAIN_LINES) -> MasterplanError:
    """Turn a YAML error into a problem at its line and column, explained in plain words."""
    if isinstance(error, _Refused) and error.problem_mark is not None:
        mark = error.problem_mark
        line, column, message = breaks.of(mark), int(mark.column) + 1, str(error.problem)
    else:
        explained = explain(error, text)
        line, column, message = breaks.of_line(explained.line), explained.column + 1, explained.message
    return MasterplanError([Problem("syntax-error", message, file=shown, line=line, column=column)], shown)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _expanded_size(
    root: yaml.Node, shown: str, breaks: _Lines = _PLAIN_LINES
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Return (nodes, characters) of the document as written and after expanding its aliases.

    Recursive aliases are refused. The walk is iterative, so any depth the parser allows is fine.
    """
    sizes: dict[int, tuple[int, int]] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            parts = [sizes[id(child)] for child in _children(node)]
            own = len(node.value) if isinstance(node, yaml.ScalarNode) else 0
            sizes[key] = (1 + sum(p[0] for p in parts), own + sum(p[1] for p in parts))
            active.discard(key)
            continue
        if key in sizes:
            continue
        if key in active:
            line = breaks.of(node.start_mark)
            message = _("an alias refers to itself")
            raise MasterplanError([Problem("alias-bomb", message, file=shown, line=line)], shown)
        active.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    scalars = sum(len(n.value) for n in _distinct_nodes(root) if isinstance(n, yaml.ScalarNode))
    return (len(sizes), scalars), sizes[id(root)]


def _distinct_nodes(root: yaml.Node) -> list[yaml.Node]:
    """Every node of the document once, however often aliases repeat it."""
    seen: dict[int, yaml.Node] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen[id(node)] = node
            stack.extend(_children(node))
    return list(seen.values())


def _check_aliases(root: yaml.Node, shown: str, breaks: _Lines = _PLAIN_LINES) -> None:
    """Refuse aliases that expand the document beyond :data:`ALIAS_EXPANSION_LIMIT` times its size."""
    (nodes, chars), (expanded_nodes, expanded_chars) = _expanded_size(root, shown, breaks)
    if expanded_nodes > max(_ALIAS_FLOOR, ALIAS_EXPANSION_LIMIT * nodes) or expanded_chars > max(
        _CHAR_FLOOR, ALIAS_EXPANSION_LIMIT * chars
    ):
        message = _(
            "aliases expand {nodes} nodes and {chars} characters to {expanded_nodes} nodes and "
            "{expanded_chars} characters; refusing to expand"
        ).format(
            nodes=f"{nodes:,}",
            chars=f"{chars:,}",
            expanded_nodes=f"{expanded_nodes:,}",
            expanded_chars=f"{expanded_chars:,}",
        )
        raise MasterplanError([Problem("alias-bomb", message, file=shown, line=1)], shown)


def _key(constructor: _Constructor, key_node: yaml.Node) -> str | int:
    """Return the key as the plan's data has it: ``2026`` and ``0x7ea`` are the same year."""
    if not isinstance(key_node, yaml.ScalarNode):
        return str(key_node.start_mark)
    try:
        value = constructor.construct_object(key_node)
    except (yaml.YAMLError, RecursionError):
        return str(key_node.value)
    return value if isinstance(value, int) and not isinstance(value, bool) else str(key_node.value)


def _node_lines(root: yaml.Node, breaks: _Lines = _PLAIN_LINES) -> dict[Path_, int]:
    """Map every path into the document (mapping keys, list positions) to its 1-based line."""
    constructor = _Constructor()
    lines: dict[Path_, int] = {}
    stack: list[tuple[yaml.Node, Path_]] = [(root, ())]
    visited: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in visited:  # an alias: its lines are where the anchor was written
            continue
        visited.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            for index, child in enumerate(node.value):
                lines[(*path, index)] = breaks.of(child.start_mark)
                stack.append((child, (*path, index)))
        elif isinstance(node, yaml.MappingNode):
            # the last pair of a key is the one the data holds (a merged key may be overridden)
            pairs = {_key(constructor, k): (k, v) for k, v in node.value if k.tag != _MERGE}
            for key, (key_node, value_node) in pairs.items():
                lines[(*path, key)] = breaks.of(key_node.start_mark)
                stack.append((value_node, (*path, key)))
    return lines


def _reader_problem(error: yaml.reader.ReaderError, text: str, shown: str) -> Problem:
    """Locate a character YAML does not allow (a control character, say)."""
    # libyaml counts the position in bytes of UTF-8, the pure-Python reader in characters.
    before = text.encode("utf-8")[: error.position].decode("utf-8", "ignore") if _Loader is not _PyLoader else None
    upto = text[: error.position] if before is None else before
    line = upto.count("\n") + 1
    column = len(upto) - (upto.rfind("\n") + 1) + 1
    shown_char = repr(chr(error.character)) if isinstance(error.character, int) else repr(error.character)
    message = _("the character {char} is not allowed in YAML (write it as an escape in double quotes)")
    return Problem("syntax-error", message.format(char=shown_char), file=shown, line=line, column=column)


def parse_yaml(text: str, shown: str, *, defer_doubtful: bool = False) -> Parsed:
    """Parse one YAML document safely; any text gives a plan's data or located problems.

    Syntax errors, characters YAML does not allow, values that cannot be built (``2024-02-30``),
    integers beyond :data:`MAX_INTEGER`, duplicate keys (``2026`` and ``0x7ea`` are the same),
    documents nested too deeply and aliases that expand the document more than
    :data:`ALIAS_EXPANSION_LIMIT` times (in nodes or in characters) are all problems. So is a
    plain number that reads two ways (``1.250``), unless ``defer_doubtful``: it is then in
    :attr:`Parsed.doubtful`, for a caller that knows whether the field wanted a number at all.
    """
    loader = None
    breaks = _Lines(text)
    try:
        loader = _Loader(text)
        loader.merges = "<<" in text or "=" in text
        node = loader.get_single_node()
        if node is None:
            return Parsed(None, {})
        if "*" in text:  # an alias is written ``*name``: without one, nothing can expand
            _check_aliases(node, shown, breaks)
        data = loader.construct_document(node)
        problems = [
            Problem(
                "syntax-error",
                _("duplicate key {key}: write each key once, and keep one of the two").format(key=repr(key)),
                file=shown,
                line=breaks.of(mark),
                column=int(mark.column) + 1,
            )
            for key, mark in loader.duplicates
        ]
        anchors, comments = silent_slips(text, lambda: _distinct_nodes(node), _EventLoader)
        problems += [_slip("syntax-error", slip, shown, breaks) for slip in anchors]
        doubtful = [
            Problem("ambiguous-number", message, file=shown, line=breaks.of(mark), column=int(mark.column) + 1)
            for message, mark in loader.ambiguous
        ]
        if problems or (doubtful and not defer_doubtful):
            raise MasterplanError([*problems, *([] if defer_doubtful else doubtful)], shown)
        for slip in comments:
            warn_caller(str(_slip("syntax-error", slip, shown, breaks)).removesuffix(" [syntax-error]"))
        return Parsed(data, root=node, breaks=breaks, doubtful=doubtful)
    except yaml.reader.ReaderError as error:
        raise MasterplanError([_reader_problem(error, text, shown)], shown) from None
    except yaml.MarkedYAMLError as error:
        raise _syntax(shown, error, text, breaks) from None
    except yaml.YAMLError as error:
        raise MasterplanError([Problem("syntax-error", str(error), file=shown)], shown) from None
    except RecursionError:
        raise MasterplanError([Problem("syntax-error", _(_TOO_DEEP), file=shown)], shown) from None
    finally:
        if loader is not None:
            loader.dispose()


def _slip(code: str, slip: Explained, shown: str, breaks: _Lines) -> Problem:
    return Problem(code, slip.message, file=shown, line=breaks.of_line(slip.line), column=slip.column + 1)


_TOO_DEEP = N_("the document is nested too deeply")


# ---------------------------------------------------------------------------------------- write

_FLOW_ITEMS = 12
_FLOW_KEYS = 4
_SCALARS = (str, int, float, bool)
_INT = "tag:yaml.org,2002:int"


class _Representer(yaml.representer.SafeRepresenter):
    """Plain data as YAML nodes, never with anchors (a saved plan spells every value out).

    Short lists of plain values go on one line (``[a, b]``), and so do small records of plain
    values (``{year: 2024, value: 1.2}``); strings holding a Unicode line break (NEL, U+2028,
    U+2029) are double-quoted, as plain and single-quoted strings would fold it into a space.
    """

    def ignore_aliases(self, data: Any) -> bool:  # noqa: ARG002 - PyYAML hook signature
        return True

    def represent_data(self, data: Any) -> yaml.Node:
        """Return the node of ``data``: strings, integers, lists and dicts directly, the rest by PyYAML."""
        kind = type(data)
        if kind is str:
            quoted = "\x85" in data or "\u2028" in data or "\u2029" in data
            return yaml.ScalarNode(_STR, data, style='"' if quoted else None)
        if kind is int:
            return yaml.ScalarNode(_INT, str(data))
        if kind is float:
            node = super().represent_data(data)
            # 1.125 is written 1.1250, which no one reads as thousands
            if isinstance(node, yaml.ScalarNode) and _AMBIGUOUS.fullmatch(node.value):
                node.value += "0"
            return node
        if kind is dict:
            flat = len(data) <= _FLOW_KEYS and "name" not in data and "id" not in data
            flat = flat and bool(data) and all(type(value) in _SCALARS for value in data.values())
            pairs = [(self.represent_data(key), self.represent_data(value)) for key, value in data.items()]
            return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=flat)
        if kind is list:
            flat = len(data) <= _FLOW_ITEMS and all(type(item) in _SCALARS for item in data)
            items = [self.represent_data(item) for item in data]
            return yaml.SequenceNode("tag:yaml.org,2002:seq", items, flow_style=flat)
        return super().represent_data(data)


class _PyDumper(yaml.emitter.Emitter, yaml.serializer.Serializer, _Representer, _Resolver):
    """The pure-Python writer, used where PyYAML was built without libyaml."""

    def __init__(self, stream: Any) -> None:
        yaml.emitter.Emitter.__init__(self, stream, allow_unicode=True, width=_WIDTH)
        yaml.serializer.Serializer.__init__(self)
        _Representer.__init__(self, default_flow_style=False, sort_keys=False)
        _Resolver.__init__(self)


_WIDTH = 100
_Dumper: type[Any] = _PyDumper
if LIBYAML:
    from yaml._yaml import CEmitter

    class _CDumper(CEmitter, _Representer, _Resolver):
        """libyaml's writer under the same representer."""

        def __init__(self, stream: Any) -> None:
            CEmitter.__init__(self, stream, allow_unicode=True, width=_WIDTH)
            _Representer.__init__(self, default_flow_style=False, sort_keys=False)
            _Resolver.__init__(self)

    _Dumper = _CDumper


def format_yaml(data: Any) -> str:
    """Write plain data as one YAML document, in the data's own order and never with anchors."""
    out = io.StringIO()
    dumper = _Dumper(out)
    try:
        dumper.open()
        dumper.represent(data)
        dumper.close()
    finally:
        dumper.dispose()
    return out.getvalue()


# ---------------------------------------------------------------------------------------- JSON


class _JsonValueError(ValueError):
    """A JSON value refused while it is built, with the pattern that finds it in the text (JSON gives no place)."""

    def __init__(self, message: str, pattern: str, occurrence: int = 1) -> None:
        super().__init__(message)
        self.pattern, self.occurrence = pattern, occurrence


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            msg = _("duplicate key {key}: write each key once, and keep one of the two").format(key=repr(key))
            raise _JsonValueError(msg, re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", 2)
        result[key] = value
    return result


def _reject_constant(name: str) -> float:
    msg = _("{name} is not a number").format(name=name)
    raise _JsonValueError(msg, rf"(?<![\w\"]){re.escape(name)}(?![\w\"])")


def _bounded_int(text: str) -> int:
    """Build a JSON integer; one longer than :data:`_MAX_DIGITS` digits is refused before Python builds it."""
    if len(text.lstrip("-")) > _MAX_DIGITS:
        message = _("the integer {start}... is too large (more than {n} digits)").format(start=text[:20], n=_MAX_DIGITS)
        raise _JsonValueError(message, re.escape(text))
    return int(text)


def _json_line(text: str, error: ValueError) -> int | None:
    """Return the line of the value a hook refused, found by its pattern (``None`` if it cannot be found)."""
    if not isinstance(error, _JsonValueError):
        return None
    found = list(itertools.islice(re.finditer(error.pattern, text), error.occurrence))
    return text.count("\n", 0, found[-1].start()) + 1 if len(found) == error.occurrence else None


def parse_json(text: str, shown: str) -> Parsed:
    """Parse JSON strictly (no NaN, no duplicate keys); errors name the line."""
    if not text.strip():
        return Parsed(None)
    try:
        data = json.loads(
            text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant, parse_int=_bounded_int
        )
        return Parsed(data)
    except RecursionError:
        problem = Problem("syntax-error", _(_TOO_DEEP), file=shown)
        raise MasterplanError([problem], shown) from None
    except json.JSONDecodeError as error:
        message = _("JSON cannot be read here ({reason}); check the quotes, commas and brackets").format(
            reason=error.msg
        )
        problem = Problem("syntax-error", message, file=shown, line=error.lineno, column=error.colno)
        raise MasterplanError([problem], shown) from None
    except ValueError as error:
        problem = Problem("syntax-error", str(error), file=shown, line=_json_line(text, error))
        raise MasterplanError([problem], shown) from None
