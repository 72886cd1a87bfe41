"""Qt-free access to the central archive over DICOMweb, and the local image cache.

``load_config()`` (environment or settings + OS keyring) -> ``DicomWebClient`` (QIDO-RS,
WADO-RS, STOW-RS); ``ImageCache`` / ``Prefetcher`` keep fetched studies on disk, bounded and
evicted least recently used, resumed after a dropped link; ``ProgressiveStudy`` streams one
middle slice first; ``query_studies`` is the archive side of the worklist.
"""

from archive.cache import ImageCache, Prefetcher
from archive.credentials import ArchiveConfig, load_config
from archive.dicomweb import DicomWebClient
from archive.worklist import ArchiveStudy, query_studies

__all__ = ["ArchiveConfig", "ArchiveStudy", "DicomWebClient", "ImageCache", "Prefetcher",
           "load_config", "query_studies"]
