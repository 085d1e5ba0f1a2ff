"""Drawing: folium layers for the map and matplotlib figures for the press, from frames already computed.

Each builder takes a GeoDataFrame and a style and returns a drawing; it makes data web-safe at the last moment
(EPSG:4326, only the needed columns, text escaped). It reads no file and computes no figure a page or the CLI
shows (those come from :mod:`geo`).

May import: :mod:`geo` (its root modules, :mod:`geo.analysis`, :mod:`geo.usecases`), folium, branca, matplotlib.
Never streamlit, ``app_pages``, ``cli`` or ``bench``.
"""
