"""Static, print-quality maps for the press: matplotlib figures, no browser, no file I/O.

Each figure carries what a published map must: title and subtitle, legend, scale bar,
north arrow, an inset locating the two regions in France, and a bottom line with the
sources and their vintages (Licence Ouverte: producer + date) and the build date.

Print maps are drawn in Lambert-93 (EPSG:2154), the official projection for France:
the scale bar is true and grid north is true north within 3° over the two regions.
Text stays text in PDF (TrueType embedded) and SVG (``svg.fonttype = none``), set in Inter (OFL)
once the caller has registered the vendored fonts with :func:`register_fonts`.
"""

from layers.press.dossier import build_dossier
from layers.press.exports import PressExport, chosen_view, export_dossier, export_view, view_data
from layers.press.page import FORMATS, LAYOUTS, PNG_DPI, PlacedLabel, PressMap
from layers.press.render import render, to_bytes
from layers.press.typography import register_fonts
from layers.press.views import MEASURE_LABELS, VIEWS, PressData, PressView, press_data, view_from_map

__all__ = [
    "build_dossier",
    "chosen_view",
    "export_dossier",
    "export_view",
    "PressExport",
    "view_data",
    "FORMATS",
    "LAYOUTS",
    "MEASURE_LABELS",
    "PNG_DPI",
    "VIEWS",
    "PlacedLabel",
    "PressData",
    "PressMap",
    "PressView",
    "press_data",
    "register_fonts",
    "render",
    "to_bytes",
    "view_from_map",
]
