"""Qt-free studies: find, read and write CT series (DICOM, NIfTI, SEG) as :class:`Volume`.

``scan(path)`` lists what a folder, zip, DICOMDIR or file holds (headers only);
``open_volume(path)`` loads the best series; ``load(candidate)`` loads a chosen one.

The readers (and pydicom with its decoders) load on first use, not on ``import studies``,
which keeps them off the app's start-up path.
"""

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING

from studies.errors import (
    DamagedFile,
    LoadCancelled,
    NoSeriesFound,
    StudyError,
    UnsupportedData,
)
from studies.volume import SeriesInfo, Volume

_LAZY = {
    "Candidate": "studies.registry",
    "ScanResult": "studies.scan",
    "scan": "studies.scan",
    "choose": "studies.loader",
    "keep_decoded": "studies.loader",
    "load": "studies.loader",
    "open_volume": "studies.loader",
    "preview": "studies.loader",
    "warm_up": "studies.loader",
}

if TYPE_CHECKING:
    from studies.loader import choose, keep_decoded, load, open_volume, preview, warm_up
    from studies.registry import Candidate
    from studies.scan import ScanResult, scan


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'studies' has no attribute {name!r}")


class _Package(types.ModuleType):
    """Importing the submodule ``studies.scan`` rebinds ``studies.scan`` to that module; the
    package's ``scan`` is the function of the same name, so it is looked up there."""

    def __getattribute__(self, name: str):
        value = super().__getattribute__(name)
        if name in _LAZY and isinstance(value, types.ModuleType):
            return getattr(value, name)
        return value


sys.modules[__name__].__class__ = _Package


__all__ = [
    "Candidate",
    "DamagedFile",
    "LoadCancelled",
    "NoSeriesFound",
    "ScanResult",
    "SeriesInfo",
    "StudyError",
    "UnsupportedData",
    "Volume",
    "choose",
    "keep_decoded",
    "load",
    "open_volume",
    "preview",
    "scan",
    "warm_up",
]
