"""Key images of a study, Qt-free: the slices the reader marked to go with the report.

A key image is one acquired slice (one SOP instance) of a series. The marks live here, not
in the views: the views show "Key image" on a marked slice, the key image list shows them
all, and the report names them and sends them to the archive as a Key Object Selection
document when it is signed (:mod:`records.key_objects`). They are kept per study under the
app data dir (the file name is a hash of the Study Instance UID), so they are there when the
study is opened again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from core.crypto import SealError
from core.observable import Observable
from core.paths import app_subdir
from core.private_names import private_path
from core.vault import read_private_json, write_private_json
from studies import Volume


class NotAnImage(ValueError):
    """The slice is no acquired image of its own (a reformat, or a multi-frame object)."""


@dataclass(frozen=True)
class KeyImage:
    """One marked slice: ``index`` is its ``k`` in the volume, ``slice`` the number the reader
    sees (1 = most cranial)."""

    series_uid: str
    series_number: int | None
    sop_class_uid: str
    sop_instance_uid: str
    index: int
    slice: int

    def to_dict(self) -> dict:
        return asdict(self)


def key_image_of(volume: Volume, index: int, number: int) -> KeyImage:
    """The key image of slice ``index`` (``k``) of ``volume``, shown as slice ``number``;
    :class:`NotAnImage` when the slice is not one stored image."""
    info = volume.info
    uids = info.sop_instance_uids
    if len(uids) != volume.shape[0] or not 0 <= index < len(uids) or not uids[index]:
        raise NotAnImage("the slices of this series are not separate images")
    if "SeriesInstanceUID" in info.derived_uids or not info.sop_class_uid:
        raise NotAnImage("the series has no DICOM identity")
    return KeyImage(info.series_instance_uid, info.series_number, info.sop_class_uid,
                    uids[index], int(index), int(number))


class KeyImages(Observable):
    """The key images of one study, in marking order; observable (``subscribe``)."""

    def __init__(self, study_uid: str = "") -> None:
        super().__init__()
        self.study_uid = study_uid
        self._items: list[KeyImage] = []

    @property
    def items(self) -> list[KeyImage]:
        """Sorted as the report names them: by series number, then slice."""
        return sorted(self._items, key=lambda m: (m.series_number or 0, m.series_uid, m.slice))

    def __len__(self) -> int:
        return len(self._items)

    def marked(self, series_uid: str, index: int) -> bool:
        return any(m.series_uid == series_uid and m.index == index for m in self._items)

    def toggle(self, image: KeyImage) -> bool:
        """Mark ``image``, or unmark it when marked; True when it is marked now."""
        if self.marked(image.series_uid, image.index):
            self.remove(image.sop_instance_uid)
            return False
        self._items.append(image)
        self._changed()
        return True

    def remove(self, sop_instance_uid: str) -> None:
        kept = [m for m in self._items if m.sop_instance_uid != sop_instance_uid]
        if len(kept) != len(self._items):
            self._items = kept
            self._changed()

    def as_dicts(self) -> list[dict]:
        """What the report stores (``_key_images``) and sends as a KOS."""
        return [m.to_dict() for m in self.items]

    # -- kept with the study ------------------------------------------------------------------
    def load(self, study_uid: str) -> None:
        """Take the key images kept for ``study_uid`` (none when nothing was kept)."""
        self.study_uid = study_uid
        self._items = []
        path = _file(study_uid) if study_uid else None
        if path is not None and path.exists():
            try:
                self._items = [KeyImage(**d) for d in read_private_json(path)]
            except (ValueError, TypeError, SealError):
                path.replace(path.with_suffix(".broken.json"))  # kept for recovery
        self._emit()

    def _changed(self) -> None:
        if self.study_uid:
            write_private_json(_file(self.study_uid), [m.to_dict() for m in self._items])
        self._emit()


def _file(study_uid: str) -> Path:
    return private_path(app_subdir("key-images"), study_uid, ".json")
