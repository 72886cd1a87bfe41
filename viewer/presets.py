"""Window/level presets (Hounsfield units) and their default number keys."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class WindowPreset:
    """A display window: ``center`` (level) and ``width`` in HU, bound to ``key``."""

    name: str
    center: float
    width: float
    key: str = ""

    @property
    def low(self) -> float:
        return self.center - self.width / 2

    @property
    def high(self) -> float:
        return self.center + self.width / 2


DEFAULT_PRESETS: tuple[WindowPreset, ...] = (
    WindowPreset("lung", -600, 1500, "1"),
    WindowPreset("mediastinum", 40, 400, "2"),
    WindowPreset("bone", 300, 1500, "3"),
    WindowPreset("soft-tissue", 50, 350, "4"),
)

SETTINGS_KEY = "viewer.window_presets"


def load_presets(settings=None) -> list[WindowPreset]:
    """User presets from settings (a list of dicts) or the defaults."""
    stored = settings.get(SETTINGS_KEY) if settings is not None else None
    if not stored:
        return list(DEFAULT_PRESETS)
    presets = []
    for item in stored:
        try:
            presets.append(WindowPreset(str(item["name"]), float(item["center"]),
                                        float(item["width"]), str(item.get("key", ""))))
        except (KeyError, TypeError, ValueError):
            continue
    return presets or list(DEFAULT_PRESETS)


def save_presets(settings, presets: list[WindowPreset]) -> None:
    settings.set(SETTINGS_KEY, [asdict(p) for p in presets])


def find_preset(presets: list[WindowPreset], name: str) -> WindowPreset:
    for preset in presets:
        if preset.name == name:
            return preset
    names = ", ".join(p.name for p in presets)
    raise KeyError(f"unknown window preset {name!r}; known: {names}")
