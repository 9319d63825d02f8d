"""The params people write at the top of a cell, read from its source without running anything:
`lr = 0.01`, `cfg = dict(lr=0.1, epochs=5)`, `frac = 1 - 0.75`, `sizes = (64, 32)`,
`name = f"rf-{depth}"`, `eps = np.float32(1e-3)`. Names bound by earlier literal assignments of the
same cell may be used (`steps = epochs * 100`); anything else (a call, a variable from another
cell) makes the assignment not a param.
"""

from __future__ import annotations

import ast
import operator
from typing import Any

# `np.float32(0.1)`, `float("1e-3")`: a number written through a type; the param is the literal.
_FLOAT_TYPES = {
    "float",
    "float16",
    "float32",
    "float64",
    "float128",
    "longdouble",
    "double",
    "half",
    "single",
}
_INT_TYPES = {
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "intp",
    "uint",
}
_TYPES = {
    **dict.fromkeys(_FLOAT_TYPES, float),
    **dict.fromkeys(_INT_TYPES, int),
    "str": str,
    "bool": bool,
}
_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
}  # fmt: skip
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_}
_MAX_TEXT = 10_000  # `"x" * 10**9` is not a param
_MAX_EXPONENT = 256
# `scores = []` then `scores.append(x)`: the literal is not what the cell left, so it is no param
_MUTATORS = {
    "append",
    "extend",
    "insert",
    "pop",
    "remove",
    "clear",
    "sort",
    "reverse",
    "update",
    "setdefault",
    "popitem",
    "add",
    "discard",
}


class _NotLiteral(Exception):
    """The expression is not built from literals alone."""


