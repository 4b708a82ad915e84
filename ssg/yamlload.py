"""YAML loading that remembers the line of every mapping key and list item."""

from __future__ import annotations

from typing import Any

import yaml

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_ALIASES = 100


class LineMap(dict[str, Any]):
    """A dict from YAML that knows the 1-based line of each key (`line_of`)."""

    raw: dict[str, str] | None = None  # as written, for plain values YAML read as something else than text

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 0
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        """Return the line of `key`, or the mapping's own line when absent."""
        return self.key_lines.get(key, self.line)

    def written(self, key: str) -> str | None:
        """Return the value of `key` as written in the file, if YAML read it as a number, date or yes/no."""
        return self.raw.get(key) if self.raw else None


class LineList(list[Any]):
    """A list from YAML that knows the 1-based line of each item."""

    raw: dict[int, str] | None = None  # as written, for plain items YAML read as something else than text

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.line = 0
        self.item_lines: list[int] = []

    def written(self, index: int) -> str | None:
        """Return item `index` as written in the file, if YAML read it as a number, date or yes/no."""
        return self.raw.get(index) if self.raw else None


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader producing LineMap/LineList with lines offset into the host file."""

    line_offset = 0
    aliases_seen = 0

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineMap:
        result = LineMap()
        result.line = node.start_mark.line + 1 + self.line_offset
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be plain text", key_node.start_mark
                )
            skey = str(key)
            _refuse_duplicate(result, skey, key_node)
            result[skey] = self.construct_object(value_node, deep=deep)
            result.key_lines[skey] = key_node.start_mark.line + 1 + self.line_offset
        return result

    def construct_lines_seq(self, node: yaml.SequenceNode) -> LineList:
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1 + self.line_offset
        result.item_lines = [c.start_mark.line + 1 + self.line_offset for c in node.value]
        return result

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # Aliases let a few lines of YAML expand into gigabytes when walked ("billion laughs").
        # A node constructed before is reached again only through an alias, so counting those
        # caps the bomb early; front matter never needs many aliases.
        if node in self.constructed_objects:
            self.aliases_seen += 1
            if self.aliases_seen > MAX_ALIASES:
                raise yaml.constructor.ConstructorError(
                    None, None, f"too many YAML aliases (more than {MAX_ALIASES})", node.start_mark
                )
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            # PyYAML's constructors raise plain errors for values like 2026-02-30 or `!!int abc`.
            value = node.value if isinstance(node, yaml.ScalarNode) else node.tag
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {value!r} ({exc})", node.start_mark
            ) from None


    # The C parser asks this resolver for the tag of every node. PyYAML's general version also walks
    # path resolvers, which the safe loader never has: the plain version below saves a fifth of a load.
    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, pattern in _IMPLICIT.get(value[:1], _WILDCARD):
                    if pattern.match(value):
                        return str(tag)
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def construct_document(self, node: yaml.Node) -> Any:
        # PyYAML's generic construction (generators, deep flags, per-node resolver calls) costs
        # several times what the C parser does; front matter is plain maps, lists and scalars, so
        # those are built directly here and only other tags take PyYAML's path.
        try:
            return self._build(node)
        finally:
            self.constructed_objects: dict[yaml.Node, Any] = {}
            self.recursive_objects: dict[yaml.Node, None] = {}

    def _build(self, node: yaml.Node) -> Any:
        done = self.constructed_objects
        if node in done:
            if node in self.recursive_objects:
                raise yaml.constructor.ConstructorError(
                    None, None, "an alias refers to the list or mapping that contains it", node.start_mark
                )
            return self.construct_object(node)  # an alias: counted there
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag == _STR or tag in _TEXT_TAGS:
                return node.value
            return self.construct_object(node)
        if isinstance(node, yaml.MappingNode) and tag == _MAP:
            mapping = LineMap()
            done[node] = mapping
            mapping.line = node.start_mark.line + 1 + self.line_offset
            self.recursive_objects[node] = None
            self._fill(mapping, node)
            del self.recursive_objects[node]
            return mapping
        if isinstance(node, yaml.SequenceNode) and tag == _SEQ:
            items = LineList()
            done[node] = items
            items.line = node.start_mark.line + 1 + self.line_offset
            self.recursive_objects[node] = None
            items.extend(self._build(child) for child in node.value)
            del self.recursive_objects[node]
            for index, (item, child) in enumerate(zip(items, node.value, strict=True)):
                if item.__class__ is not str and item is not None and isinstance(child, yaml.ScalarNode):
                    if items.raw is None:
                        items.raw = {}
                    items.raw[index] = child.value
            items.item_lines = [c.start_mark.line + 1 + self.line_offset for c in node.value]
            return items
        return self.construct_object(node, deep=True)

    def _fill(self, mapping: LineMap, node: yaml.MappingNode) -> None:
        for key_node, value_node in node.value:
            key = self._build(key_node)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be plain text", key_node.start_mark
                )
            skey = str(key)
            _refuse_duplicate(mapping, skey, key_node)
            value = mapping[skey] = self._build(value_node)
            mapping.key_lines[skey] = key_node.start_mark.line + 1 + self.line_offset
            if value.__class__ is not str and value is not None and isinstance(value_node, yaml.ScalarNode):
                if mapping.raw is None:
                    mapping.raw = {}
                mapping.raw[skey] = value_node.value


def _refuse_duplicate(mapping: LineMap, key: str, key_node: yaml.Node) -> None:
    """A key given twice: PyYAML keeps the last value silently, hiding a copy-and-paste slip."""
    if key in mapping:
        message = f"the key '{key}' is given twice (first on line {mapping.key_lines[key]})"
        raise yaml.constructor.ConstructorError(None, None, message, key_node.start_mark)


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
# A lone "=" or "<<" resolves to these tags; PyYAML reads them as text, and so do we.
_TEXT_TAGS = ("tag:yaml.org,2002:value", "tag:yaml.org,2002:merge")
_WILDCARD = tuple(_Loader.yaml_implicit_resolvers.get(None, []))
_IMPLICIT = {
    first: tuple(found) + _WILDCARD for first, found in _Loader.yaml_implicit_resolvers.items() if first is not None
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineMap:
    return loader.construct_mapping(node, deep=True)


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    return loader.construct_lines_seq(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


class YamlError(Exception):
    """A YAML syntax error with the 1-based line in the host file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


