"""Locating, checking and loading the shipped pre-read weights."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from inference.errors import WeightsError

if TYPE_CHECKING:
    from inference.model import UNet2D

MODELS_DIR = Path(__file__).resolve().parent.parent / "resources" / "models"
DEFAULT_WEIGHTS = MODELS_DIR / "luch-lung-unet.pt"


def read_sidecar(path: Path) -> dict:
    """The JSON sidecar next to the weights (version, training data, metrics)."""
    side = path.with_suffix(".json")
    try:
        return json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise WeightsError(f"Model description {side.name} is missing or damaged") from err


def load_model(path: Path = DEFAULT_WEIGHTS) -> tuple[UNet2D, dict]:
    """The network with its weights, checked against the sidecar's checksum."""
    # deferred: torch (about 2 s) only when a model is loaded, not for the sidecar (Settings)
    import torch

    from inference.model import UNet2D

    if not path.is_file():
        raise WeightsError(f"AI model weights not found ({path.name}); reinstall Luch")
    meta = read_sidecar(path)
    blob = path.read_bytes()
    if meta.get("sha256") and hashlib.sha256(blob).hexdigest() != meta["sha256"]:
        raise WeightsError(f"AI model weights {path.name} are damaged (checksum mismatch)")
    channels = tuple(meta.get("architecture", {}).get("channels", ())) or None
    model = UNet2D(channels) if channels else UNet2D()
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
        model.load_state_dict(state)
    except Exception as err:  # torch raises many types for a bad file
        raise WeightsError(f"AI model weights {path.name} cannot be loaded: {type(err).__name__}"
                           ) from err
    return model.eval(), meta
