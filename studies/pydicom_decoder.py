"""One slice's stored values through pydicom's decoder plugins (GDCM first for the
JPEG family, then pylibjpeg/openjpeg): the path for what :mod:`studies.frame_decoders` does
not take. :mod:`studies.decode_pool` runs it in worker processes, :mod:`studies.pixels` on
threads; errors become :class:`~studies.errors.DamagedFile` or ``UnsupportedData``.
"""

from __future__ import annotations

import logging

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.uid import (
    JPEG2000,
    JPEG2000Lossless,
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    JPEGLossless,
    JPEGLosslessSV1,
    JPEGLSLossless,
    JPEGLSNearLossless,
)

from studies import fastscan
from studies.errors import DamagedFile, SealedFileDamaged, UnsupportedData, is_fatal
from studies.sources import FileRef

log = logging.getLogger(__name__)


def decode_file(ref: FileRef, frame: int | None, syntax: str) -> np.ndarray:
    """Stored pixel values of one (frame of a) compressed or unusual file, as 2D array."""
    try:
        with ref.open() as fp:
            ds = pydicom.dcmread(fp, force=True)
            raw = _decode(ds, frame, syntax)
    except (MemoryError, KeyboardInterrupt, SealedFileDamaged):
        raise
    except (NotImplementedError, RuntimeError) as err:
        if "plugin" in str(err).lower() or "decod" in str(err).lower():
            raise UnsupportedData(
                f"{ref.name}: transfer syntax {_syntax_name(syntax)} cannot be decoded"
            ) from err
        raise DamagedFile(f"The pixel data of {ref.name} is damaged") from err
    except BaseException as err:
        if is_fatal(err):
            raise
        raise DamagedFile(f"The pixel data of {ref.name} is damaged") from err
    if raw.ndim != 2:
        raise UnsupportedData(f"{ref.name} holds colour or multi-sample images, not CT")
    return raw


#: JPEG-family syntaxes go to GDCM first: it decodes with the GIL released, so slices decode
#: in parallel threads (pylibjpeg's decoders hold it), and it is what SimpleITK uses, so
#: lossy data decodes to the same values. pylibjpeg is the fallback.
GDCM_FIRST = {
    JPEG2000Lossless, JPEG2000, JPEGLSLossless, JPEGLSNearLossless, JPEGLossless,
    JPEGLosslessSV1, JPEGBaseline8Bit, JPEGExtended12Bit,
}


def _decode(ds: Dataset, frame: int | None, syntax: str) -> np.ndarray:
    """Decode with the preferred plugin, then with the others (e.g. 12-bit lossy JPEG that
    only GDCM reads)."""
    plugins = ["gdcm", ""] if syntax in GDCM_FIRST else ["", "gdcm"]
    if not _has_gdcm():
        plugins = [""]
    for n, plugin in enumerate(plugins):
        try:
            return pydicom.pixels.pixel_array(ds, index=frame, decoding_plugin=plugin)
        except BaseException as err:
            if is_fatal(err) or n == len(plugins) - 1:
                raise
            log.debug("plugin %r could not decode; trying the next", plugin or "default")
    raise AssertionError("unreachable")


def _has_gdcm() -> bool:
    return fastscan.available()


def _syntax_name(syntax: str) -> str:
    uid = pydicom.uid.UID(syntax)
    return uid.name if uid.is_valid else repr(syntax)
