"""The product never imports the tools (issue 12, STYLE.md: tools the product never runs live outside the product
apps): no module of a product app imports ``loadtest``, at the top or inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PRODUCT_APPS = ["base", "indicators", "evidence", "reports", "workflow", "apa_tracker"]


def imported_modules(path: Path) -> list[str]:
    """Every module a file imports, wherever the import statement is."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("app", PRODUCT_APPS)
def test_no_product_module_imports_loadtest(app):
    """Every .py file of the app is read (migrations included); none names loadtest in an import."""
    files = sorted((PROJECT_ROOT / app).rglob("*.py"))
    assert files, app
    offending = [
        f"{path.relative_to(PROJECT_ROOT)}: {module}"
        for path in files
        for module in imported_modules(path)
        if module == "loadtest" or module.startswith("loadtest.")
    ]
    assert offending == []
