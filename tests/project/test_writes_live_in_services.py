"""Views and tasks stay thin: the ORM is written to from services only.

A view or task that saves, deletes or updates rows itself bypasses the rules, the
audit trail and the page-cache invalidation the services carry.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["members", "governance", "publications", "pages", "network", "inpud_portal"]
WRITES = {
    "save",
    "delete",
    "update",
    "create",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
}
# Receivers that are certainly rows or querysets: `Model.objects...`, `qs.filter(...)`.
QUERYSET_STEPS = {"objects", "filter", "exclude", "all", "select_related", "prefetch_related"}


def thin_modules():
    for app in APPS:
        base = ROOT / app
        yield from sorted((base / "views").glob("*.py"))
        for name in ("views.py", "tasks.py"):
            if (base / name).exists():
                yield base / name


def _chain(node):
    """Attribute and call names along a receiver, e.g. Model.objects.filter(...)."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        else:
            return names


def orm_writes(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        if method not in WRITES:
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        commit = keywords.get("commit")
        if method == "save" and isinstance(commit, ast.Constant) and commit.value is False:
            continue  # a form building an unsaved instance for a service
        receiver = set(_chain(node.func.value))
        if method in {"save", "delete"} or receiver & QUERYSET_STEPS:
            found.append((node.lineno, method))
    return found


def test_the_check_sees_writes():
    source = (
        "def v(request):\n"
        "    Thing.objects.filter(a=1).update(b=2)\n"
        "    thing.save()\n"
        "    form.save(commit=False)\n"
        "    context.update(x=1)\n"
    )
    assert orm_writes(source) == [(2, "update"), (3, "save")]


@pytest.mark.parametrize("path", list(thin_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_orm_writes_in_views_or_tasks(path):
    writes = orm_writes(path.read_text())
    assert not writes, f"{path.relative_to(ROOT)} writes rows itself (move into services): {writes}"
