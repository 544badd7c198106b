"""Reading YAML that may be hostile: a few bytes of aliases can stand for billions of
nodes (an "alias bomb"), and deep nesting exhausts the stack. Configuration files and
rule packs are composed first (aliases stay shared, so this is cheap), measured, and
constructed only when their expanded size and depth are reasonable."""
from __future__ import annotations

from typing import Any

import yaml

#: Nodes a document may stand for once its aliases are expanded. The shipped packs
#: together expand to ~60,000; a configuration file to a few hundred.
MAX_NODES = 2_000_000
MAX_DEPTH = 100


class YAMLTooLarge(Exception):
    """A document whose aliases expand beyond reason, or nested too deep."""


def expanded_size(root: yaml.Node, limit: int = MAX_NODES, max_depth: int = MAX_DEPTH) -> int:
    """Nodes ``root`` stands for with every alias expanded; stops as soon as ``limit`` or
    ``max_depth`` is passed. Each distinct node is measured once, so the cost is linear
    in the document, whatever it expands to."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        if depth > max_depth:
            raise YAMLTooLarge(f"nested more than {max_depth} levels deep")
        if id(node) in sizes:
            continue
        children = _children(node)
        if not done:
            stack.append((node, depth, True))
            stack.extend((c, depth + 1, False) for c in children if id(c) not in sizes)
            continue
        total = 1 + sum(sizes.get(id(c), 0) for c in children)
        if total > limit:
            raise YAMLTooLarge(f"its aliases expand to more than {limit:,} values (an alias bomb?)")
        sizes[id(node)] = total
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def load(text: str, loader_class: Any, limit: int = MAX_NODES) -> tuple[Any, yaml.Node | None]:
    """Compose, measure, then construct one document with ``loader_class``; returns the
    data and its node (None for an empty document). YAML errors propagate as YAMLError."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        expanded_size(node, limit)
        try:
            return loader.construct_document(node), node
        except RecursionError:
            raise YAMLTooLarge(f"nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()
