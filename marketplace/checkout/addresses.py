"""Mainland-China delivery addresses: regions, mobile numbers, and the order's address row.

The market ships within mainland China only, so there is no country to choose: every
address is CN (the row is created by migration ``checkout/0001_country_cn``). Jilin's
prefecture-level divisions and their counties and districts are listed in full
(``data/regions.json``); other provinces take the city and district as typed.

Address fields map onto Oscar's: ``last_name`` the recipient's name, ``state`` the
province, ``line4`` the city, ``line2`` the county or district, ``line1`` the street
address, ``phone_number`` the mobile (+86…).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

JILIN = "吉林省"
COUNTRY = "CN"
MOBILE = re.compile(r"^1[3-9]\d{9}$")


@cache
def _regions() -> dict:
    return json.loads((Path(__file__).parent / "data" / "regions.json").read_text(encoding="utf-8"))


def provinces() -> list[str]:
    return list(_regions()["provinces"])


def jilin_cities() -> dict[str, list[str]]:
    """Jilin's prefecture-level divisions, each with its counties and districts, in official order."""
    return dict(_regions()[JILIN])


def normalise_mobile(value: str) -> str | None:
    """An 11-digit mainland mobile number, or None.

    Full-width digits become ASCII (NFKC); spaces, hyphens and a leading +86/86 are dropped.
    """
    text = unicodedata.normalize("NFKC", value or "")
    text = re.sub(r"[\s\-()]", "", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    return text if MOBILE.match(text) else None


def region_errors(*, province: str, city: str, district: str) -> dict[str, str]:
    """What is wrong with a province / city / district choice, by field, in plain words."""
    errors: dict[str, str] = {}
    if province not in provinces():
        errors["province"] = _("请选择省份。本店只能送往中国大陆地区。")
        return errors
    if province == JILIN:
        cities = jilin_cities()
        if city not in cities:
            errors["city"] = _("请选择所在的市（州）。")
        elif district not in cities[city]:
            errors["district"] = (
                _("请选择所在的县（市、区）。") if not district else
                _("“%(district)s”不在%(city)s，请重新选择县（市、区）。") % {"district": district, "city": city})
        return errors
    if not city.strip():
        errors["city"] = _("请填写所在的市。")
    if not district.strip():
        errors["district"] = _("请填写所在的县（区）。")
    return errors


def address_fields(*, name: str, mobile: str, province: str, city: str, district: str, street: str,
                   postcode: str = "") -> dict:
    """The order's shipping-address fields (JSON-safe, for the checkout session)."""
    return {
        "first_name": "", "last_name": name.strip(), "line1": street.strip(), "line2": district.strip(),
        "line3": "", "line4": city.strip(), "state": province, "postcode": postcode.strip(),
        "phone_number": f"+86{mobile}", "country_id": COUNTRY,
    }


def readable(address) -> str:
    """One line as written on a Chinese parcel: province city district street."""
    parts = [address.state, address.line4, address.line2, address.line1]
    return "".join(part for part in parts if part)


def mobile_of(address) -> str:
    number = str(address.phone_number or "")
    return number[3:] if number.startswith("+86") else number
