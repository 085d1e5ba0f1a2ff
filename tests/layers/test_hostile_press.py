"""Press maps of hostile names (:mod:`tests.hostile`): the SVG stays well-formed and, like the PDF, holds the
names' literal characters as text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from pypdf import PdfReader

from cli import main
from tests.hostile import PAYLOAD


def _export(store, out, fmt: str, title: str) -> None:
    arguments = ["export", "--view", "ti2", "--format", fmt, "--out", str(out), "--title", title]
    assert main([*arguments, "--store", str(store.path)]) == 0


def test_svg_and_pdf_keep_hostile_names_as_literal_text(hostile, tmp_path):
    store, names = hostile
    title = f"Titre {PAYLOAD}"
    _export(store, tmp_path / "carte.svg", "svg", title)
    _export(store, tmp_path / "carte.pdf", "pdf", title)
    svg = ET.parse(tmp_path / "carte.svg").getroot()  # well-formed XML, or this raises
    assert svg.tag.endswith("svg")
    assert not [element for element in svg.iter() if element.tag.split("}")[-1] in ("script", "foreignObject")]
    svg_text = " ".join(svg.itertext())
    assert title in svg_text and names.territory in svg_text  # the title, and the territory's label
    pdf_text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "carte.pdf").pages)
    assert "<img src=x onerror=window.__pwned=1>" in pdf_text and "<script>" in pdf_text
