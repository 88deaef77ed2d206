#!/usr/bin/env python3
"""Checks the include graph of src/ against the module table of src/README.md.

Each row names a folder and the modules it may depend on ("may depend on"); a file of that
folder may include headers of its own module and of those modules only (`everything above`:
any module listed before it). Nothing outside store/ may include SQLite or store/sqlite/:
the relational store is reached through store/catalog_session.h. Prints every violation
as FILE:LINE and exits 1 if there is one.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SRC = ROOT / "src"


def modules_from_readme():
    """[(folder, allowed set or None for 'everything above')] in table order."""
    rows = []
    for line in (SRC / "README.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`([a-z_/]+)/`\s*\|[^|]*\|[^|]*\|([^|]*)\|\s*$", line)
        if not m:
            continue
        folder, deps = m.group(1), m.group(2).strip()
        if deps == "everything above":
            rows.append((folder, None))
        else:
            rows.append((folder, {d.strip() for d in deps.split(",")}))
    return rows


def module_of(path, folders):
    """The module (folder) a path under src/ belongs to: the longest folder prefix."""
    best = None
    for folder in folders:
        if path == folder or path.startswith(folder + "/"):
            if best is None or len(folder) > len(best):
                best = folder
    return best


def name_of(folder):
    return folder.replace("/", "_")


def main():
    rows = modules_from_readme()
    if len(rows) < 8:
        print(f"src/README.md: expected the module table, found {len(rows)} rows")
        return 1
    folders = [f for f, _ in rows]
    allowed = {}
    for i, (folder, deps) in enumerate(rows):
        allowed[folder] = {name_of(f) for f in folders[:i]} if deps is None else deps
    problems = []
    include = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]')
    for file in sorted(SRC.rglob("*")):
        if file.suffix not in (".h", ".cpp"):
            continue
        rel = file.relative_to(SRC).as_posix()
        own = module_of(rel, folders)
        if own is None:
            problems.append(f"src/{rel}: in no module of src/README.md's table")
            continue
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            m = include.match(line)
            if not m:
                continue
            target = m.group(1)
            if own != "store" and not own.startswith("store/") and (
                    target.startswith("store/sqlite/") or target == "sqlite3.h"):
                problems.append(f"src/{rel}:{n}: includes {target}: SQLite is store/'s alone "
                                "(use store/catalog_session.h)")
                continue
            dep = module_of(target.rsplit("/", 1)[0], folders) if "/" in target else None
            if dep is None or dep == own:
                continue  # a system or library header, or the module's own
            dep_name = name_of(dep)
            if dep_name not in allowed[own] and dep != own:
                problems.append(f"src/{rel}:{n}: {own}/ includes {target}, but src/README.md "
                                f"lets {own}/ depend on {', '.join(sorted(allowed[own]))} only")
    for p in problems:
        print(p)
    print(f"{len(problems)} include(s) against src/README.md's module table")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
