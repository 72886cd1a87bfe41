"""Reader registry (as in 3D Slicer's DICOM plugins).

Each reader ``examine()``s the files found at a path and returns :class:`Candidate` loadables
with a confidence in ``[0, 1]``; the best candidate for a set of files wins and its reader
``load()``s it. A reader module registers itself (``register(Reader())`` when imported);
this module imports none of them. The built-in ones are imported by :mod:`studies.readers`,
which is what :mod:`studies.scan` asks for, so that they are registered before any
``examine_all``. Adding a format means a reader module in ``studies/readers/`` and a line in
its ``__init__``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from studies.dicom_header import DicomHeader
from studies.errors import is_fatal
from studies.geometry import is_axial
from studies.sources import FileRef

if TYPE_CHECKING:  # types only, below this module
    from studies.label_map import LabelMap
    from studies.pixels import Cancel, FirstSlice, Progress
    from studies.volume import SeriesInfo, Volume


@dataclass
class Candidate:
    """Something loadable found at a path: one volume (or one label map)."""

    reader: str
    confidence: float
    kind: str  # "image" or "segmentation"
    files: list[FileRef]
    shape: tuple[int, int, int]  # (slices, rows, columns)
    info: SeriesInfo
    spacing: tuple[float, float, float] = (1.0, 1.0, 1.0)
    origin: tuple[float, float, float] = (0.0, 0.0, 0.0)
    direction: Any = None  # 3x3 ndarray
    warnings: list[str] = field(default_factory=list)
    plan: Any = None  # reader-specific: what load() needs (ordered slices, frames...)

    @property
    def label(self) -> str:
        """A short, PHI-free name: series number, description and size."""
        number = f"#{self.info.series_number} " if self.info.series_number is not None else ""
        text = self.info.series_description or self.info.modality or self.files[0].name
        return f"{number}{text} ({self.shape[0]}x{self.shape[1]}x{self.shape[2]})"

    def load(
        self,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        on_first_slice: FirstSlice | None = None,
    ) -> Volume | LabelMap:
        return REGISTRY[self.reader].load(self, progress, cancel, on_first_slice)


class Reader(Protocol):
    name: str

    def examine(self, headers: Sequence[DicomHeader], others: Sequence[FileRef]
                ) -> list[Candidate]: ...

    def load(self, candidate: Candidate, progress: Progress | None, cancel: Cancel | None,
             on_first_slice: FirstSlice | None) -> Volume | LabelMap: ...


REGISTRY: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    REGISTRY[reader.name] = reader
    return reader


def examine_all(headers: Sequence[DicomHeader], others: Sequence[FileRef],
                on_error: Callable[[str, Exception], None] | None = None) -> list[Candidate]:
    """Every registered reader's candidates; for each file set keep the most confident one."""
    candidates: list[Candidate] = []
    for reader in REGISTRY.values():
        try:
            candidates += reader.examine(headers, others)
        except BaseException as err:
            if is_fatal(err):
                raise
            if on_error:
                on_error(reader.name, err)
    best: dict[frozenset[FileRef], Candidate] = {}
    for c in candidates:
        key = frozenset(c.files)
        if key not in best or c.confidence > best[key].confidence:
            best[key] = c
    return sorted(best.values(), key=_rank)


def _rank(c: Candidate) -> tuple:
    """Best first: the most confident reader, the most slices; among equals an axial series
    before a coronal or sagittal one (a study of single images opens on its axial image),
    then the lower series number."""
    axial = c.direction is None or is_axial(np.asarray(c.direction, dtype=float)[:, 2])
    number = c.info.series_number if c.info.series_number is not None else 1 << 30
    return (-c.confidence, -c.shape[0], not axial, number)

