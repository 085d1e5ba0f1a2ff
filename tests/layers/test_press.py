"""Press maps on the real build: every view in every format, sizes and DPI, text kept, no label overlap, colours."""

from __future__ import annotations

import io
import itertools
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib.offsetbox import AnchoredOffsetbox
from matplotlib.text import Text
from PIL import Image
from pypdf import PdfReader
from shapely.geometry import Point

from geo import settings
from geo.analysis.projects import default_selection, typed_projects
from geo.crs import LAMBERT93
from layers.press import LAYOUTS, PNG_DPI, VIEWS, press_data, register_fonts, render, to_bytes
from layers.projects import SECTOR_COLOURS
from layers.territories import overlay_territories
from tests.conftest import pdf_text


@pytest.fixture(scope="module")
def shown_projects(store):
    return default_selection(typed_projects(store.read("projets")))


@pytest.fixture(scope="module", autouse=True)
def press_fonts():
    """Inter as the app and the CLI register it (installed by `make install`)."""
    fonts = sorted(settings.FONTS_DIR.glob("*.ttf"))
    assert fonts, f"no TrueType font in {settings.FONTS_DIR}: run `make install`"
    register_fonts(fonts)


@pytest.fixture(scope="module")
def rendered(store, shown_projects):
    """Every ready-made view, in the slide and A4 portrait layouts (plus A4 landscape for one)."""
    cases = [*itertools.product(VIEWS, ("16:9", "a4")), ("ti2", "a4-paysage")]
    return {
        (key, layout): render(VIEWS[key], press_data(store.read, VIEWS[key], projects=shown_projects), layout=layout)
        for key, layout in cases
    }


_EXPORTS: dict[tuple[int, str], tuple[object, bytes]] = {}


def _exported(press_map, fmt: str) -> bytes:
    """The map's bytes in ``fmt``, written once per map and format in this module: a 300-dpi PNG or a PDF of a press
    map takes about a second, and several tests read the same one (the map is kept with its bytes, so that its
    ``id`` is never another map's)."""
    key = (id(press_map), fmt)
    if key not in _EXPORTS:
        _EXPORTS[key] = (press_map, to_bytes(press_map, fmt))
    return _EXPORTS[key][1]


