"""The inner order of the packages: docs/architecture.md draws it, pyproject.toml enforces it
(import-linter ``layers`` contracts with ``containers``), and the two must agree; the
contracts also catch a reverse import hidden inside a function."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DOCS = ROOT / "docs" / "architecture.md"
SECTION = "## Inside the packages"


def _contracts() -> dict[str, list[set[str]]]:
    """``container -> layers`` (top first) of every one-container layers contract."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found: dict[str, list[set[str]]] = {}
    for contract in config["tool"]["importlinter"]["contracts"]:
        containers = contract.get("containers") or []
        if contract["type"] == "layers" and len(containers) == 1:
            assert containers[0] not in found, f"two contracts for {containers[0]}"
            found[containers[0]] = [_modules(layer) for layer in contract["layers"]]
    return found


def _modules(layer: str) -> set[str]:
    return {name.strip() for name in re.split(r"[|:]", layer) if name.strip()}


def _pictures() -> dict[str, list[set[str]]]:
    """``container -> layers`` of every text block in the docs' section: the first line names
    the package as a folder (``app/reading/``), each further line is a layer, top first,
    modules separated by ``|``, anything after ``#`` a comment."""
    text = DOCS.read_text(encoding="utf-8")
    assert SECTION in text, f"{DOCS.name} has no '{SECTION}' section"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    found: dict[str, list[set[str]]] = {}
    for block in re.findall(r"```text\n(.*?)```", section, flags=re.S):
        lines = [line.split("#", 1)[0].strip() for line in block.splitlines()]
        lines = [line for line in lines if line]
        assert lines[0].endswith("/"), f"a picture starts with its package folder: {lines[0]!r}"
        container = lines[0].rstrip("/").replace("/", ".")
        assert container not in found, f"two pictures of {container}"
        found[container] = [_modules(line) for line in lines[1:]]
    return found


def test_the_docs_draw_every_inner_contract_as_it_is() -> None:
    contracts, pictures = _contracts(), _pictures()
    assert contracts, "no inner layers contracts in pyproject.toml"
    assert sorted(pictures) == sorted(contracts), "a package has a contract but no picture, "\
        "or a picture but no contract"
    for container, layers in contracts.items():
        assert pictures[container] == layers, (
            f"{DOCS.name} draws {container} as {pictures[container]}, "
            f"pyproject.toml orders it {layers}")


@pytest.mark.parametrize("container", sorted(_contracts()))
def test_every_module_of_a_package_is_on_its_picture(container: str) -> None:
    """A new module has to be placed in the order (a module in no layer is not checked)."""
    folder = ROOT / container.replace(".", "/")
    children = {p.stem for p in folder.glob("*.py") if p.name != "__init__.py"}
    children |= {p.name for p in folder.iterdir() if (p / "__init__.py").is_file()}
    listed = set().union(*_contracts()[container])
    assert children == listed, (f"not in the contract: {sorted(children - listed)}; "
                                f"no such module: {sorted(listed - children)}")


def _lint(tmp: Path, contracts: dict[str, list[set[str]]]) -> str:
    """lint-imports on the copies in ``tmp`` with only the inner contracts."""
    roots = sorted({c.split(".")[0] for c in contracts})
    lines = ["[importlinter]", "root_packages =\n    " + "\n    ".join(roots), ""]
    for n, (container, layers) in enumerate(contracts.items()):
        lines += [f"[importlinter:contract:{n}]", f"name = inner order of {container}",
                  "type = layers", f"containers =\n    {container}",
                  "layers =\n    " + "\n    ".join(" | ".join(sorted(m)) for m in layers), ""]
    (tmp / ".importlinter").write_text("\n".join(lines), encoding="utf-8")
    proc = subprocess.run([str(BIN / "lint-imports"), "--no-cache", "--config", ".importlinter"],
                          cwd=tmp, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(tmp), "PATH": "/usr/bin:/bin"})
    return proc.stdout + proc.stderr


def test_a_deferred_reverse_import_breaks_each_contract(tmp_path: Path) -> None:
    """grimp counts an import inside a function: put one from each package's bottom layer to
    its top layer into a copy, and every contract breaks; the unchanged copy keeps them."""
    contracts = _contracts()
    for root in {c.split(".")[0] for c in contracts}:
        shutil.copytree(ROOT / root, tmp_path / root,
                        ignore=lambda folder, names: [n for n in names if not (
                            n.endswith(".py") or (Path(folder) / n).is_dir())
                            or n == "__pycache__"])
    clean = _lint(tmp_path, contracts)
    for container in contracts:
        assert f"inner order of {container} KEPT" in clean, clean
    for container, layers in contracts.items():
        low, high = sorted(layers[-1])[0], sorted(layers[0])[0]
        module = tmp_path / container.replace(".", "/") / f"{low}.py"
        if not module.exists():
            module = module.with_suffix("") / "__init__.py"
        with module.open("a", encoding="utf-8") as f:
            f.write(f"\n\ndef _reverse():\n    import {container}.{high}  # noqa: F401\n")
    broken = _lint(tmp_path, contracts)
    for container in contracts:
        assert f"inner order of {container} BROKEN" in broken, broken
