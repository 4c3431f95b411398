"""Rewrite the imports of modules that moved into a package: `import mod` becomes
`from pkg import mod`, `from mod import x` becomes `from pkg.mod import x`."""

from __future__ import annotations

import ast


def _alias(alias: ast.alias) -> str:
    return f"{alias.name} as {alias.asname}" if alias.asname else alias.name


def _rewrite(node: ast.stmt, package: str, moved: set[str]) -> list[str] | None:
    """The new statements for an import of moved modules, or None to keep it."""
    if isinstance(node, ast.Import):
        if not any(a.name in moved for a in node.names):
            return None
        out, others = [], []
        for alias in node.names:
            if alias.name in moved:
                out.append(f"from {package} import {_alias(alias)}")
            else:
                others.append(_alias(alias))
        return ([f"import {', '.join(others)}"] if others else []) + out
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        if node.module.partition(".")[0] not in moved:
            return None
        return [f"from {package}.{node.module} import {', '.join(_alias(a) for a in node.names)}"]
    return None


def rewrite_imports(text: str, package: str, moved: set[str]) -> str | None:
    """`text` with its imports of `moved` modules pointing into `package`; None when unchanged
    (or when the file cannot be parsed, which is then left alone)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    lines = text.splitlines(keepends=True)
    edits = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            new = _rewrite(node, package, moved)
            if new is not None:
                edits.append((node, new))
    if not edits:
        return None
    for node, new in sorted(edits, key=lambda e: e[0].lineno, reverse=True):
        first, last = node.lineno - 1, node.end_lineno - 1
        indent = lines[first][: node.col_offset]
        before = lines[first][: node.col_offset]
        after = lines[last][node.end_col_offset:]
        if before.strip():  # `x = 1; import mod`: keep the statement on its line
            joined = "; ".join(new)
            lines[first: last + 1] = [f"{before}{joined}{after}"]
            continue
        ending = after if after.strip() else after or "\n"
        replaced = [f"{indent}{stmt}\n" for stmt in new]
        replaced[-1] = replaced[-1].rstrip("\n") + ending
        lines[first: last + 1] = replaced
    return "".join(lines)
