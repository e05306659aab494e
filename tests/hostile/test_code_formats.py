"""No module of the program loads a format that can run code: pickle, marshal, shelve, yaml.load and friends."""

from __future__ import annotations

import ast
from pathlib import Path

import agent

MODULES = ("pickle", "_pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "joblib", "jsonpickle")
YAML_LOADERS = ("load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all")


def offences(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, name)):
        if isinstance(node, ast.Import):
            found += [f"{name}:{node.lineno}: import {a.name}" for a in node.names if a.name.split(".")[0] in MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in MODULES:
            found.append(f"{name}:{node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.ImportFrom) and node.module == "yaml":
            found += [f"{name}:{node.lineno}: from yaml import {a.name}" for a in node.names if a.name in YAML_LOADERS]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "yaml" and node.attr in YAML_LOADERS:
                found.append(f"{name}:{node.lineno}: yaml.{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__import__":
            found.append(f"{name}:{node.lineno}: __import__(...)")
    return found


def test_no_module_of_the_program_loads_a_format_that_runs_code() -> None:
    root = Path(agent.__file__).parent
    sources = sorted(root.rglob("*.py"))
    assert len(sources) > 20
    found = [o for path in sources for o in offences(path.read_text(encoding="utf-8"), str(path.relative_to(root)))]
    assert not found, "\n".join(found)


def test_the_check_sees_each_way_of_writing_it() -> None:
    samples = [
        "import pickle\npickle.load(f)",
        "from pickle import loads",
        "import marshal as m",
        "import shelve",
        "import yaml\nyaml.load(text, Loader=yaml.Loader)",
        "from yaml import unsafe_load",
        "__import__('pickle')",
    ]
    for sample in samples:
        assert offences(sample, "sample.py"), sample
    assert not offences("import json\nimport yaml\nyaml.safe_load(text)", "sample.py")