def literal_params(source: str, before_line: int | None = None) -> dict[str, Any]:
    """The top-level assignments of literal values in `source` (later ones win); with
    `before_line`, only the statements that end before that line (those of a cell that failed there).

    >>> literal_params("lr = 0.01\\ncfg = dict(depth=3)\\nfrac = 1 - 0.75\\nmodel = make(lr)")
    {'lr': 0.01, 'cfg': {'depth': 3}, 'frac': 0.25}
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return {}
    found: dict[str, Any] = {}
    known: dict[str, Any] = {}  # literal values of this cell so far, for the expressions below
    for node in tree.body:
        if before_line is not None and (node.end_lineno or node.lineno) >= before_line:
            break
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            for name in _names_bound(node.value):  # `last = scores.pop()` changes scores
                known.pop(name, None)
                found.pop(name, None)
        if isinstance(node, ast.Assign):
            for target in node.targets:
                _bind(target, node.value, found, known)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            _bind(node.target, node.value, found, known)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            name = node.target.id
            as_binary = ast.BinOp(ast.Name(name, ast.Load()), node.op, node.value)
            _bind(node.target, as_binary, found, known)
        else:
            for name in _names_bound(node):
                known.pop(name, None)
                found.pop(name, None)
    return found


def _bind(target: ast.expr, value: ast.expr, found: dict[str, Any], known: dict[str, Any]) -> None:
    if isinstance(target, ast.Name):
        try:
            result = literal_value(value, known)
        except (_NotLiteral, ArithmeticError, ValueError, TypeError, MemoryError, RecursionError):
            known.pop(
                target.id, None
            )  # `lr = schedule(lr)`: the literal is no longer what the cell left
            found.pop(target.id, None)
            return
        if result == [] or result == {}:  # an empty accumulator, filled later: not a param
            known.pop(target.id, None)
            found.pop(target.id, None)
            return
        found[target.id] = known[target.id] = result
        return
    pair = (ast.Tuple, ast.List)
    if isinstance(target, pair) and isinstance(value, pair) and len(target.elts) == len(value.elts):
        for t, v in zip(target.elts, value.elts):  # a, b = 1, 2
            _bind(t, v, found, known)
        return
    for name in _target_names(target):
        known.pop(name, None)
        found.pop(name, None)


def literal_value(node: ast.expr, known: dict[str, Any] | None = None) -> Any:
    """The value of an expression built from literals (and the names in `known`); raises
    otherwise. Tuples come back as lists, as they are stored (JSON).

    >>> literal_value(ast.parse("{'lr': 1 / 10, 'name': f'run-{2}'}", mode="eval").body)
    {'lr': 0.1, 'name': 'run-2'}
    """
    known = known or {}
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (bytes, complex)) or node.value is Ellipsis:
            raise _NotLiteral
        return node.value
    if isinstance(node, ast.Name):
        if node.id in known:
            return known[node.id]
        raise _NotLiteral
    if isinstance(node, (ast.Tuple, ast.List)):
        return [literal_value(e, known) for e in node.elts]
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):  # {**other}
            raise _NotLiteral
        keys = [literal_value(k, known) for k in node.keys]  # type: ignore[arg-type]
        if not all(isinstance(k, (str, int, float, bool)) or k is None for k in keys):
            raise _NotLiteral
        return dict(zip(keys, (literal_value(v, known) for v in node.values)))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        operand = literal_value(node.operand, known)
        if not isinstance(operand, (int, float)):
            raise _NotLiteral
        return _UNARY[type(node.op)](operand)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _binary(node.op, literal_value(node.left, known), literal_value(node.right, known))
    if isinstance(node, ast.JoinedStr):
        return "".join(_formatted(part, known) for part in node.values)
    if isinstance(node, ast.Call):
        return _call(node, known)
    raise _NotLiteral


def _binary(op: ast.operator, left: Any, right: Any) -> Any:
    numbers = (int, float)
    if isinstance(left, numbers) and isinstance(right, numbers):
        if isinstance(op, ast.Pow) and abs(right) > _MAX_EXPONENT:
            raise _NotLiteral
        return _BINARY[type(op)](left, right)
    if isinstance(op, ast.Add) and isinstance(left, str) and isinstance(right, str):
        return left + right
    if isinstance(op, ast.Mult) and {type(left), type(right)} == {str, int}:
        text, times = (left, right) if isinstance(left, str) else (right, left)
        if len(text) * max(times, 0) > _MAX_TEXT:
            raise _NotLiteral
        return text * times
    raise _NotLiteral


def _formatted(part: ast.expr, known: dict[str, Any]) -> str:
    if isinstance(part, ast.Constant) and isinstance(part.value, str):
        return part.value
    if not isinstance(part, ast.FormattedValue):
        raise _NotLiteral
    value = literal_value(part.value, known)
    value = {115: str, 114: repr, 97: ascii}.get(part.conversion, lambda v: v)(value)
    spec = (
        "".join(_formatted(p, known) for p in part.format_spec.values) if part.format_spec else ""
    )
    return format(value, spec)


def _call(node: ast.Call, known: dict[str, Any]) -> Any:
    func = node.func
    name = (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else None
    )
    if isinstance(func, ast.Attribute) and not isinstance(func.value, ast.Name):
        raise _NotLiteral  # np.float32 yes, make().float32 no
    if name == "dict" and isinstance(func, ast.Name) and len(node.args) <= 1:
        base = literal_value(node.args[0], known) if node.args else {}
        if not isinstance(base, dict) or any(k.arg is None for k in node.keywords):
            raise _NotLiteral
        return {**base, **{k.arg: literal_value(k.value, known) for k in node.keywords}}
    if (
        name in ("list", "tuple")
        and isinstance(func, ast.Name)
        and len(node.args) == 1
        and not node.keywords
    ):
        value = literal_value(node.args[0], known)
        if not isinstance(value, list):
            raise _NotLiteral
        return value
    if name in _TYPES and len(node.args) == 1 and not node.keywords:
        value = literal_value(node.args[0], known)
        if not isinstance(value, (int, float, str, bool)):
            raise _NotLiteral
        return _TYPES[name](value)
    raise _NotLiteral


def _target_names(target: ast.expr) -> list[str]:
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]


def assigned_names(source: str) -> set[str]:
    """The names a cell assigns (or changes by item or attribute) outside functions, wherever they
    are: in loops, branches, `with` blocks; empty if the source does not parse.

    >>> sorted(assigned_names("for i in range(3):\\n    acc = i / 3\\ncfg['lr'] = 0.1"))
    ['acc', 'cfg', 'i']
    """
    try:
        return _names_bound(ast.parse(source))
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return set()


def _names_bound(node: ast.AST) -> set[str]:
    """Names a statement binds at the cell's top level (loops, with, imports, defs), not those local
    to a function, class or comprehension inside it; `global x` in a function counts."""
    names: set[str] = set()
    stack = [node]
    while stack:
        sub = stack.pop()
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            names.add(sub.id)
        elif (
            isinstance(sub, ast.Call)
            and isinstance(sub.func, ast.Attribute)
            and sub.func.attr in _MUTATORS
        ):
            if isinstance(sub.func.value, ast.Name):
                names.add(sub.func.value.id)
        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in sub.names)
        elif isinstance(sub, ast.Global):
            names.update(sub.names)
        elif isinstance(sub, (ast.Subscript, ast.Attribute)) and isinstance(sub.ctx, ast.Store):
            root = sub.value  # cfg["lr"] = 0.2 changes cfg
            while isinstance(root, (ast.Subscript, ast.Attribute)):
                root = root.value
            if isinstance(root, ast.Name):
                names.add(root.id)
        if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(sub.name)
            stack.extend(n for n in ast.walk(sub) if isinstance(n, ast.Global))
            continue
        if isinstance(sub, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue
        stack.extend(ast.iter_child_nodes(sub))
    return names
