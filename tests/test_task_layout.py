"""One layout for background work: each app's Celery tasks live in its `tasks.py` and only call
services; no other module imports a tasks module (services send tasks by name), so there is no
import circle between a service and its task."""

import ast
from pathlib import Path

from vanlang.celery import app

ROOT = Path(__file__).resolve().parent.parent
APPS = ("cells", "assessments", "plans")


def test_every_task_lives_in_its_app_s_tasks_module():
    app.loader.import_default_modules()
    # The project's tasks: not Celery's own, nor the probe a test module registers (tests.test_celery_worker)
    ours = {
        name: task
        for name, task in app.tasks.items()
        if not name.startswith("celery.") and not task.__module__.startswith("tests.")
    }
    assert ours
    assert {name: task.__module__ for name, task in ours.items() if task.__module__.split(".")[-1] != "tasks"} == {}
    assert {task.__module__ for task in ours.values()} <= {f"{label}.tasks" for label in APPS}


def _imported_modules(tree: ast.AST, package: str):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base]).strip(".")
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def test_no_module_but_the_worker_imports_a_tasks_module():
    importers = []
    for label in (*APPS, "vanlang"):
        for path in sorted((ROOT / label).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or path.name == "tasks.py":
                continue
            package = ".".join(relative.with_suffix("").parts[:-1])
            tree = ast.parse(path.read_text(encoding="utf-8"))
            if any(name in {f"{a}.tasks" for a in APPS} for name in _imported_modules(tree, package)):
                importers.append(str(relative))
    assert importers == []


def test_the_search_finds_an_import_of_a_tasks_module():
    tree = ast.parse("from plans.tasks import candidates_run\nfrom . import tasks\n")
    assert set(_imported_modules(tree, "plans.services")) >= {"plans.tasks"}
