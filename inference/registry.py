"""The station's model registry: the shipped U-Net and site versions fine-tuned here.

``LUCH_HOME/models/`` holds ``registry.json`` (the active version and the activation
history) and one folder per site version with ``luch-lung-unet.pt`` and its sidecar
``luch-lung-unet.json`` (recipe, seed, data list, metrics, gate). The shipped model stays
read-only in ``resources/models`` and is never copied or overwritten; it is the version
the station falls back to. A candidate becomes active only when its sidecar says it
passed the gate (not worse than the active one on the site's held-apart studies, by the
same ``evaluate``); ``rollback`` returns to the version active before.

A site version fine-tuned from another shipped version than the installed one (an update
shipped new weights) is not used: the shipped model is active again until a new site
version passes the gate on top of it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from core.files import write_json_atomic
from core.paths import app_subdir
from inference.errors import InferenceError
from inference.weights import DEFAULT_WEIGHTS, read_sidecar

WEIGHTS_NAME = DEFAULT_WEIGHTS.name
REGISTRY_FILE = "registry.json"
SITE_TAG = "-site."


class RegistryError(InferenceError):
    """A model version cannot be found, activated or rolled back."""


@dataclass(frozen=True)
class ModelVersion:
    """One version: its weights file and sidecar; ``shipped`` is the read-only one."""

    version: str
    weights: Path
    sidecar: dict
    shipped: bool

    @property
    def base_version(self) -> str:
        return self.version if self.shipped else str(self.sidecar.get("base_version", ""))

    @property
    def gate_passed(self) -> bool:
        return self.shipped or bool(self.sidecar.get("gate", {}).get("passed"))


class ModelRegistry:
    """Versions under ``root`` (default ``LUCH_HOME/models``) beside the shipped weights."""

    def __init__(self, root: Path | None = None, shipped: Path = DEFAULT_WEIGHTS) -> None:
        self.root = Path(root) if root is not None else app_subdir("models")
        self._shipped_path = shipped

    # -- reading -------------------------------------------------------------------------------
    def shipped(self) -> ModelVersion:
        meta = read_sidecar(self._shipped_path)
        return ModelVersion(str(meta.get("version", "?")), self._shipped_path, meta, True)

    def versions(self) -> list[ModelVersion]:
        """The shipped version first, then site versions oldest first (damaged ones skipped)."""
        out = [self.shipped()]
        site = []
        for folder in self.root.iterdir() if self.root.is_dir() else ():
            weights = folder / WEIGHTS_NAME
            if folder.name.startswith(".") or not weights.is_file():
                continue
            try:
                meta = read_sidecar(weights)
            except InferenceError:
                continue
            site.append(ModelVersion(folder.name, weights, meta, False))
        site.sort(key=lambda v: (v.sidecar.get("created", ""), v.version))
        return out + site

    def get(self, version: str) -> ModelVersion:
        for v in self.versions():
            if v.version == version:
                return v
        raise RegistryError(f"Model version {version} is not in this station's registry")

    def _state(self) -> dict:
        path = self.root / REGISTRY_FILE
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"history": []}
        except (OSError, ValueError) as err:
            raise RegistryError("The model registry file is damaged; run 'luch model "
                                "activate' with the version to use") from err

    def active(self) -> ModelVersion:
        """The version the pre-read uses: the registry's active one when usable, else shipped."""
        shipped = self.shipped()
        history = self._state().get("history", [])
        if not history or history[-1] == shipped.version:
            return shipped
        try:
            chosen = self.get(history[-1])
        except RegistryError:
            return shipped
        return chosen if chosen.base_version == shipped.version else shipped

    def history(self) -> list[str]:
        return list(self._state().get("history", []))

    def signature(self) -> tuple:
        """What the active version is read from, by the files' stat only (no read, no
        import of scipy or torch): the registry file (activate, rollback), the models
        folder (a site version added or removed) and the shipped sidecar. The same
        signature, the same :meth:`active` version; callers cache on it."""
        return tuple(_stat(p) for p in (self.root / REGISTRY_FILE, self.root,
                                        self._shipped_path.with_suffix(".json")))

    # -- changing ------------------------------------------------------------------------------
    def next_site_version(self) -> str:
        base = self.shipped().version
        taken = [v.version for v in self.versions() if v.version.startswith(base + SITE_TAG)]
        numbers = [int(t.rsplit(".", 1)[1]) for t in taken if t.rsplit(".", 1)[1].isdigit()]
        return f"{base}{SITE_TAG}{max(numbers, default=0) + 1}"

    def staging(self, version: str) -> Path:
        """An empty hidden folder to write a candidate into (see :meth:`commit`)."""
        path = self.root / f".staging-{version}-{os.getpid()}"
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def commit(self, staging: Path, version: str) -> ModelVersion:
        """Move a fully written candidate into place in one rename."""
        target = self.root / version
        if target.exists():
            raise RegistryError(f"Model version {version} already exists")
        os.replace(staging, target)
        return self.get(version)

    def update_sidecar(self, version: str, **fields) -> ModelVersion:
        v = self.get(version)
        if v.shipped:
            raise RegistryError("The shipped model is read-only")
        write_json_atomic(v.weights.with_suffix(".json"), {**v.sidecar, **fields})
        return self.get(version)

    def activate(self, version: str, actor: str = "luch") -> ModelVersion:
        """Make ``version`` active: the shipped one, or a site one that passed its gate."""
        v = self.get(version)
        if not v.gate_passed:
            raise RegistryError(f"Model version {version} did not pass the gate against the "
                                "active model; it cannot be activated")
        if v.base_version != self.shipped().version:
            raise RegistryError(f"Model version {version} was trained on another shipped "
                                "model than the installed one")
        if self.active().version == v.version:
            return v
        state = self._state()
        history = state.get("history", []) or [self.active().version]
        history.append(v.version)
        self._write(state, history, "activate", v.version, actor)
        return v

    def rollback(self, actor: str = "luch") -> ModelVersion:
        """Return to the version active before the current one (the shipped one at the end)."""
        state = self._state()
        history = list(state.get("history", []))
        shipped = self.shipped().version
        if len(history) < 2:
            if self.active().version == shipped:
                raise RegistryError("The shipped model is active; there is nothing to roll "
                                    "back")
            history = [shipped]
        else:
            history.pop()
        self._write(state, history, "rollback", history[-1], actor)
        return self.active()

    def _write(self, state: dict, history: list[str], action: str, version: str,
               actor: str) -> None:
        events = state.get("events", [])
        events.append({"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                       "action": action, "version": version, "actor": actor})
        write_json_atomic(self.root / REGISTRY_FILE, {"history": history, "events": events})


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


def active_weights() -> Path:
    """Weights of the station's active version (the shipped ones if the registry is unusable)."""
    try:
        return ModelRegistry().active().weights
    except InferenceError:
        return DEFAULT_WEIGHTS
