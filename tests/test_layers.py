"""The layers of docs/architecture.md, enforced by reading every import of the code (AST), so they cannot rot.

- The lower layers of a package (models, choices, services, selectors, tasks and any other module) import
  only the package itself and the packages of the layers below it.
- Its interfaces (`api/`, `admin.py`, `filters.py`, `management/`) may also import the conventions for
  interfaces and any app's `selectors`.
- The composition roots and the demo seed, on top, import anything.
So the platform imports no domain app, notifications (a leaf) imports none either, and no two apps'
lower layers can depend on each other in a loop.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Lowest first. Packages of one layer may import each other; a higher layer never is imported by a lower one.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("erp_mif.core",),  # the ground floor: base models, errors, references, writes, job registry
    ("notifications",),  # a leaf: in-app notices and the email outbox; knows users, nothing of the business
    ("erp_mif.accounts",),  # users, roles, login
    ("erp_mif.rbac", "erp_mif.api", "erp_mif.admin"),  # conventions every interface follows
    ("clients",),
    ("technicians",),
    ("equipment",),
    ("interventions",),
    ("documents",),
    ("erp_mif.urls", "erp_mif.settings", "erp_mif.wsgi", "erp_mif.tooling", "demo"),  # composition roots, on top
)
LAYER_OF = {package: index for index, layer in enumerate(LAYERS) for package in layer}
TOP = len(LAYERS) - 1
# What an app's interfaces use beyond the layers below: the DRF and admin conventions, and every app's selectors.
INTERFACE_PARTS = {"api", "admin", "filters", "management"}
INTERFACE_KIT = {"erp_mif.api", "erp_mif.admin", "erp_mif.rbac"}
FIRST_PARTY = {package.split(".")[0] for package in LAYER_OF}
DOMAIN_APPS = {package for layer in LAYERS[LAYER_OF["erp_mif.api"] + 1 : TOP] for package in layer}


def package_of(module: str) -> str | None:
    """The longest package of LAYERS that `module` belongs to."""
    candidates = [package for package in LAYER_OF if module == package or module.startswith(package + ".")]
    return max(candidates, key=len, default=None)


def is_interface(module: str, package: str) -> bool:
    inner = module[len(package) :].lstrip(".").split(".")
    return inner[0] in INTERFACE_PARTS


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, absolute module) for every import of the file, relative ones resolved, in functions too."""
    package_parts = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            # `from app import selectors` names a module: judge the module, not only the package.
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def code_files() -> list[Path]:
    """Every module of ours but the migrations and the project package's empty marker (erp_mif/__init__.py)."""
    return sorted(
        path
        for top in FIRST_PARTY
        for path in (ROOT / top).rglob("*.py")
        if "migrations" not in path.parts and path != ROOT / "erp_mif" / "__init__.py"
    )


def violations_of(path: Path, root: Path = ROOT) -> list[str]:
    module = module_name(path, root)
    package = package_of(module)
    where = path.relative_to(root)
    if package is None:
        return [f"{where}: in no layer (place its package in LAYERS)"]
    if LAYER_OF[package] == TOP:
        return []
    may_import = _interface_may_import if is_interface(module, package) else _lower_layer_may_import
    found = []
    for line, target in imports_of(path, module):
        if target.split(".")[0] not in FIRST_PARTY:
            continue
        target_package = package_of(target)
        if target_package is None:
            found.append(f"{where}:{line} imports {target}, which is in no layer")
        elif not may_import(package, target, target_package):
            found.append(f"{where}:{line} imports {target}, which {module} may not use (docs/architecture.md)")
    return found


def _lower_layer_may_import(package: str, target: str, target_package: str) -> bool:
    """Models, choices, services, selectors, tasks: their own app and the layers below, never an interface."""
    if is_interface(target, target_package):
        return False
    if target_package == package:
        return True
    layer, target_layer = LAYER_OF[package], LAYER_OF[target_package]
    if target_package in INTERFACE_KIT and package not in INTERFACE_KIT:
        return False  # models, services, selectors and jobs know nothing of the API's or the admin's conventions
    return target_layer < layer or (target_layer == layer and len(LAYERS[layer]) > 1)


