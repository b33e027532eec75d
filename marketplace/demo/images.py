"""Product pictures drawn with Pillow: a shape and colour per department, and no words.

The shop is Chinese at the root and English under /en/, and no CJK font can be assumed on the
machine, so a picture carries no text at all: the product's name is on the page, in the
shopper's language, and in the picture's alt text. The files are small JPEGs written once; an
existing file is never rewritten (the folder name changed when the English captions went).
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

SIZE = 600
DEMO_FOLDER = "images/products/demo-plain"

# department slug -> (background, accent, shape)
STYLES = {
    "rehab-aids": ("#E8F1FB", "#1F5FA8", "frame"),
    "smart-health": ("#E9F7F2", "#11775A", "device"),
    "daily-care": ("#FBF3E6", "#9A5B00", "fold"),
    "health-food": ("#F4EEFA", "#6A3D9A", "bottle"),
    "jilin-ginseng": ("#FAF1E4", "#8A4B12", "root"),
    "sika-deer-antler": ("#F8ECEC", "#8C2F2F", "antler"),
}


def _shape(draw: ImageDraw.ImageDraw, shape: str, accent: str) -> None:
    if shape == "frame":
        draw.rounded_rectangle((170, 90, 430, 330), radius=24, outline=accent, width=18)
        draw.line((200, 330, 180, 380), fill=accent, width=16)
        draw.line((400, 330, 420, 380), fill=accent, width=16)
    elif shape == "device":
        draw.rounded_rectangle((190, 80, 410, 360), radius=30, fill=accent)
        draw.rounded_rectangle((215, 110, 385, 230), radius=12, fill="#FFFFFF")
        draw.ellipse((270, 260, 330, 320), fill="#FFFFFF")
    elif shape == "fold":
        draw.polygon([(160, 110), (440, 110), (400, 360), (200, 360)], fill=accent)
        draw.line((300, 110, 300, 360), fill="#FFFFFF", width=6)
    elif shape == "bottle":
        draw.rounded_rectangle((250, 70, 350, 120), radius=10, fill=accent)
        draw.rounded_rectangle((200, 120, 400, 370), radius=36, fill=accent)
        draw.rectangle((220, 190, 380, 290), fill="#FFFFFF")
    elif shape == "root":
        draw.ellipse((255, 80, 345, 150), fill=accent)
        draw.polygon([(270, 140), (330, 140), (360, 300), (300, 380), (240, 300)], fill=accent)
        draw.line((250, 250, 170, 360), fill=accent, width=12)
        draw.line((350, 250, 430, 360), fill=accent, width=12)
    else:
        draw.line((300, 380, 300, 120), fill=accent, width=22)
        draw.line((300, 230, 200, 130), fill=accent, width=18)
        draw.line((300, 180, 400, 90), fill=accent, width=18)
        draw.line((200, 130, 180, 80), fill=accent, width=14)


def render(*, department: str) -> bytes:
    background, accent, shape = STYLES.get(department, ("#F2F2F2", "#333333", "device"))
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    _shape(draw, shape, accent)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def ensure_image_file(*, name: str, department: str) -> str:
    """Write the picture under ``name`` unless it is already there; return the stored name."""
    path = f"{DEMO_FOLDER}/{name}.jpg"
    if not default_storage.exists(path):
        path = default_storage.save(path, ContentFile(render(department=department)))
    return path
