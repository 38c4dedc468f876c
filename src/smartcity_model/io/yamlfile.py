"""Safe YAML and JSON reading that remembers the line of every value and refuses alias bombs."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from smartcity_model.errors import MasterplanError, Problem

__all__ = ["ALIAS_EXPANSION_LIMIT", "Parsed", "parse_json", "parse_yaml", "read_text"]

#: A YAML document may expand through aliases to at most this many times its own node count
#: (and always to 100,000 nodes); beyond that it is refused as an alias bomb.
ALIAS_EXPANSION_LIMIT = 10
_ALIAS_FLOOR = 100_000
#: ... and always to a million characters.
_CHAR_FLOOR = 1_000_000

Path_ = tuple[str | int, ...]


@dataclass
class Parsed:
    """Data read from one file, with the line (1-based) of each path into the data."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)


#: The largest file read; a masterplan of a whole province is a few megabytes.
MAX_FILE_BYTES = 256 * 1024 * 1024


def _read_regular(path: Path, shown: str) -> bytes:
    """Read a regular file, refusing devices, pipes and sockets up front (they may never end)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            message = "not a regular file (a device, a pipe or a socket); refusing to read it"
            raise MasterplanError([Problem("file-unreadable", message, file=shown)], shown)
        if info.st_size > MAX_FILE_BYTES:
            message = f"{info.st_size:,} bytes; files over {MAX_FILE_BYTES:,} bytes are refused"
            raise MasterplanError([Problem("file-unreadable", message, file=shown)], shown)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(descriptor)


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 file (a byte-order mark is dropped), reporting failures as problems."""
    try:
        raw = _read_regular(path, shown)
    except FileNotFoundError:
        raise MasterplanError([Problem("file-missing", "file not found", file=shown)], shown) from None
    except OSError as error:
        raise MasterplanError([Problem("file-unreadable", error.strerror or str(error), file=shown)], shown) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problem = Problem("file-unreadable", f"not UTF-8 text (byte {error.start})", file=shown, line=line)
        raise MasterplanError([problem], shown) from None