def _interface_may_import(package: str, target: str, target_package: str) -> bool:
    """api/, admin.py, filters.py, management/: their own app, the layers below, the conventions, and, for a
    domain app, any domain app's selectors."""
    if target_package == package or target_package in INTERFACE_KIT:
        return True
    if is_interface(target, target_package):
        return False  # another app's serializers or views: compose its selectors instead
    if LAYER_OF[target_package] < LAYER_OF[package]:
        return True
    reads_selectors = target == f"{target_package}.selectors" or target.startswith(f"{target_package}.selectors.")
    return reads_selectors and package in DOMAIN_APPS and target_package in DOMAIN_APPS


def test_every_import_follows_the_layers():
    problems = [problem for path in code_files() for problem in violations_of(path)]
    assert problems == []


def test_every_installed_app_of_ours_has_a_layer():
    ours = [app for app in settings.INSTALLED_APPS if app.split(".")[0] in FIRST_PARTY]
    assert [app for app in ours if package_of(app) is None] == []


@pytest.mark.parametrize(
    ("module", "imported", "allowed"),
    [
        ("erp_mif.core.writes", "clients.models", False),  # the platform imports no domain app
        ("erp_mif.api.views", "interventions.selectors", False),  # ...its conventions neither
        ("notifications.services", "interventions.models", False),  # the leaf knows no business
        ("notifications.services", "erp_mif.accounts.models", False),  # ...nor the accounts above it
        ("clients.selectors", "equipment.models", False),  # a lower layer looking up
        ("equipment.models", "clients.models", True),  # ...and down
        ("clients.api.views", "equipment.selectors", True),  # an interface reading another app's selectors
        ("clients.api.views", "equipment.services", False),  # ...but not writing through its services
        ("clients.api.views", "equipment.selectors_private", False),  # ...nor a module merely named alike
        ("equipment.api.views", "interventions.api.serializers", False),  # ...nor using its interfaces
        ("clients.api.views", "clients.api.serializers", True),  # an app's interfaces use each other
        ("notifications.api.views", "interventions.selectors", False),  # the leaf's interfaces read no business
        ("erp_mif.core.management.commands.purge", "interventions.selectors", False),  # ...nor the platform's
        ("clients.services", "clients.api.views", False),  # a lower layer never leans on an interface
        ("clients.models", "clients.admin", False),
        ("interventions.selectors", "equipment.api.views", False),
        ("clients.api.views", "erp_mif.api.views", True),  # ...and following the API's conventions
        ("clients.services", "erp_mif.api.views", False),  # services know nothing of those conventions
        ("erp_mif.urls", "interventions.api.urls", True),  # the composition root wires everything
        ("demo.domain", "interventions.services", True),  # the seed, on top, uses everything
    ],
)
def test_the_rule_says_yes_and_no_where_the_architecture_does(tmp_path, module, imported, allowed):
    fake = tmp_path / Path(*module.split(".")).with_suffix(".py")
    fake.parent.mkdir(parents=True, exist_ok=True)
    fake.write_text(f"import {imported}\n", encoding="utf-8")

    assert (violations_of(fake, root=tmp_path) == []) is allowed


# Every app has the same shape (docs/architecture.md), so whoever knows one knows all.
APPS = ("erp_mif.accounts", "notifications", "clients", "technicians", "equipment", "interventions", "documents")
APP_MODULES = (
    "models.py",
    "choices.py",
    "services.py",
    "selectors.py",
    "filters.py",
    "admin.py",
    "tasks.py",
    "api/serializers.py",
    "api/views.py",
    "api/urls.py",
)


@pytest.mark.parametrize("app", APPS)
def test_every_app_has_the_same_shape(app):
    folder = ROOT / Path(*app.split("."))
    assert [module for module in APP_MODULES if not (folder / module).is_file()] == []


def test_every_domain_app_is_checked_for_its_shape():
    apps = {package for layer in LAYERS[1:-1] for package in layer if package not in INTERFACE_KIT}
    assert apps == set(APPS)
