"""Text over images kept legible: a dark outline (shadow) and a faint dark box behind it,
so corner text and measurement values read over bone, contrast and metal alike."""

from __future__ import annotations

from viewer import vtk_api as vtk


def outline(prop: vtk.vtkTextProperty) -> vtk.vtkTextProperty:
    """Give ``prop`` a black shadow and a half-opaque black background; returns it."""
    prop.ShadowOn()
    prop.SetShadowOffset(1, -1)
    prop.SetBackgroundColor(0.0, 0.0, 0.0)
    prop.SetBackgroundOpacity(0.55)
    return prop