#: Integers beyond this magnitude are refused: no field of a plan needs them, and Python cannot
#: even print one of more than 4,300 digits.
MAX_INTEGER = 2**63


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader: plain data only, no Python objects, and values that fail to build located."""

    def _located(self, node: yaml.ScalarNode, what: str, build: Any) -> Any:
        try:
            value = build(node)
        except (ValueError, OverflowError, TypeError) as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value[:40]!r} is not a valid {what} ({error})", node.start_mark
            ) from None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= MAX_INTEGER:
            message = f"the integer {node.value[:20]}... is too large (at most {MAX_INTEGER:,} in magnitude)"
            raise yaml.constructor.ConstructorError(None, None, message, node.start_mark)
        return value

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """Build an integer, located when it cannot be built or is beyond :data:`MAX_INTEGER`."""
        value: int = self._located(node, "integer", super().construct_yaml_int)
        return value

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        """Build a float, located when it cannot be built (``!!float abc``)."""
        value: float = self._located(node, "number", super().construct_yaml_float)
        return value

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """Build a date, located when it is not a real date (``2024-02-30``)."""
        return self._located(node, "date", super().construct_yaml_timestamp)


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _syntax(shown: str, error: yaml.MarkedYAMLError) -> MasterplanError:
    mark = error.problem_mark or error.context_mark
    line = None if mark is None else mark.line + 1
    message = " ".join(part for part in (error.context, error.problem) if part) or str(error)
    return MasterplanError([Problem("syntax-error", message, file=shown, line=line)], shown)


def _expanded_size(root: yaml.Node, shown: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """Return (nodes, characters) of the document as written and after expanding its aliases.

    Recursive aliases are refused.
    """
    sizes: dict[int, tuple[int, int]] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> tuple[int, int]:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            line = node.start_mark.line + 1
            raise MasterplanError([Problem("alias-bomb", "an alias refers to itself", file=shown, line=line)], shown)
        active.add(key)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        parts = [size(child) for child in children]
        total = (
            1 + sum(p[0] for p in parts),
            (len(node.value) if isinstance(node, yaml.ScalarNode) else 0) + sum(p[1] for p in parts),
        )
        active.discard(key)
        sizes[key] = total
        return total

    expanded = size(root)
    written = (len(sizes), sum(len(n.value) for n in _distinct_scalars(root)))
    return written, expanded


def _distinct_scalars(root: yaml.Node) -> list[yaml.ScalarNode]:
    """Every scalar node of the document once, however often aliases repeat it."""
    seen: dict[int, yaml.ScalarNode] = {}
    stack = [root]
    visited: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            seen[id(node)] = node
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
    return list(seen.values())


def _key(loader: _Loader, key_node: yaml.ScalarNode) -> str | int:
    """Return the key as the plan will see it: ``2026`` and ``0x7ea`` are the same year."""
    try:
        value = loader.construct_object(key_node)
    except yaml.YAMLError:
        return str(key_node.value)  # reported, with its line, when the document is built
    return value if isinstance(value, int) and not isinstance(value, bool) else str(key_node.value)


def _walk(  # noqa: PLR0913 - the walk's state, passed down
    loader: _Loader, node: yaml.Node, path: Path_, lines: dict[Path_, int], problems: list[Problem], *, shown: str
) -> None:
    if isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            lines[(*path, index)] = child.start_mark.line + 1
            _walk(loader, child, (*path, index), lines, problems, shown=shown)
    elif isinstance(node, yaml.MappingNode):
        seen: set[str | int] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = _key(loader, key_node)
            if key in seen:
                line = key_node.start_mark.line + 1
                problems.append(Problem("syntax-error", f"duplicate key {key_node.value!r}", file=shown, line=line))
            seen.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _walk(loader, value_node, (*path, key), lines, problems, shown=shown)


def _reader_problem(error: yaml.reader.ReaderError, text: str, shown: str) -> Problem:
    """Locate a character YAML does not allow (a control character, say)."""
    line = text[: error.position].count("\n") + 1
    shown_char = repr(chr(error.character)) if isinstance(error.character, int) else repr(error.character)
    message = f"the character {shown_char} is not allowed in YAML (write it as an escape in double quotes)"
    return Problem("syntax-error", message, file=shown, line=line)


def parse_yaml(text: str, shown: str) -> Parsed:
    """Parse one YAML document safely; any text gives a plan's data or located problems.

    Syntax errors, characters YAML does not allow, values that cannot be built (``2024-02-30``),
    integers beyond :data:`MAX_INTEGER`, duplicate keys (``2026`` and ``0x7ea`` are the same),
    documents nested too deeply and aliases that expand the document more than
    :data:`ALIAS_EXPANSION_LIMIT` times (in nodes or in characters) are all problems.
    """
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return Parsed(None)
        (nodes, chars), (expanded_nodes, expanded_chars) = _expanded_size(node, shown)
        if expanded_nodes > max(_ALIAS_FLOOR, ALIAS_EXPANSION_LIMIT * nodes) or expanded_chars > max(
            _CHAR_FLOOR, ALIAS_EXPANSION_LIMIT * chars
        ):
            message = (
                f"aliases expand {nodes:,} nodes and {chars:,} characters to {expanded_nodes:,} nodes and "
                f"{expanded_chars:,} characters; refusing to expand"
            )
            raise MasterplanError([Problem("alias-bomb", message, file=shown, line=1)], shown)
        lines: dict[Path_, int] = {}
        problems: list[Problem] = []
        _walk(loader, node, (), lines, problems, shown=shown)
        if problems:
            raise MasterplanError(problems, shown)
        return Parsed(loader.construct_document(node), lines)
    except yaml.reader.ReaderError as error:
        raise MasterplanError([_reader_problem(error, text, shown)], shown) from None
    except yaml.MarkedYAMLError as error:
        raise _syntax(shown, error) from None
    except yaml.YAMLError as error:
        raise MasterplanError([Problem("syntax-error", str(error), file=shown)], shown) from None
    except RecursionError:
        raise MasterplanError(
            [Problem("syntax-error", "the document is nested too deeply", file=shown)], shown
        ) from None
    finally:
        if loader is not None:
            loader.dispose()


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            msg = f"duplicate key {key!r}"
            raise ValueError(msg)
        result[key] = value
    return result


def _reject_constant(name: str) -> float:
    msg = f"{name} is not a number"
    raise ValueError(msg)


def parse_json(text: str, shown: str) -> Parsed:
    """Parse JSON strictly (no NaN, no duplicate keys); errors name the line."""
    if not text.strip():
        return Parsed(None)
    try:
        return Parsed(json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant))
    except RecursionError:
        problem = Problem("syntax-error", "the document is nested too deeply", file=shown)
        raise MasterplanError([problem], shown) from None
    except json.JSONDecodeError as error:
        problem = Problem("syntax-error", error.msg, file=shown, line=error.lineno)
        raise MasterplanError([problem], shown) from None
    except ValueError as error:
        raise MasterplanError([Problem("syntax-error", str(error), file=shown)], shown) from None
