"""Qt-free studies: find, read and write CT series (DICOM, NIfTI) as :class:`Volume`."""

from studies.errors import NoSeriesFound, StudyError
from studies.loader import open_volume
from studies.volume import SeriesInfo, Volume

__all__ = ["NoSeriesFound", "SeriesInfo", "StudyError", "Volume", "open_volume"]
