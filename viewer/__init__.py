"""Qt + VTK widgets for reading CT: slice views, MPR, overlays, measurements."""
