"""``luch analyze PATH``: the AI pre-read (lungs, GGO, consolidation, CT-0..CT-4) of a CT."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.commands._audit import audit_access
from core.errors import LuchError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="AI pre-read of a chest CT: %% involvement and CT-0..CT-4 (investigational)",
        description="Segment lungs, ground-glass opacity and consolidation, measure % "
                    "involvement and grade CT-0..CT-4. Investigational: a radiologist must "
                    "review every result.")
    parser.add_argument("path", type=Path, help="DICOM folder/file or NIfTI file of a chest CT")
    parser.add_argument("--prior", type=Path, help="a prior study of the same patient: "
                        "report the change")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    parser.add_argument("--engine", choices=("unet", "classical"), default="unet",
                        help="unet (default) or the classical densitometric baseline")
    parser.add_argument("--rule", choices=("worst-lung", "both-lungs"), default=None,
                        help="grade by the more involved lung (default) or both lungs together "
                             "(default from the setting inference.grade_rule)")
    parser.add_argument("--json", dest="json_out", type=Path, metavar="OUT",
                        help="write the result as JSON ('-' for stdout)")
    parser.add_argument("--mask", type=Path, metavar="OUT.nii.gz",
                        help="write the label map as NIfTI (1/2 lungs R/L, 3/4 GGO R/L, "
                             "5/6 consolidation R/L)")
    parser.add_argument("--seg", type=Path, metavar="OUT.dcm", help="write a DICOM SEG")
    parser.add_argument("--sr", type=Path, metavar="OUT.dcm",
                        help="write a DICOM Comprehensive 3D SR (TID 1500)")
    parser.add_argument("--save", action="store_true",
                        help="store the result in the local records (queued for the archive; "
                             "kept local when the study's UID was derived from the images)")
    parser.set_defaults(run=run)


def _progress(label: str):
    if not sys.stderr.isatty():
        return None

    def show(fraction: float) -> None:
        print(f"\r{label} {100 * fraction:5.1f} %", end="", file=sys.stderr, flush=True)

    return show


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    import studies
    from core.settings import Settings
    from inference.grading import GradeRule
    from inference.preread import AnalysisJob, PreReadOptions

    rule = args.rule or Settings().get("inference.grade_rule", GradeRule.WORST_LUNG.value)
    options = PreReadOptions(engine=args.engine, device=args.device, rule=GradeRule(rule))
    prior_result = None
    if args.prior:
        prior_volume = studies.open_volume(args.prior)
        prior_result = AnalysisJob(prior_volume, options, _progress("prior")).start().result()
    volume = studies.open_volume(args.path)

    audit_access("analyzed", [volume.info.study_instance_uid])
    sources = _dicom_sources(args, volume)  # before the run: a NIfTI source fails fast
    result = AnalysisJob(volume, options, _progress("AI pre-read"), prior_result).start().result()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    data = result.to_json()
    _write_outputs(args, volume, result, sources)
    if args.save:
        data["saved_ai_result_id"] = _save(volume, result, args)
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if args.json_out and str(args.json_out) != "-":
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(text + "\n", encoding="utf-8")
    if args.json_out and str(args.json_out) == "-":
        print(text)
    else:
        print(_summary(data))
    return 0


def _dicom_sources(args, volume):
    if not (args.seg or args.sr):
        return None
    # deferred: `luch --help` and the other commands do not load it
    from inference.dicom_out import source_datasets

    return source_datasets(args.path, volume)


def _write_outputs(args, volume, result, sources) -> None:
    if args.mask:
        _write_mask(args.mask, volume, result.labels)
    if sources is not None:
        # deferred: `luch --help` and the other commands do not load it
        from inference.dicom_out import make_seg, make_sr

        seg = make_seg(result, sources) if args.seg else None
        if seg is not None:
            args.seg.parent.mkdir(parents=True, exist_ok=True)
            seg.save_as(args.seg)
        if args.sr:
            args.sr.parent.mkdir(parents=True, exist_ok=True)
            make_sr(result, sources, seg).save_as(args.sr)


def _write_mask(path: Path, volume, labels) -> None:
    # deferred: `luch --help` and the other commands do not load it
    import SimpleITK as sitk

    image = sitk.GetImageFromArray(labels)
    image.SetSpacing(tuple(float(v) for v in volume.spacing))
    image.SetOrigin(tuple(float(v) for v in volume.origin))
    image.SetDirection(tuple(float(v) for v in volume.direction.ravel()))
    path.parent.mkdir(parents=True, exist_ok=True)
    sitk.WriteImage(image, str(path), useCompression=True)


def _save(volume, result, args) -> int:
    # deferred: `luch --help` and the other commands do not load it
    import records

    uid = volume.info.study_instance_uid
    if not uid:
        raise LuchError("This study has no Study Instance UID and none could be derived from its "
                       "images, so it cannot be saved to the records")
    store = records.open_store()
    try:
        masks = [str(p) for p in (args.mask, args.seg, args.sr) if p]  # DICOM ones are sent
        return store.save_ai_result(
            uid, model_name=f"luch-{result.engine}", model_version=result.model_version,
            values=result.to_json(), mask_files=masks,
            series_instance_uid=volume.info.series_instance_uid,
            study_uid_derived=volume.info.study_is_local)
    finally:
        store.close()


def _summary(d: dict) -> str:
    inv, vol = d["involvement_percent"], d["volumes_ml"]
    lines = [
        f"AI pre-read (investigational, {d['engine']} {d['model_version']}, {d['device']}, "
        f"{d['seconds']:.1f} s)",
        f"grade {d['grade']}  (worst lung {d['grade_worst_lung']}, both lungs "
        f"{d['grade_both_lungs']}; rule {d['grade_rule']})",
        f"involvement right {inv['right']} %, left {inv['left']} %, total {inv['total']} %",
        f"lungs right {vol['lung_right']} mL, left {vol['lung_left']} mL; GGO {vol['ggo']} mL, "
        f"consolidation {vol['consolidation']} mL",
        f"COVID-19 pattern probability: {d['probability']}",
    ]
    if d["quality_flags"]:
        lines.append("quality: " + "; ".join(d["quality_flags"]))
    if "dynamics" in d:
        dyn = d["dynamics"]
        flag = "  ** increase >= 50 % **" if dyn["flag_increase"] else ""
        lines.append(f"vs prior: {dyn['grade_change']}, total "
                     f"{(dyn['involvement_change_pp'] or {}).get('total', 'n/a')} pp, "
                     f"{dyn['comment']}{flag}")
    lines.append(d["notice"])
    return "\n".join(lines)
