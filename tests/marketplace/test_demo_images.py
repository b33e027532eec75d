"""Demo product pictures carry no words: no English captions on a Chinese shop (issue #9)."""

import io

import pytest
from PIL import Image, ImageStat

from marketplace.demo.images import STYLES, render


@pytest.mark.parametrize("department", [*STYLES, "unknown"])
def test_the_lower_part_of_a_demo_picture_is_plain_background(department):
    image = Image.open(io.BytesIO(render(department=department))).convert("L")
    below_the_shape = image.crop((0, 400, image.width, image.height))  # where the captions used to be
    assert max(ImageStat.Stat(below_the_shape).stddev) < 3