@pytest.mark.parametrize("key", list(VIEWS))
def test_every_view_as_pdf_and_svg_is_valid_with_its_title_and_sources(rendered, key):
    """The PNG of every view is checked in the dossier (tests/layers/test_dossier.py), which writes them all: a
    300-dpi PNG takes about a second to write."""
    press_map = rendered[(key, "16:9")]
    title = VIEWS[key].title
    width, height = LAYOUTS["16:9"]

    pdf_bytes = _exported(press_map, "pdf")
    text = " ".join(pdf_text(pdf_bytes).split())
    assert title in text and "Sources :" in text and "INSEE" in text
    box = PdfReader(io.BytesIO(pdf_bytes)).pages[0].mediabox
    assert (round(float(box.width) / 72, 2), round(float(box.height) / 72, 2)) == (round(width, 2), round(height, 2))

    svg = ET.fromstring(_exported(press_map, "svg"))
    texts = " ".join("".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert title in texts and "Sources :" in texts  # text kept as text, not paths


@pytest.mark.parametrize("layout", ["a4", "a4-paysage"])
def test_a4_layouts_have_their_page_size(rendered, layout):
    figure = rendered[("ti2", layout)].figure
    assert tuple(np.round(figure.get_size_inches(), 2)) == tuple(np.round(LAYOUTS[layout], 2))


def test_labels_never_overlap_and_most_territories_are_named(rendered):
    for (key, layout), press_map in rendered.items():
        boxes = [label.bbox for label in press_map.labels]
        for first, second in itertools.combinations(boxes, 2):
            assert not first.overlaps(second), (key, layout)
        if VIEWS[key].overlays:
            named = len(press_map.labels) / (len(press_map.labels) + len(press_map.dropped_labels))
            assert named >= 0.8, (key, layout, press_map.dropped_labels)


def _pixels_at(press_map, points_l93):
    """RGB of the 300-dpi PNG at Lambert-93 points, skipping points under a label."""
    image = np.asarray(Image.open(io.BytesIO(_exported(press_map, "png"))).convert("RGB")).astype(int)
    scale = PNG_DPI / press_map.figure.dpi
    colours = []
    for point in points_l93:
        x, y = press_map.map_axes.transData.transform((point.x, point.y))
        if any(label.bbox.expanded(1.2, 1.4).contains(x, y) for label in [*press_map.labels, *press_map.places]):
            continue
        colours.append(image[int(round(image.shape[0] - y * scale)), int(round(x * scale))])
    return np.array(colours)


def test_territories_are_filled_with_their_colour_at_known_places(rendered, store):
    press_map = rendered[("ti2", "16:9")]
    territories = overlay_territories(store.read("territoires_web"), "ti2").to_crs(LAMBERT93)
    inner = territories.geometry.buffer(-4000)
    inner = inner[~inner.is_empty]
    samples = list(inner.sample_points(4, rng=0).explode().geometry)  # 4 seeded random points per territory
    colours = _pixels_at(press_map, samples)
    expected = 0.65 * 255 + 0.35 * np.array([0x00, 0x72, 0xB2])  # #0072B2 at 35 % over white
    matching = (np.abs(colours - expected) <= 14).all(axis=1)
    assert len(colours) >= 25 and matching.mean() >= 0.8, colours[~matching][:5]

    epci = store.read("epci_web").to_crs(LAMBERT93)
    outside = epci[~epci.intersects(territories.union_all())].geometry.buffer(-2000)
    white = _pixels_at(press_map, [g.representative_point() for g in outside if not g.is_empty])
    assert len(white) >= 5 and ((white >= 240).all(axis=1)).mean() >= 0.8


def test_choropleth_view_colours_the_epci_of_dunkerque_in_the_top_class(rendered, store):
    press_map = rendered[("emplois-epci", "16:9")]
    epci = store.read("epci_web").to_crs(LAMBERT93).set_index("siren")
    inner = epci.loc[["245900428"]].geometry.buffer(-1500)  # CU de Dunkerque
    samples = list(inner.sample_points(6, rng=0).explode().geometry)  # some may sit under a name
    colours = _pixels_at(press_map, samples)
    assert len(colours) >= 2 and all(tuple(colour) == (0x22, 0x5E, 0xA8) for colour in colours)  # darkest class
    assert all(isinstance(point, Point) for point in samples)


@pytest.mark.parametrize("key", list(VIEWS))
def test_every_view_exports_a_self_contained_html_file(store, tmp_path, key):
    from cli import main

    out = tmp_path / f"{key}.html"
    assert main(["export", "--view", key, "--format", "html", "--out", str(out), "--store", str(store.path)]) == 0
    page = out.read_text(encoding="utf-8")
    assert VIEWS[key].title.replace("'", "&#x27;") in page
    assert "<script src=" not in page and '<link rel="stylesheet" href' not in page  # Leaflet inlined
    assert "L.map(" in page and "Sources : " in page


def test_names_without_room_are_numbered_with_a_key(rendered):
    press_map = rendered[("ti2", "16:9")]
    named = {label.text for label in press_map.labels}
    numbered = dict(press_map.numbered_labels)
    assert len(named - set(numbered)) + len(numbered) + len(press_map.dropped_labels) == 39
    assert not press_map.dropped_labels  # every TI 2024-2027 is named or numbered on a slide
    key_text = " ".join(t.get_text() for t in press_map.map_axes.texts)
    for number, name in numbered.items():
        assert f"{number}  {name}" in key_text


def test_maps_that_draw_approached_perimeters_say_so(rendered, store, shown_projects):
    bassins = press_data(store.read, VIEWS["bassins-projets"], projects=shown_projects)
    assert any(label == "Bassin minier" and "BUD" in note for label, note in bassins.caveats)
    texts = " ".join(t.get_text() for t in rendered["bassins-projets", "a4"].figure.texts)
    assert "Périmètres approchés" in texts and "Bassin minier" in texts
    ti2 = " ".join(t.get_text() for t in rendered["ti2", "16:9"].figure.texts)
    assert "Périmètres approchés" not in ti2  # the Territoires d'industrie are official lists


def test_unsourced_rows_stay_off_press_maps_unless_asked(store, shown_projects):
    unsourced = shown_projects.assign(sourced=False)
    view = VIEWS["bassins-projets"]
    assert len(press_data(store.read, view, projects=unsourced).projects) == 0
    assert len(press_data(store.read, view, projects=unsourced, include_unsourced=True).projects) == len(unsourced)


def test_sources_line_cites_what_is_drawn_and_only_that(store, shown_projects):
    def sources(key):
        return " ; ".join(press_data(store.read, VIEWS[key], projects=shown_projects).sources)

    bassins = sources("bassins-projets")
    assert "Mission Bassin Minier" in bassins and "projets industriels" in bassins
    assert "Territoires d'industrie" not in bassins and "Zones d'emploi" not in bassins
    ti2 = sources("ti2")
    assert "Territoires d'industrie phase 2" in ti2 and "phase 1" not in ti2 and "projets industriels" not in ti2
    assert "Cartofriches" in sources("foncier-ti") and "Cartofriches" not in ti2


def test_long_titles_and_sources_stay_on_the_page(store, shown_projects):
    data = press_data(store.read, VIEWS["bassins-projets"], projects=shown_projects)
    press_map = render(VIEWS["bassins-projets"], data, layout="a4", title="Emplois permanents annoncés " * 4)
    figure = press_map.figure
    renderer = figure.canvas.get_renderer()
    assert all(t.get_window_extent(renderer=renderer).x1 <= figure.bbox.width for t in figure.texts)
    sources = next(t for t in figure.texts if t.get_text().startswith("Sources :"))
    legend = press_map.map_axes.get_legend().get_window_extent(renderer=renderer)
    assert sources.get_window_extent(renderer=renderer).y1 <= legend.y0  # the legend never covers the sources


def test_maps_are_set_in_inter_with_haloed_names_not_boxes(rendered):
    press_map = rendered[("ti2", "16:9")]
    fonts = {
        str(font["/BaseFont"]).split("+")[-1]
        for page in PdfReader(io.BytesIO(_exported(press_map, "pdf"))).pages
        for font in page["/Resources"]["/Font"].values()
        for font in [font.get_object()]
    }
    assert {"Inter-Bold", "Inter-Regular", "Inter-SemiBold"} <= fonts, fonts
    assert not any("DejaVu" in font for font in fonts)
    names = [text for text in press_map.map_axes.texts if text.get_text() in {p.text for p in press_map.labels}]
    assert len(names) == 2 * len(press_map.labels)  # the name, as text, over its halo, an outline
    assert all(text.get_bbox_patch() is None for text in names)
    assert sum(bool(text.get_path_effects()) for text in names) == len(press_map.labels)
    assert "Sud Haute-Marne" in " ".join(pdf_text(_exported(press_map, "pdf")).split())


def test_names_sit_inside_their_territory_where_it_has_room(rendered, store):
    shapes = overlay_territories(store.read("territoires_web"), "bassins").to_crs(LAMBERT93).set_index("label")

    def share_inside(press_map, label):
        to_data = press_map.map_axes.transData.inverted()
        (x0, y0), (x1, y1) = to_data.transform([(label.bbox.x0, label.bbox.y0), (label.bbox.x1, label.bbox.y1)])
        box = shapely.box(x0, y0, x1, y1)
        name = label.text.replace("\n", " ").replace("- ", "-")
        return shapes.loc[name].geometry.intersection(box).area / box.area

    for layout in ("16:9", "a4"):
        press_map = rendered[("bassins-projets", layout)]
        shares = {label.text: share_inside(press_map, label) for label in press_map.labels}
        print(layout, {name: round(share, 2) for name, share in shares.items()})
        # Small territories (Roubaix-Tourcoing) are narrower than their name: most of each name, on average.
        assert sum(shares.values()) / len(shares) >= 0.45, shares
    # Reported by a reader: the Sambre-Avesnois-Thiérache name was set over its own border.
    press_map = rendered[("bassins-projets", "16:9")]
    (sambre,) = [label for label in press_map.labels if label.text.startswith("Sambre")]
    assert share_inside(press_map, sambre) >= 0.65


def test_the_key_of_numbered_names_hides_no_name(store, shown_projects):
    # A small page crowds the names: some are numbered, and the key must not cover the others.
    data = press_data(store.read, VIEWS["ti2"], projects=shown_projects)
    press_map = render(VIEWS["ti2"], data, layout="a4")
    press_map.figure.set_size_inches(6, 4.5)
    press_map = render(VIEWS["ti2"], data, layout="a4")
    renderer = press_map.figure.canvas.get_renderer()
    keys = [t for t in press_map.map_axes.texts if t.get_bbox_patch() is not None]
    for key in keys:
        box = key.get_window_extent(renderer)
        assert not any(label.bbox.overlaps(box) for label in press_map.labels)


def test_legend_lists_what_is_drawn_with_nested_round_circles(rendered, shown_projects):
    press_map = rendered[("bassins-projets", "16:9")]
    entries = [text.get_text() for text in press_map.map_axes.get_legend().get_texts()]
    drawn = shown_projects[shown_projects["jobs_created"].notna()]["sector_family"].dropna().unique()
    families = [entry for entry in entries if entry in set(SECTOR_COLOURS)]
    assert sorted(families) == sorted(drawn) and len(families) < len(SECTOR_COLOURS) + 1
    (circles,) = [
        artist
        for artist in press_map.map_axes.artists
        if isinstance(artist, AnchoredOffsetbox)
        and "Emplois permanents créés annoncés" in [t.get_text() for t in artist.findobj(Text)]
    ]
    values = [t.get_text() for t in circles.findobj(Text) if t.get_text()[:1].isdigit()]
    assert len(values) == 3
    numbers = [int(v.replace("\u202f", "")) for v in values]
    assert all(str(n).rstrip("0") in {"1", "2", "3", "4", "5", "6", "7", "8", "9"} for n in numbers)  # round
    assert max(numbers) <= shown_projects["jobs_created"].max()


def test_choropleth_tells_an_epci_without_the_figure_from_one_without_projects(rendered, store, shown_projects):
    press_map = rendered[("emplois-epci", "16:9")]
    entries = [text.get_text() for text in press_map.map_axes.get_legend().get_texts()]
    jobs = pd.to_numeric(shown_projects["jobs_created"], errors="coerce")
    by_epci = jobs.groupby(shown_projects["epci_siren"]).sum(min_count=1)
    epci_names = store.read("epci_web").set_index("siren")["nom"]
    assert f"aucun projet recensé ({len(epci_names) - len(by_epci)} EPCI)" in entries
    assert f"projets sans ce chiffre ({by_epci.isna().sum()} EPCI)" in entries
    classes = [entry for entry in entries if " – " in entry]
    # « 0 – 100 emplois (11 EPCI) »: the unit, then how many EPCI each class holds.
    counts = [re.fullmatch(r"[\d\s\u202f]+ – [\d\s\u202f]+ emplois \((\d+) EPCI.*\)", entry) for entry in classes]
    assert classes and all(counts), classes
    assert sum(int(match[1]) for match in counts) == (by_epci > 0).sum()
    # The top class's upper bound is one EPCI's figure: the key names it.
    assert classes[-1].endswith(f", dont {epci_names[by_epci.idxmax()]} au maximum)"), classes[-1]
    unknown = jobs.groupby(shown_projects["epci_siren"]).apply(lambda v: v.isna().all())
    epci = store.read("epci_web").to_crs(LAMBERT93).set_index("siren")
    inner = [epci.loc[siren].geometry.buffer(-1500).representative_point() for siren in unknown[unknown].index[:6]]
    colours = _pixels_at(press_map, inner)
    assert len(colours) >= 3 and all(tuple(colour) == (0xD9, 0xD9, 0xD9) for colour in colours), colours


def test_a_choropleth_of_projects_without_any_figure_draws_without_classes(store, shown_projects):
    unknown = shown_projects.assign(jobs_created=pd.NA)
    press_map = render(VIEWS["emplois-epci"], press_data(store.read, VIEWS["emplois-epci"], projects=unknown))
    entries = [text.get_text() for text in press_map.map_axes.get_legend().get_texts()]
    assert not [entry for entry in entries if " – " in entry]
    assert any(entry.startswith("projets sans ce chiffre (") for entry in entries), entries


def test_towns_are_named_for_orientation_without_covering_any_name(rendered):
    for (key, layout), press_map in rendered.items():
        towns = {place.text for place in press_map.places}
        # Crowded views (39 Territoires d'industrie named) leave room for a few towns, open ones for most of the 15.
        if key == "emplois-epci":  # no territory name: most of the 15 towns, Lille first
            assert len(towns) >= 12 and "Lille" in towns, (layout, towns)
        else:
            assert len(towns) >= 4, (key, layout, towns)
        boxes = [label.bbox for label in press_map.labels] + [place.bbox for place in press_map.places]
        for first, second in itertools.combinations(boxes, 2):
            assert not first.overlaps(second), (key, layout)
        entries = [text.get_text() for text in press_map.map_axes.get_legend().get_texts()]
        assert "ville la plus peuplée du département" in entries


def test_each_pdf_states_its_title_legend_and_the_sources_of_what_it_draws(rendered, store, shown_projects):
    def compact(text: str) -> str:  # no whitespace at all: PDF text extraction drops or adds spaces
        return "".join(text.split())

    for (key, layout), press_map in rendered.items():
        text = compact(pdf_text(_exported(press_map, "pdf")))
        assert compact(VIEWS[key].title) in text, (key, layout)
        for entry in press_map.map_axes.get_legend().get_texts():
            assert compact(entry.get_text()) in text, (key, layout, entry.get_text())
        for source in press_data(store.read, VIEWS[key], projects=shown_projects).sources:
            assert compact(source) in text, (key, layout, source)
