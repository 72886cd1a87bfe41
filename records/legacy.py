"""Import of reports from a legacy RIS: JSON Lines, one report a line.

``{"study": {"study_instance_uid", "patient_id", "patient_name", "study_date",
"accession_number"}, "fields": {...}, "text": "...", "status": "final", "author": "..."}``

The whole file is checked first and nothing is imported if a line is bad (the error names the
line, never its patient data). Each report gets a UID derived from its line, so importing the
same file twice adds nothing and sends nothing twice. Every imported report not in draft is
queued for the archive.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from records.errors import ImportFormatError, ProtocolError
from records.models import ReportStatus
from records.protocol import Protocol
from records.store import Store

NAMESPACE = uuid.UUID("6f1d7a52-9d1e-4a55-9a3e-5b8e1a0c2d17")
STUDY_KEYS = ("study_instance_uid", "patient_id", "patient_name", "study_date",
              "accession_number")
MAX_ERRORS = 10


@dataclass(frozen=True)
class LegacyReport:
    line: int
    report_uid: str
    study: dict[str, str]
    fields: dict[str, Any]
    text: str
    status: ReportStatus
    author: str
    signed_at: datetime | None


@dataclass
class ImportSummary:
    imported: int = 0
    skipped: int = 0  # already imported before


def _parse_line(number: int, raw: str, protocol: Protocol | None) -> LegacyReport:
    try:
        obj = json.loads(raw)
    except ValueError as err:
        raise ImportFormatError(f"line {number}: not valid JSON ({err.msg})") from err
    if not isinstance(obj, dict):
        raise ImportFormatError(f"line {number}: expected a JSON object")
    study = obj.get("study")
    if not isinstance(study, dict) or not study.get("study_instance_uid"):
        raise ImportFormatError(f"line {number}: study.study_instance_uid is missing")
    study = {k: str(study.get(k) or "") for k in STUDY_KEYS}
    fields = obj.get("fields") or {}
    if not isinstance(fields, dict):
        raise ImportFormatError(f"line {number}: fields must be an object")
    try:
        status = ReportStatus(obj.get("status", "final"))
    except ValueError as err:
        raise ImportFormatError(f"line {number}: unknown status {obj.get('status')!r}") from err
    author = obj.get("author")
    if not isinstance(author, str) or not author.strip():
        raise ImportFormatError(f"line {number}: author is missing")
    text = obj.get("text") or ""
    if not isinstance(text, str):
        raise ImportFormatError(f"line {number}: text must be a string")
    if protocol is not None:
        try:
            fields = protocol.validate(fields)
            text = text or protocol.render(fields, obj.get("language", "ru"))
        except ProtocolError as err:
            raise ImportFormatError(f"line {number}: {err}") from err
    signed_at = None
    if obj.get("signed_at"):
        try:
            signed_at = datetime.fromisoformat(obj["signed_at"])
        except (TypeError, ValueError) as err:
            raise ImportFormatError(f"line {number}: signed_at is not an ISO date-time") from err
        if signed_at.tzinfo is None:
            raise ImportFormatError(f"line {number}: signed_at needs a time zone")
    digest = hashlib.sha256(raw.strip().encode("utf-8")).hexdigest()
    return LegacyReport(number, str(uuid.uuid5(NAMESPACE, digest)), study, fields, text,
                        status, author.strip(), signed_at)


def read_legacy_file(path: Path, protocol: Protocol | None = None) -> list[LegacyReport]:
    """Parse and check every line; raises one error listing the first bad lines."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise ImportFormatError(f"cannot read {path.name} as UTF-8 text") from err
    reports, errors = [], []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            reports.append(_parse_line(number, raw, protocol))
        except ImportFormatError as err:
            errors.append(str(err))
    if errors:
        more = f" (and {len(errors) - MAX_ERRORS} more)" if len(errors) > MAX_ERRORS else ""
        raise ImportFormatError(f"{path.name}: nothing imported; "
                                + "; ".join(errors[:MAX_ERRORS]) + more)
    return reports


def import_reports(store: Store, path: Path, *, protocol: Protocol | None = None,
                   actor: str = "import", progress: Callable[[float], None] | None = None
                   ) -> ImportSummary:
    reports = read_legacy_file(path, protocol)
    summary = ImportSummary()
    for i, r in enumerate(reports, start=1):
        if store.has_report(r.report_uid):
            summary.skipped += 1
        else:
            s = r.study
            store.upsert_study(s["study_instance_uid"], patient_id=s["patient_id"],
                               patient_name=s["patient_name"], study_date=s["study_date"],
                               accession_number=s["accession_number"])
            store.save_report(s["study_instance_uid"], author=r.author, fields=r.fields,
                              text=r.text, status=r.status, new_report_uid=r.report_uid,
                              signed_at=r.signed_at, legacy=True,
                              protocol=protocol.id if protocol else "")
            summary.imported += 1
        if progress:
            progress(i / len(reports))
    store.audit(actor, "imported", file=path.name, imported=summary.imported,
                skipped=summary.skipped)
    return summary
