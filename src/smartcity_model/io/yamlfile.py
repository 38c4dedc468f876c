"""Safe YAML and JSON reading that remembers the line of every value and refuses alias bombs."""

from __future__ import annotations

import json
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

Path_ = tuple[str | int, ...]


@dataclass
class Parsed:
    """Data read from one file, with the line (1-based) of each path into the data."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 file (a byte-order mark is dropped), reporting failures as problems."""
    try:
        raw = path.read_bytes()
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


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader: plain data only, no Python objects."""


def _syntax(shown: str, error: yaml.MarkedYAMLError) -> MasterplanError:
    mark = error.problem_mark or error.context_mark
    line = None if mark is None else mark.line + 1
    message = " ".join(part for part in (error.context, error.problem) if part) or str(error)
    return MasterplanError([Problem("syntax-error", message, file=shown, line=line)], shown)


def _expanded_size(root: yaml.Node, shown: str) -> tuple[int, int]:
    """Return (distinct nodes, nodes after expanding aliases), refusing recursive aliases."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            line = node.start_mark.line + 1
            raise MasterplanError([Problem("alias-bomb", "an alias refers to itself", file=shown, line=line)], shown)
        active.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        active.discard(key)
        sizes[key] = total
        return total

    expanded = size(root)
    return len(sizes), expanded


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int], problems: list[Problem], shown: str) -> None:
    if isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            lines[(*path, index)] = child.start_mark.line + 1
            _walk(child, (*path, index), lines, problems, shown)
    elif isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key: str | int = key_node.value
            if key_node.tag == "tag:yaml.org,2002:int" and key_node.value.lstrip("-").isdigit():
                key = int(key_node.value)
            if key_node.value in seen:
                line = key_node.start_mark.line + 1
                problems.append(Problem("syntax-error", f"duplicate key {key_node.value!r}", file=shown, line=line))
            seen.add(key_node.value)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*path, key), lines, problems, shown)


def parse_yaml(text: str, shown: str) -> Parsed:
    """Parse one YAML document safely; syntax errors, duplicate keys and alias bombs are problems."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Parsed(None)
        distinct, expanded = _expanded_size(node, shown)
        if expanded > max(_ALIAS_FLOOR, ALIAS_EXPANSION_LIMIT * distinct):
            message = f"aliases expand {distinct:,} nodes to {expanded:,}; refusing to expand"
            raise MasterplanError([Problem("alias-bomb", message, file=shown, line=1)], shown)
        lines: dict[Path_, int] = {}
        problems: list[Problem] = []
        _walk(node, (), lines, problems, shown)
        if problems:
            raise MasterplanError(problems, shown)
        return Parsed(loader.construct_document(node), lines)
    except yaml.MarkedYAMLError as error:
        raise _syntax(shown, error) from None
    except yaml.YAMLError as error:
        raise MasterplanError([Problem("syntax-error", str(error), file=shown)], shown) from None
    except RecursionError:
        raise MasterplanError(
            [Problem("syntax-error", "the document is nested too deeply", file=shown)], shown
        ) from None
    finally:
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
    except json.JSONDecodeError as error:
        problem = Problem("syntax-error", error.msg, file=shown, line=error.lineno)
        raise MasterplanError([problem], shown) from None
    except ValueError as error:
        raise MasterplanError([Problem("syntax-error", str(error), file=shown)], shown) from None
