"""Season dates: 重阳节 from the lunar calendar, and demo windows that are live whenever seeded."""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from cms import seasons
from cms.models import CampaignPage
from tests import factories
from tests.cms.conftest import SHANGHAI


@pytest.mark.parametrize("year, expected", [(2026, date(2026, 10, 18)), (2027, date(2027, 10, 8)),
                                            (2025, date(2025, 10, 29)), (2028, date(2028, 10, 26))])
def test_double_ninth_comes_from_the_lunar_calendar(year, expected):
    assert seasons.double_ninth(year) == expected


def test_respect_the_aged_month_is_october_in_shanghai_time():
    start, end = seasons.respect_the_aged_month(2026)
    assert start == datetime(2026, 10, 1, tzinfo=SHANGHAI)
    assert end == datetime(2026, 10, 31, 23, 59, 59, tzinfo=SHANGHAI)


@pytest.mark.parametrize("today", ["2026-01-01", "2026-03-15", "2026-10-01", "2026-10-18", "2026-10-31",
                                   "2026-11-23", "2026-12-31"])
def test_the_demo_window_is_live_on_any_day_and_takes_in_that_years_double_ninth(today):
    now = datetime.fromisoformat(today).replace(hour=9, tzinfo=SHANGHAI)
    start, end = seasons.demo_respect_the_aged_window(now)
    assert start < now < end
    assert end - now >= timedelta(days=30)
    assert start <= seasons.start_of_day(seasons.double_ninth(now.year)) < end


def test_the_demo_window_seeded_today():
    now = datetime(2026, 11, 23, 10, tzinfo=SHANGHAI)
    assert seasons.demo_respect_the_aged_window(now) == (
        datetime(2026, 10, 1, tzinfo=SHANGHAI), datetime(2026, 12, 23, 23, 59, 59, tzinfo=SHANGHAI))


@pytest.mark.parametrize("today", ["2026-11-23", "2026-12-20", "2027-06-30"])
def test_the_demo_festival_is_always_ahead(today):
    now = datetime.fromisoformat(today).replace(tzinfo=SHANGHAI)
    start, end = seasons.demo_shopping_festival_window(now)
    assert now < start < end
    assert start.day == 1


@pytest.mark.django_db
def test_seeded_campaigns_are_idempotent_live_and_own_a_real_offer(client):
    from oscar.core.loading import get_model

    from marketplace.demo.pages import ensure_pages

    ConditionalOffer = get_model("offer", "ConditionalOffer")
    rehab = factories.category(name="康复辅具")
    rehab.slug = "rehab-aids"
    rehab.save()
    factories.sellable_product(title="折叠助行器", category=rehab, price="200.00")
    ensure_pages()
    ensure_pages()
    chinese = CampaignPage.objects.filter(locale__language_code="zh-hans")
    month = chinese.get(slug="respect-the-aged-month")
    festival = chinese.get(slug="silver-shopping-festival")
    assert chinese.count() == 2
    assert CampaignPage.objects.filter(locale__language_code="en").count() == 2
    assert month.live and month.state() == CampaignPage.LIVE
    assert festival.live and festival.state() == CampaignPage.UPCOMING
    offer = ConditionalOffer.objects.get()
    assert offer.is_available()
    assert (offer.start_datetime, offer.end_datetime) == (month.starts_at, month.ends_at)
    text = client.get(month.url).content.decode()
    assert "折叠助行器" in text and "活动价 <strong>¥180.00</strong>" in text
    assert f"{seasons.double_ninth(month.starts_at.year).day}日是重阳节" in text
    home = client.get("/").content.decode()
    assert month.url in home and festival.url in home
    assert "帮助中心" in home and "退换货政策" in home and "隐私政策" in home and "怎样购物" in home

    english = client.get("/en/campaigns/respect-the-aged-month/").content.decode()
    assert "Respect-the-Aged Month" in english and "¥180.00" in english

    with time_machine.travel(month.ends_at + timedelta(days=2)):
        ensure_pages()  # a re-seed after the window ends widens it again
        month.refresh_from_db()
        assert month.state() == CampaignPage.LIVE
