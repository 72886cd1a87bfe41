"""Label editing speed on a whole real chest: a brush step and "erase component", each with
the overlay redrawn in a real view, against a plain redraw of that view.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/label_edit.py [SERIES]

SERIES: a DICOM folder (default ../shared/data/ct/lidc-idri-0001, 133 x 512 x 512). The label
map: lungs by a -400 HU threshold split at the middle column, and a 2 cm ground-glass ball
in the right lung (the component to erase). Prints medians of 7 and the ratios, and what
labelling every lesion of the whole map would cost per click (what the erase avoids).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_ms(fn, n: int = 7) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    from PySide6.QtWidgets import QApplication

    import studies
    from inference.label_edit import PAINT, LabelEditor
    from inference.labels import Label
    from studies import Volume
    from viewer.overlay import LabelOverlay
    from viewer.slice_view import SliceView
    from viewer.vtk_bridge import volume_to_vtk

    default = ROOT.parent / "shared/data/ct/lidc-idri-0001"
    series = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    app = QApplication.instance() or QApplication([])
    volume = studies.open_volume(series)
    labels = np.zeros(volume.shape, np.uint8)
    lung = volume.voxels < -400
    half = volume.shape[2] // 2
    labels[:, :, :half][lung[:, :, :half]] = Label.LUNG_RIGHT
    labels[:, :, half:][lung[:, :, half:]] = Label.LUNG_LEFT
    k, j, i = np.argwhere(labels == Label.LUNG_RIGHT).mean(axis=0).round().astype(int)
    kk, jj, ii = np.ogrid[: volume.shape[0], : volume.shape[1], : volume.shape[2]]
    sx, sy, sz = volume.spacing
    ball = ((ii - i) * sx) ** 2 + ((jj - j) * sy) ** 2 + ((kk - k) * sz) ** 2 <= 10.0 ** 2
    labels[ball] = Label.GGO_RIGHT
    editor = LabelEditor(volume, labels)
    view = SliceView()
    view.resize(800, 800)
    view.show()
    app.processEvents()
    view.set_volume(volume, volume_to_vtk(volume))
    overlay = LabelOverlay(Volume(editor.labels, volume.spacing, volume.origin,
                                  volume.direction, volume.info))
    view.add_overlay(overlay)
    centre = volume.index_to_lps(np.array([i, j, k], float))
    view.move_to_point(centre)
    normal = np.array(view.plane.normal)

    def redraw() -> None:
        overlay.refresh()
        view.render()

    plain = median_ms(view.render)
    offsets = iter(np.linspace(-30, 30, 100))

    def brush_step() -> None:
        editor.stroke(PAINT, centre + np.array([next(offsets), 0.0, 0.0]), normal)
        redraw()

    editor.set_radius(10)
    brush = median_ms(brush_step)

    def erase() -> None:
        assert editor.erase_component(centre) > 0
        redraw()
        editor.undo()

    erase_ms = median_ms(erase)

    def whole_map() -> None:  # the reference: labelling the whole map's lesions per click
        from scipy import ndimage as ndi

        ndi.label(editor.labels >= Label.GGO_RIGHT, structure=np.ones((3, 3, 3), bool))

    whole = median_ms(whole_map)
    load = os.getloadavg()[0]
    print(f"series {series.name} {volume.shape}, load {load:.1f}")
    print(f"plain redraw        {plain:7.1f} ms")
    print(f"brush step + redraw {brush:7.1f} ms  ratio {brush / plain:.2f}")
    print(f"erase component     {erase_ms:7.1f} ms  ratio {erase_ms / plain:.2f} "
          f"({int(ball.sum())} voxels)")
    print(f"(labelling the whole map's lesions instead: {whole:.1f} ms, "
          f"{whole / erase_ms:.1f}x the erase)")
    view.close()


if __name__ == "__main__":
    main()
