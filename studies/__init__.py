"""Qt-free studies: find, read and write CT series (DICOM, NIfTI, SEG) as :class:`Volume`.

``scan(path)`` lists what a folder, zip, DICOMDIR or file holds (headers only);
``open_volume(path)`` loads the best series; ``load(candidate)`` loads a chosen one.
"""

from studies.errors import (
    DamagedFile,
    LoadCancelled,
    NoSeriesFound,
    StudyError,
    UnsupportedData,
)
from studies.loader import choose, load, open_volume, preview
from studies.readers import Candidate
from studies.scan import ScanResult, scan
from studies.volume import SeriesInfo, Volume

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
    "load",
    "open_volume",
    "preview",
    "scan",
]
