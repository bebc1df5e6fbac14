"""Run a benchmark: ``python -m bench NAME [ARGS...]`` runs ``bench/NAME.py``'s ``main(ARGS)``.

With no name, lists the benchmarks (the modules of bench/ with a top-level ``main``).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks() -> dict[str, str]:
    """Benchmark name -> first line of its docstring, read without importing it."""
    found = {}
    for path in sorted(HERE.glob("*.py")):
        if path.stem.startswith("_"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.FunctionDef) and n.name == "main" for n in tree.body):
            doc = ast.get_docstring(tree) or ""
            found[path.stem] = doc.splitlines()[0] if doc else ""
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    known = benchmarks()
    if not args or args[0] in ("-h", "--help"):
        print("usage: python -m bench NAME [ARGS...]\n\nbenchmarks:")
        for name, doc in known.items():
            print(f"  {name:<16} {doc}")
        return 0
    name, rest = args[0], args[1:]
    if name not in known:
        print(f"error: no benchmark {name!r}; known: {', '.join(known)}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"bench.{name}")
    if inspect.signature(module.main).parameters:
        status = module.main(rest)
    else:  # a main() that reads sys.argv itself
        sys.argv = [f"python -m bench {name}", *rest]
        status = module.main()
    return int(status or 0)


if __name__ == "__main__":
    raise SystemExit(main())