MAX_DEPTH = 50


def _check_depth(text: str, line_offset: int) -> None:
    """Refuse deeply nested YAML before constructing it (construction recurses per level)."""
    # Flow collections nest once per bracket; block ones need more indentation per level
    # (a sequence may share its key's indentation): below this bound no scan is needed.
    indent = max((len(line) - len(line.lstrip(" ")) for line in text.split("\n")), default=0)
    if text.count("[") + text.count("{") + 2 * indent + 2 <= MAX_DEPTH:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = (event.start_mark.line + 1 if event.start_mark else 1) + line_offset
                    raise YamlError(line, f"YAML nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # the real load below reports it with its line


_CLOSERS = {"flow sequence": ("[", "]", "list"), "flow mapping": ("{", "}", "mapping")}


def _explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """Return the line (in `text`) and the message for a YAML error, said the way an author can act on it."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    problem = exc.problem or exc.context or "invalid YAML"
    kind = "YAML error" if isinstance(exc, yaml.constructor.ConstructorError) else "YAML syntax error"
    context = exc.context or ""
    for name, (opener, closer, what) in _CLOSERS.items():
        if name in context and exc.context_mark is not None and "did not find expected" in problem:
            # PyYAML notices a missing ']' only where the next key starts: say where the list opened.
            message = f"{kind}: the {what} opened with '{opener}' here is not closed with '{closer}'"
            return exc.context_mark.line + 1, message
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        return line, f"{kind}: a tab in the indentation; YAML allows only spaces there"
    return line, f"{kind}: {problem}"


def load(text: str, line_offset: int = 0) -> Any:
    """Parse `text`; lines reported are `line_offset` + the line inside `text`."""
    _check_depth(text, line_offset)
    loader = _Loader(text)
    loader.line_offset = line_offset
    loader.aliases_seen = 0
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        line, message = _explain(exc, text)
        raise YamlError(line + line_offset, message) from None
    except yaml.YAMLError as exc:
        raise YamlError(line_offset + 1, f"YAML error: {exc}") from None
    finally:
        loader.dispose()
