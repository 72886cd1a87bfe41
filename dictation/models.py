"""Vosk model manager: install a model from a local zip or folder, one per language.

Models live in ``<app data>/models/vosk/<lang>/``. Installing validates the model first and
explains what is wrong in words a user can act on; the previous model for the language is
replaced only once the new one is complete.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.paths import app_subdir
from dictation.errors import ModelError

INFO_FILE = "luch-model.json"
_LANG_RE = re.compile(r"^[a-z]{2,3}(-[a-z]{2})?$")
_NAME_LANG = re.compile(r"vosk-model-(?:small-)?([a-z]{2,3}(?:-[a-z]{2})?)(?:-|$)")


@dataclass(frozen=True)
class ModelInfo:
    lang: str
    path: Path
    source: str


def model_problems(path: Path) -> list[str]:
    """What keeps ``path`` from being a Vosk model folder (empty when it is one)."""
    path = Path(path)
    if not path.is_dir():
        return [f"{path} is not a folder"]
    problems = []
    if not (path / "am" / "final.mdl").is_file():
        problems.append("the acoustic model am/final.mdl is missing")
    if not (path / "conf" / "model.conf").is_file() and not (path / "conf" / "mfcc.conf").is_file():
        problems.append("the feature configuration conf/model.conf (or conf/mfcc.conf) is missing")
    graph = path / "graph"
    static = (graph / "HCLG.fst").is_file()
    lookahead = (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file()
    if not (static or lookahead):
        problems.append(
            "the decoding graph (graph/HCLG.fst, or graph/HCLr.fst + graph/Gr.fst) is missing"
        )
    if problems and any(p.is_dir() and (p / "am").is_dir() for p in path.iterdir()):
        problems.append("the model seems to sit one folder deeper; choose that inner folder")
    return problems


def find_model_root(path: Path) -> Path:
    """``path`` or the one folder inside it (as unpacked zips often have) that holds the model."""
    if not model_problems(path):
        return path
    candidates = [p.parent.parent for p in Path(path).rglob("final.mdl") if p.parent.name == "am"]
    valid = [c for c in candidates if not model_problems(c)]
    if len(valid) == 1:
        return valid[0]
    if len(valid) > 1:
        raise ModelError(f"{path} holds {len(valid)} models; install them one at a time")
    raise ModelError("not a Vosk model: " + "; ".join(model_problems(path)))


def guess_language(name: str) -> str | None:
    """The language code in a Vosk model name (``vosk-model-small-ru-0.22`` -> ``ru``)."""
    m = _NAME_LANG.search(name.lower())
    return m.group(1) if m else None


class ModelManager:
    """Installed Vosk models, one per language, under the app data dir."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else app_subdir("models") / "vosk"
        self.root.mkdir(parents=True, exist_ok=True)

    def installed(self) -> dict[str, ModelInfo]:
        models = {}
        for folder in sorted(
            p for p in self.root.iterdir() if p.is_dir() and _LANG_RE.match(p.name)
        ):
            if model_problems(folder):
                continue
            source = ""
            info = folder / INFO_FILE
            if info.is_file():
                source = json.loads(info.read_text(encoding="utf-8")).get("source", "")
            models[folder.name] = ModelInfo(folder.name, folder, source)
        return models

    def model_for(self, lang: str) -> Path | None:
        info = self.installed().get(lang)
        return info.path if info else None

    def install(
        self,
        source: Path,
        lang: str | None = None,
        progress: Callable[[float], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> ModelInfo:
        """Install the model in ``source`` (zip or folder) for ``lang`` (guessed from its name)."""
        source = Path(source)
        if not source.exists():
            raise ModelError(f"model not found: {source}")
        lang = (lang or guess_language(source.name) or "").lower()
        if not _LANG_RE.match(lang):
            raise ModelError(f"say which language the model {source.name!r} is for (e.g. en, ru)")
        staging = Path(tempfile.mkdtemp(prefix=f".install-{lang}-", dir=self.root))
        try:
            if source.is_dir():
                root = find_model_root(source)
                _copy_tree(root, staging / "model", progress, cancel)
            elif zipfile.is_zipfile(source):
                _extract_zip(source, staging / "unpacked", progress, cancel)
                root = find_model_root(staging / "unpacked")
                root.rename(staging / "model")
            else:
                raise ModelError(f"{source.name} is neither a folder nor a zip archive")
            model = staging / "model"
            (model / INFO_FILE).write_text(
                json.dumps({"lang": lang, "source": source.name}), encoding="utf-8"
            )
            target = self.root / lang
            old = None
            if target.exists():
                old = target.rename(staging / "previous")
            model.rename(target)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            if progress:
                progress(1.0)
            return ModelInfo(lang, target, source.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def remove(self, lang: str) -> None:
        shutil.rmtree(self.root / lang, ignore_errors=True)


def _check_cancel(cancel: Callable[[], bool] | None) -> None:
    if cancel is not None and cancel():
        raise ModelError("model installation cancelled")


def _copy_tree(src: Path, dst: Path, progress, cancel) -> None:
    files = [p for p in src.rglob("*") if p.is_file()]
    for i, f in enumerate(files):
        _check_cancel(cancel)
        out = dst / f.relative_to(src)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, out)
        if progress:
            progress(0.95 * (i + 1) / len(files))


def _extract_zip(archive: Path, dst: Path, progress, cancel) -> None:
    dst.mkdir(parents=True)
    with zipfile.ZipFile(archive) as zf:
        members = zf.infolist()
        for i, member in enumerate(members):
            _check_cancel(cancel)
            target = (dst / member.filename).resolve()
            if not target.is_relative_to(dst.resolve()):
                raise ModelError(f"{archive.name} contains an unsafe path: {member.filename}")
            zf.extract(member, dst)
            if progress:
                progress(0.95 * (i + 1) / len(members))
