"""Discovery: find every loadable series at a path (folder, zip, DICOMDIR, file).

One header-only pass over the files, then every registered reader examines them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from studies.headers import read_headers
from studies.pixels import Progress
from studies.readers import Candidate, examine_all
from studies.sources import FileRef, files_beside, list_files

log = logging.getLogger(__name__)


@dataclass
class ScanResult:
    """What a path holds: loadable candidates, best first, plus what was skipped."""

    candidates: list[Candidate]
    files_seen: int
    non_dicom_files: int
    other_dicom_objects: int  # reports, presentation states, ... (no image pixels)
    notes: list[str] = field(default_factory=list)
    #: the file asked about, when the result describes the whole series it belongs to
    given: FileRef | None = None

    @property
    def images(self) -> list[Candidate]:
        return [c for c in self.candidates if c.kind == "image" and c.shape[0] > 0]

    @property
    def segmentations(self) -> list[Candidate]:
        return [c for c in self.candidates if c.kind == "segmentation"]


def scan(path: str | Path, progress: Progress | None = None,
         whole_series: bool = False) -> ScanResult:
    """List the series at ``path`` from file headers only (no pixel data is read).

    With ``whole_series``, one slice file describes the whole series it belongs to in its
    folder, as :func:`studies.open_volume` opens it (``given`` is that file)."""
    files = list_files(path)
    result = scan_files(files, progress if len(files) > 1 or not whole_series else None)
    images = result.images
    if whole_series and len(files) == 1 and images and is_one_slice(images[0]):
        series = whole_series_of(images[0], progress)
        return ScanResult([series], 1, 0, 0, given=files[0])
    return result


def scan_files(files: list[FileRef], progress: Progress | None = None) -> ScanResult:
    """List the series that ``files`` hold (headers only)."""
    headers, others = read_headers(files, progress)
    errors: list[str] = []

    def on_error(reader: str, err: Exception) -> None:
        log.warning("reader %s failed while examining: %s", reader, type(err).__name__)
        errors.append(reader)

    candidates = examine_all(headers, others, on_error)
    used = {ref for c in candidates for ref in c.files}
    non_dicom = sum(1 for ref in others if ref not in used)
    other_objects = sum(1 for h in headers if h.ref not in used)
    notes = []
    if non_dicom:
        notes.append(f"{non_dicom} file(s) are not DICOM or NIfTI and were skipped")
    if other_objects:
        notes.append(f"{other_objects} DICOM object(s) without a loadable image were skipped "
                     "(reports, localizers, presentation states...)")
    if errors:
        notes.append("Some files could not be examined: " + ", ".join(sorted(set(errors))))
    if progress:
        progress(1.0)
    log.info("scan: %d files, %d candidates", len(files), len(candidates))
    return ScanResult(candidates, len(files), non_dicom, other_objects, notes)


def is_one_slice(candidate: Candidate) -> bool:
    """A single classic slice opened as a file on disk (not from a zip or DICOMDIR)."""
    return (candidate.reader == "dicom-series" and candidate.shape[0] == 1
            and candidate.files[0].member is None)


def whole_series_of(candidate: Candidate, progress: Progress | None = None) -> Candidate:
    """The series in the same folder that the one slice of ``candidate`` belongs to: same
    Series Instance UID and geometry (a radiologist opening one file means its series)."""
    chosen = candidate.files[0]
    siblings = files_beside(chosen.path)
    if len(siblings) < 2:
        return candidate
    for sibling in scan_files(siblings, progress).images:
        if chosen in sibling.files:
            if sibling.shape[0] > 1:
                log.info("the whole series of the chosen file: %d slices of %d files in its "
                         "folder", sibling.shape[0], len(siblings))
            return sibling
    return candidate
