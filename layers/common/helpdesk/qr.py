"""QR codes for linking a WhatsApp number: the gateway's raw code as a PNG data URI and as SVG.

Pure Python (qrcode's PyPNG factory and its SVG path factory), so the layer carries no Pillow.
qrcode is imported on first use: only linking a number needs it, not the console's other calls
that share the function's cold start.
"""

from __future__ import annotations

import base64
import io

from msgspec import Struct

PNG_BOX_PIXELS = 8
QUIET_ZONE_BOXES = 4


class RenderedQr(Struct, frozen=True):
    png_data_uri: str  # data:image/png;base64,...
    svg: str  # a standalone <svg> document


def png_data_uri(code: str) -> str:
    import qrcode
    from qrcode.image.pure import PyPNGImage

    image = qrcode.make(code, image_factory=PyPNGImage, box_size=PNG_BOX_PIXELS, border=QUIET_ZONE_BOXES)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def svg(code: str) -> str:
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(code, image_factory=SvgPathImage, border=QUIET_ZONE_BOXES)
    return image.to_string(encoding="unicode")


def render(code: str) -> RenderedQr:
    return RenderedQr(png_data_uri=png_data_uri(code), svg=svg(code))
