"""The CMS editor: creates, edits, previews, schedules and publishes pages through Wagtail's
admin, uploads images and documents, and reaches nothing else (no Oscar dashboard, no
Django admin, no regulator console). Other roles cannot reach the CMS."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import CampaignPage, StandardPage
from marketplace import roles
from tests import factories

pytestmark = pytest.mark.django_db
ROLES = [roles.SHOPPER, roles.FAMILY, roles.MERCHANT, roles.REGULATOR, roles.EDITOR, roles.PLATFORM_ADMIN]


@pytest.fixture
def editor_client(client, shop):
    client.force_login(factories.user(role=roles.EDITOR))
    return client


def _standard_page_form(**fields):
    return nested_form_data({
        "title": "怎样购物", "slug": "how-to-buy", "intro": "四步买到放心好物",
        "body": streamfield([("heading", {"text": "第一步"})]), **fields,
    })


def _campaign_form(**fields):
    now = timezone.localtime()
    return nested_form_data({
        "title": "2027银龄购物节", "slug": "festival-2027", "kind": "silver_shopping_festival",
        "starts_at": (now + timedelta(days=30)).strftime("%Y-%m-%d %H:%M"),
        "ends_at": (now + timedelta(days=40)).strftime("%Y-%m-%d %H:%M"),
        "summary": "人参鹿茸集中上新", "body": streamfield([("paragraph", rich_text("<p>敬请期待。</p>"))]),
        "campaign_offers": inline_formset([]), **fields,
    })


def test_editor_creates_and_publishes_a_standard_page(editor_client, shop):
    home = shop["home"]
    response = editor_client.post(f"/cms/pages/add/cms/standardpage/{home.pk}/",
                                  _standard_page_form(**{"action-publish": "action-publish"}))
    assert response.status_code == 302
    page = StandardPage.objects.get(slug="how-to-buy")
    assert page.live
    assert Revision.objects.filter(object_id=str(page.pk)).count() == 1
    text = editor_client.get("/how-to-buy/").content.decode()
    assert "四步买到放心好物" in text and "第一步" in text


def test_editor_saves_a_draft_revision_then_edits_and_publishes(editor_client, shop):
    page = shop["home"].add_child(instance=StandardPage(title="关于我们", slug="about", intro="旧的导语"))
    page.save_revision().publish()
    response = editor_client.post(f"/cms/pages/{page.pk}/edit/", _standard_page_form(
        title="关于我们", slug="about", intro="新的导语"))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.has_unpublished_changes and page.intro == "旧的导语"
    assert Revision.objects.filter(object_id=str(page.pk)).count() == 2
    assert "旧的导语" in editor_client.get("/about/").content.decode()
    editor_client.post(f"/cms/pages/{page.pk}/edit/", _standard_page_form(
        title="关于我们", slug="about", intro="新的导语", **{"action-publish": "action-publish"}))
    assert "新的导语" in editor_client.get("/about/").content.decode()


def test_editor_creates_a_campaign_page(editor_client, shop):
    response = editor_client.post(f"/cms/pages/add/cms/campaignpage/{shop['index'].pk}/",
                                  _campaign_form(**{"action-publish": "action-publish"}))
    assert response.status_code == 302
    page = CampaignPage.objects.get(slug="festival-2027")
    assert page.live and page.state() == CampaignPage.UPCOMING
    assert "活动还没有开始" in editor_client.get(page.url).content.decode()


def test_a_campaign_ending_before_it_starts_is_refused_with_a_message(editor_client, shop):
    now = timezone.localtime()
    response = editor_client.post(f"/cms/pages/add/cms/campaignpage/{shop['index'].pk}/", _campaign_form(
        ends_at=(now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")))
    assert response.status_code == 200
    assert "结束时间必须晚于开始时间。" in response.content.decode()
    assert "人参鹿茸集中上新" in response.content.decode()  # what was typed is kept
    assert not CampaignPage.objects.filter(slug="festival-2027").exists()


def test_editor_previews_a_new_and_an_existing_page(editor_client, shop):
    url = f"/cms/pages/add/cms/campaignpage/{shop['index'].pk}/preview/"
    response = editor_client.post(url, _campaign_form(title="预览中的购物节"))
    assert response.json()["is_valid"] is True
    preview = editor_client.get(url)
    assert preview.status_code == 200
    assert "预览中的购物节" in preview.content.decode() and "敬请期待。" in preview.content.decode()
    assert not CampaignPage.objects.exists()

    page = shop["home"].add_child(instance=StandardPage(title="隐私政策", slug="privacy", intro="只收必需信息"))
    url = f"/cms/pages/{page.pk}/edit/preview/"
    editor_client.post(url, _standard_page_form(title="隐私政策", slug="privacy", intro="草稿里的新导语"))
    assert "草稿里的新导语" in editor_client.get(url).content.decode()
    page.refresh_from_db()
    assert page.intro == "只收必需信息"


def test_editor_schedules_a_page_and_publish_scheduled_honours_go_live_at(editor_client, shop):
    go_live = timezone.localtime() + timedelta(days=2)
    response = editor_client.post(f"/cms/pages/add/cms/standardpage/{shop['home'].pk}/", _standard_page_form(**{
        "go_live_at": go_live.strftime("%Y-%m-%d %H:%M"), "action-publish": "action-publish"}))
    assert response.status_code == 302
    page = StandardPage.objects.get(slug="how-to-buy")
    assert not page.live
    revision = page.latest_revision
    assert revision.approved_go_live_at is not None
    assert editor_client.get("/how-to-buy/").status_code == 404
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live  # not yet
    with time_machine.travel(go_live + timedelta(minutes=1)):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert "四步买到放心好物" in editor_client.get("/how-to-buy/").content.decode()


def test_editor_locks_and_unlocks_a_page(editor_client, shop):
    page = shop["home"].add_child(instance=StandardPage(title="帮助中心", slug="help"))
    editor_client.post(f"/cms/pages/{page.pk}/lock/")
    page.refresh_from_db()
    assert page.locked
    editor_client.post(f"/cms/pages/{page.pk}/unlock/")
    page.refresh_from_db()
    assert not page.locked


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return SimpleUploadedFile("hero.png", buffer.getvalue(), content_type="image/png")


def test_editor_uploads_an_image_and_a_document(editor_client, shop):
    response = editor_client.post("/cms/images/add/", {"title": "敬老月主图", "file": _png(), "collection": 1})
    assert response.status_code == 302
    assert get_image_model().objects.filter(title="敬老月主图").exists()
    pdf = SimpleUploadedFile("rules.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = editor_client.post("/cms/documents/add/", {"title": "活动规则", "file": pdf, "collection": 1})
    assert response.status_code == 302
    assert get_document_model().objects.filter(title="活动规则").exists()


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/orders/", "/dashboard/users/",
                                 "/dashboard/reports/"])
def test_editor_cannot_reach_the_oscar_dashboard(editor_client, url):
    response = editor_client.get(url)
    assert response.status_code == 403


def test_editor_cannot_reach_the_django_admin(editor_client):
    response = editor_client.get("/django-admin/")
    assert response.status_code in (302, 403)  # to the admin's login, or refused outright
    assert response.get("Location", "/django-admin/login/").startswith("/django-admin/login/")
    assert b"Site administration" not in response.content


def test_editor_cannot_reach_the_regulator_console(editor_client):
    response = editor_client.get("/regulator/lots/")
    assert response.status_code == 403


def test_editor_cannot_delete_pages_or_edit_oscar_objects(shop):
    editor = factories.user(role=roles.EDITOR)
    page = shop["home"]
    permissions = page.permissions_for_user(editor)
    assert permissions.can_add_subpage() and permissions.can_edit() and permissions.can_publish()
    assert permissions.can_lock() and permissions.can_unlock()
    assert not permissions.can_delete()
    assert not editor.has_perm("offer.change_conditionaloffer")
    assert not editor.has_perm("catalogue.change_product")
    assert not editor.is_staff


@pytest.mark.parametrize("role", ROLES)
def test_cms_admin_matrix(client, shop, role):
    client.force_login(factories.user(role=role, is_superuser=role == roles.PLATFORM_ADMIN))
    allowed = role in (roles.EDITOR, roles.PLATFORM_ADMIN)
    home = client.get("/cms/")
    add = client.get(f"/cms/pages/add/cms/standardpage/{shop['home'].pk}/")
    images = client.get("/cms/images/")
    if allowed:
        assert (home.status_code, add.status_code, images.status_code) == (200, 200, 200)
        assert "怎样购物" not in add.content.decode()  # an empty form
        assert 'name="title"' in add.content.decode()
    else:
        assert home.status_code == 302 and home["Location"].startswith("/cms/login/")
        assert add.status_code == 302 and add["Location"].startswith("/cms/login/")
        assert images.status_code == 302 and images["Location"].startswith("/cms/login/")


@pytest.mark.parametrize("role", [roles.SHOPPER, roles.FAMILY, roles.MERCHANT, roles.REGULATOR])
def test_other_roles_cannot_edit_pages(shop, role):
    account = factories.user(role=role)
    permissions = shop["home"].permissions_for_user(account)
    assert not permissions.can_edit() and not permissions.can_publish() and not permissions.can_add_subpage()


def test_editor_group_permissions_are_resynced_after_migrate(shop):
    from django.contrib.auth.models import Group
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    group = Group.objects.get(name=roles.EDITOR)
    GroupPagePermission.objects.filter(group=group).delete()
    GroupCollectionPermission.objects.filter(group=group).delete()
    call_command("migrate", verbosity=0)
    codenames = set(GroupPagePermission.objects.filter(group=group, page=Page.get_first_root_node())
                    .values_list("permission__codename", flat=True))
    assert codenames == {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}
    assert set(GroupCollectionPermission.objects.filter(group=group).values_list("permission__codename", flat=True)) \
        == {"add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"}
