"""QR rendering: a PNG data URI and an SVG document for the gateway's raw code."""

import base64
import xml.etree.ElementTree as ET

from helpdesk import qr

CODE = "2@Xk9sd8f7g6h5j4k3l2,Qm9vYmFy,c2VjcmV0==,ZGV2aWNl"


def test_png_is_a_data_uri_of_a_png_image():
    uri = qr.png_data_uri(CODE)
    prefix = "data:image/png;base64,"
    assert uri.startswith(prefix)
    assert base64.b64decode(uri[len(prefix) :]).startswith(b"\x89PNG\r\n\x1a\n")


def test_svg_is_a_standalone_svg_document():
    root = ET.fromstring(qr.svg(CODE))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}path") is not None


def test_render_gives_both_and_the_same_code_renders_the_same_image():
    rendered = qr.render(CODE)
    assert rendered.png_data_uri == qr.png_data_uri(CODE)
    assert rendered.svg == qr.svg(CODE)
    assert qr.png_data_uri("other") != rendered.png_data_uri
