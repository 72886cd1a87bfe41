"""Viewer speed and memory, against a bare VTK pipeline on the same data in the same run.

1. Frame time: scroll through a whole series in the app's axial view (Qt + VTK, with corner
   text, crosshair, scale bar) and in a bare VTK reslice-and-render pipeline (offscreen render
   window, vtkImageResliceMapper, nothing else), both at the same size. Prints the ratio.
2. The MPR layout: time per axial slice change with the other views' reference lines moving,
   and how many views are drawn per change (each once, 3).
3. Memory: in a fresh process, resident memory of the empty app, then after a generated
   512x512x1000 int16 series is shown in the MPR layout and scrolled in every view. Prints the
   growth over the volume's own bytes (goal <= 1.3).

    .venv/bin/python benchmarks/viewer_frame.py [--series PATH] [--slices 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

SIZE = (800, 800)


def synthetic_series(slices: int, rows: int = 512):
    """A chest-like phantom filled slice by slice (no temporary of the volume's size)."""
    from studies import SeriesInfo, Volume

    voxels = np.empty((slices, rows, rows), dtype=np.int16)
    yy, xx = np.mgrid[0:rows, 0:rows]
    body = ((xx - rows / 2) / (0.42 * rows)) ** 2 + ((yy - rows / 2) / (0.32 * rows)) ** 2 <= 1
    lungs = (((np.abs(xx - rows / 2) - 0.2 * rows) / (0.15 * rows)) ** 2
             + ((yy - rows / 2) / (0.22 * rows)) ** 2) <= 1
    rng = np.random.default_rng(0)
    for k in range(slices):
        plane = np.where(body, 40, -1000).astype(np.int16)
        plane[lungs & body] = -850
        plane += rng.integers(-20, 20, size=plane.shape, dtype=np.int16)
        voxels[k] = plane
    return Volume(voxels=voxels, spacing=(0.7, 0.7, 1.0), origin=(-180.0, -180.0, 0.0),
                  info=SeriesInfo(modality="CT", series_description="synthetic"))


class AppView:
    """The app's axial view (corner text, crosshair, scale bar), offscreen."""

    def __init__(self, volume) -> None:
        from PySide6.QtWidgets import QApplication

        from viewer.slice_view import SliceView
        from viewer.vtk_bridge import volume_to_vtk

        self.app = QApplication.instance() or QApplication([])
        self.view = SliceView()
        self.view.resize(*SIZE)
        self.view.show()
        self.app.processEvents()
        self.view.set_volume(volume, volume_to_vtk(volume))
        self.view.set_cursor(volume.index_to_lps(np.array([100, 100, 0])), move=False)
        self.count = self.view.slice_count

    def show(self, k: int) -> None:
        self.view.set_slice_index(k)

    def close(self) -> None:
        self.view.close()
        self.view.deleteLater()
        self.app.processEvents()


class BareVtk:
    """A bare VTK reslice-and-render pipeline: offscreen window, reslice mapper, nothing else."""

    def __init__(self, volume) -> None:
        from viewer import vtk_api as vtk
        from viewer.vtk_bridge import volume_to_vtk

        self.image = volume_to_vtk(volume)
        self.window = vtk.vtkRenderWindow()
        self.window.SetOffScreenRendering(1)
        self.window.SetMultiSamples(0)  # as the app does: a fair reference, not a handicapped one
        self.window.SetSize(*SIZE)
        renderer = vtk.vtkRenderer()
        self.window.AddRenderer(renderer)
        mapper = vtk.vtkImageResliceMapper()
        mapper.SetInputData(self.image)
        mapper.SliceFacesCameraOn()
        mapper.SliceAtFocalPointOn()
        actor = vtk.vtkImageSlice()
        actor.SetMapper(mapper)
        actor.GetProperty().SetColorWindow(1500)
        actor.GetProperty().SetColorLevel(-600)
        actor.GetProperty().SetInterpolationTypeToLinear()
        renderer.AddViewProp(actor)
        self.camera = renderer.GetActiveCamera()
        self.camera.ParallelProjectionOn()
        renderer.ResetCamera()
        self.camera.SetViewUp(0, -1, 0)
        # Same zoom as the app's fit-to-view, so both reslice the same number of screen pixels
        # (ResetCamera fits the bounding sphere and would show a smaller, cheaper image).
        _, nj, ni = volume.shape
        half_w, half_h = ni * volume.spacing[0] / 2, nj * volume.spacing[1] / 2
        self.camera.SetParallelScale(max(half_h, half_w / (SIZE[0] / SIZE[1])) * 1.02)
        self.x, self.y, _ = self.camera.GetFocalPoint()
        self.z0, self.dz = volume.origin[2], volume.spacing[2]
        self.count = volume.shape[0]
        self.window.Render()

    def show(self, k: int) -> None:
        z = self.z0 + k * self.dz
        self.camera.SetFocalPoint(self.x, self.y, z)
        self.camera.SetPosition(self.x, self.y, z - 1000)
        self.window.Render()

    def close(self) -> None:
        self.window.Finalize()


def frame_times(volume, rounds: int = 3) -> tuple[float, float]:
    """Median seconds per slice change (whole-series scroll), app and bare, interleaved."""
    app, bare = AppView(volume), BareVtk(volume)
    results: dict[str, list[float]] = {"app": [], "bare": []}
    for _ in range(rounds):
        for name, pipeline in (("app", app), ("bare", bare)):
            start = time.perf_counter()
            for k in range(pipeline.count):
                pipeline.show(k)
            results[name].append((time.perf_counter() - start) / pipeline.count)
    app.close()
    bare.close()
    return float(np.median(results["app"])), float(np.median(results["bare"]))


def layout_scroll(volume, rounds: int = 3) -> tuple[float, float]:
    """Median seconds per axial slice change in the MPR layout (3 views at 1500x600: the
    coronal and sagittal reference lines move with it), and the renders per change."""
    from PySide6.QtWidgets import QApplication

    from viewer.layouts import ReadingLayout
    from viewer.vtk_bridge import volume_to_vtk

    app = QApplication.instance() or QApplication([])
    layout = ReadingLayout("mpr")
    layout.resize(1500, 600)
    layout.show()
    app.processEvents()
    layout.set_volume(volume, volume_to_vtk(volume))
    renders = [0]
    for view in layout.views:
        view.render_window.AddObserver("StartEvent",
                                       lambda *_a: renders.__setitem__(0, renders[0] + 1))
    axial, times = layout.views[0], []
    for _ in range(rounds):
        start = time.perf_counter()
        for k in range(axial.slice_count):
            axial.set_slice_index(k)
        times.append((time.perf_counter() - start) / axial.slice_count)
    per_change = renders[0] / (rounds * axial.slice_count)
    layout.release()
    for view in layout.views:
        view.close()
    layout.deleteLater()
    app.processEvents()
    return float(np.median(times)), per_change


def memory_probe(slices: int) -> dict:
    """Run in a fresh process: RSS of the empty app, then with the series shown in MPR."""
    import psutil
    from PySide6.QtWidgets import QApplication

    from viewer.layouts import ReadingLayout
    from viewer.vtk_bridge import volume_to_vtk

    process = psutil.Process()
    app = QApplication.instance() or QApplication([])
    layout = ReadingLayout("mpr")
    layout.resize(1500, 600)
    layout.show()
    app.processEvents()
    layout.views[0].render()
    empty = process.memory_info().rss
    volume = synthetic_series(slices)
    layout.set_volume(volume, volume_to_vtk(volume))
    peak = process.memory_info().rss
    for view in layout.views:
        for index in range(0, view.slice_count, max(1, view.slice_count // 50)):
            view.set_slice_index(index)
            peak = max(peak, process.memory_info().rss)
    result = {"empty_mb": empty / 1e6, "peak_mb": peak / 1e6, "volume_mb": volume.nbytes / 1e6}
    for view in layout.views:
        view.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=Path, help="a real series to scroll (default: "
                        "../shared/data/ct/lidc-idri-0003, else the demo study)")
    parser.add_argument("--slices", type=int, default=1000, help="slices of the memory series")
    parser.add_argument("--probe", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(memory_probe(args.probe)))
        return

    from core.paths import DEMO_STUDY
    from studies import open_volume

    series = args.series or ROOT.parent / "shared" / "data" / "ct" / "lidc-idri-0003"
    if not series.exists():
        series = DEMO_STUDY
    load = os.getloadavg()[0]
    print(f"viewer benchmark, {os.cpu_count()} CPUs (load {load:.1f}), offscreen "
          f"{SIZE[0]}x{SIZE[1]}, median of 3 interleaved whole-series scrolls")
    print(f"{'series':34} {'slices':>6} {'app ms':>8} {'bare VTK ms':>12} {'ratio':>6}")
    for name, volume in ((series.name, open_volume(series)),
                         ("synthetic 512x512x300", synthetic_series(300))):
        app, bare = frame_times(volume)
        print(f"{name:34} {volume.shape[0]:>6} {app * 1e3:8.2f} {bare * 1e3:12.2f} "
              f"{app / bare:6.2f}")

    layout_s, renders = layout_scroll(open_volume(series))
    print(f"\nMPR layout (axial, coronal, sagittal at 1500x600), scrolling the axial view of "
          f"{series.name}: {layout_s * 1e3:.2f} ms per slice change, {renders:.2f} renders")

    proc = subprocess.run([sys.executable, __file__, "--probe", str(args.slices)],
                          capture_output=True, text=True, check=True)
    mem = json.loads(proc.stdout.strip().splitlines()[-1])
    growth = mem["peak_mb"] - mem["empty_mb"]
    print(f"\nmemory, MPR of a generated 512x512x{args.slices} int16 series "
          f"({mem['volume_mb']:.0f} MB):")
    print(f"empty app {mem['empty_mb']:.0f} MB, with the series {mem['peak_mb']:.0f} MB, "
          f"growth {growth:.0f} MB = {growth / mem['volume_mb']:.2f} x the volume (goal <= 1.3)")


if __name__ == "__main__":
    main()
