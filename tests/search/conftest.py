"""Search test fixtures: a small hand-built catalogue and the backends to run it on.

The database backend runs on whatever database the suite uses (SQLite locally,
PostgreSQL with DATABASE_URL; CI runs both). Elasticsearch runs only when
ELASTICSEARCH_URL is set, and skips otherwise (no cluster can be installed here).
"""

import os
import uuid
from decimal import Decimal

import pytest
from django.db import transaction

from catalog.models import CatalogueListing
from tests import factories

ES_URL = os.environ.get("ELASTICSEARCH_URL", "")


class BackendUnderTest:
    """One backend, with a way to bring its index up to date after the fixture's writes."""

    def __init__(self, name, backend):
        self.name = name
        self.backend = backend

    def sync(self):
        from search import indexing
        from search.documents import build_documents, indexable

        indexing.flush()
        if self.name == "elasticsearch":
            from search.backends import elastic

            ids = list(indexable().values_list("pk", flat=True))
            elastic.create_and_switch([build_documents(ids)])

    def find(self, text="", *, limit=50, offset=0, **filters):
        from search import service
        from search.backends.base import Filters

        self.sync()
        return service.find_products(text=text, filters=Filters(**filters), limit=limit, offset=offset,
                                     backend=self.backend)


@pytest.fixture(params=["database", "elasticsearch"])
def search_backend(request, settings):
    from search.backends import reset
    from search.backends.database import DatabaseBackend

    reset()
    if request.param == "elasticsearch":
        if not ES_URL:
            pytest.skip("ELASTICSEARCH_URL is not set: no Elasticsearch to test against")
        from search.backends.elastic import ElasticsearchBackend

        settings.ELASTICSEARCH_URL = ES_URL
        settings.SEARCH_ES_INDEX = f"test-silver-{uuid.uuid4().hex[:8]}"
        backend = BackendUnderTest("elasticsearch", ElasticsearchBackend())
        yield backend
        from search.backends import elastic

        elastic.client().indices.delete(index=f"{settings.SEARCH_ES_INDEX}-*", ignore_unavailable=True)
        return
    settings.ELASTICSEARCH_URL = ""
    yield BackendUnderTest("database", DatabaseBackend())


@pytest.fixture
def catalogue(db):
    """Seven products whose every count below was worked out by hand.

    | key       | title                         | category        | origin | merchant | price   | listing     | buyable |
    | cane      | 康途四脚手杖 银色              | 助行器与手杖     |        | aids     | 79      | elder       | yes     |
    | carbon    | 碳纤维轻便手杖                 | 助行器与手杖     |        | aids     | 259     |             | no lot  |
    | forest    | 抚松林下参 15年 单支礼盒        | 林下参          | 抚松   | ginseng  | 1280    | jizhi       | yes     |
    | red       | 集安园参 红参 6年 500克         | 红参            | 集安   | ginseng  | 680     | jizhi       | yes     |
    | fresh     | 抚松园参 鲜参 4年 500克         | 园参            | 抚松   | ginseng  | 88      | jizhi (susp)| no      |
    | bp        | 颐安上臂式电子血压计 YA-B10     | 血压计          |        | aids     | 199     | smart       | yes     |
    | glasses   | 明视树脂半框老花镜 +1.50D       | 老花镜          |        | care     | 59      |             | yes     |
    """
    rehab = factories.category(name="康复辅具", name_en="Rehabilitation aids")
    walkers = factories.category(name="助行器与手杖", name_en="Walkers and canes", parent=rehab)
    ginseng = factories.category(name="吉林人参", name_en="Jilin ginseng")
    forest_cat = factories.category(name="林下参", parent=ginseng)
    red_cat = factories.category(name="红参", parent=ginseng)
    garden_cat = factories.category(name="园参", parent=ginseng)
    devices = factories.category(name="智能健康设备")
    bp_cat = factories.category(name="血压计", parent=devices)
    care = factories.category(name="日用护理")
    glasses_cat = factories.category(name="老花镜", parent=care)

    aids = factories.merchant(name="康途辅具")
    fusong = factories.merchant(name="长白山参业合作社")
    shop = factories.merchant(name="福寿百货")

    def make(title, category, merchant, price, *, listing=None, lot=True, origin="", title_en=""):
        product = factories.product(title=title, title_en=title_en, category=category, merchant_=merchant,
                                    price=Decimal(price), origin_region=origin)
        if listing:
            factories.listing(product_=product, catalogue=listing)
        if lot:
            factories.lot(product_=product)
        return product

    products = {
        "cane": make("康途四脚手杖 银色", walkers, aids, "79", listing=CatalogueListing.ELDER_PRODUCTS,
                     title_en="KangTu quad-base walking cane"),
        "carbon": make("碳纤维轻便手杖", walkers, aids, "259", lot=False, title_en="Carbon-fibre cane"),
        "forest": make("抚松林下参 15年 单支礼盒", forest_cat, fusong, "1280", listing=CatalogueListing.JIZHI_JIPIN,
                       origin="吉林省白山市抚松县", title_en="Fusong forest-grown ginseng"),
        "red": make("集安园参 红参 6年 500克", red_cat, fusong, "680", listing=CatalogueListing.JIZHI_JIPIN,
                    origin="吉林省通化市集安市", title_en="Ji'an red ginseng"),
        "fresh": make("抚松园参 鲜参 4年 500克", garden_cat, fusong, "88", listing=CatalogueListing.JIZHI_JIPIN,
                      origin="吉林省白山市抚松县", title_en="Fusong fresh ginseng"),
        "bp": make("颐安上臂式电子血压计 YA-B10", bp_cat, aids, "199", listing=CatalogueListing.SMART_HEALTH,
                   title_en="YiAn upper-arm blood pressure monitor"),
        "glasses": make("明视树脂半框老花镜 +1.50D", glasses_cat, shop, "59", title_en="MingShi reading glasses"),
    }
    CatalogueListing.objects.filter(product=products["fresh"]).update(status=CatalogueListing.SUSPENDED)
    return {
        "products": products,
        "categories": {"rehab": rehab, "walkers": walkers, "ginseng": ginseng, "forest": forest_cat,
                       "red": red_cat, "garden": garden_cat, "devices": devices, "bp": bp_cat, "care": care,
                       "glasses": glasses_cat},
        "merchants": {"aids": aids, "fusong": fusong, "shop": shop},
    }


@pytest.fixture(scope="module")
def demo_titles(django_db_setup, django_db_blocker):
    """The demo catalogue, indexed, for the module: {product id: title}."""
    from marketplace.demo.seed import seed_demo
    from search import indexing
    from search.documents import indexable

    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo(demo_mode=False, with_images=False)
        indexing.flush()
        indexing.rebuild()
        yield dict(indexable().values_list("pk", "title"))
        transaction.set_rollback(True)
