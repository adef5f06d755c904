"""The Qt face: windows, widgets, item models. The only package that imports PySide6 or matplotlib."""
