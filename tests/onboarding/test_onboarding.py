"""Merchant onboarding: the application form, the platform admin's decision, and who may do what."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace import roles
from marketplace.onboarding import services
from marketplace.onboarding.models import MerchantApplication
from tests import factories
from tests.hardening.conftest import ROLES, World
from tests.hardening.test_uploads import PDF, png_bytes

Partner = get_model("partner", "Partner")
APPLY = reverse("onboarding:apply")
CHANGELIST = reverse("admin:onboarding_merchantapplication_changelist")
GOOD_CODE = factories.credit_code(880001)


def _typed(**overrides):
    data = {"shop_name": "长白山参坊", "legal_name": "长白山参坊商贸有限公司", "credit_code": GOOD_CODE,
            "contact_name": "李明", "contact_phone": "１３８ 1234 5678", "contact_email": "li@example.com"}
    data.update(overrides)
    return data


def _files(**overrides):
    files = {"business_licence": SimpleUploadedFile("licence.png", png_bytes(), content_type="image/png"),
             "other_licence": SimpleUploadedFile("food.pdf", PDF, content_type="application/pdf")}
    files.update(overrides)
    return {name: upload for name, upload in files.items() if upload is not None}


def _application(applicant=None, **overrides):
    return services.apply(applicant=applicant or factories.user(role=roles.SHOPPER), **{
        **_typed(contact_phone="13812345678"), **_files(other_licence=None), **overrides})


@pytest.fixture
def world(db):
    return World()


@pytest.mark.django_db
def test_a_shopper_applies_and_sees_the_application(client):
    applicant = factories.user(role=roles.SHOPPER, email="apply@example.com")
    client.force_login(applicant)
    response = client.post(APPLY, {**_typed(), **_files()})
    assert response.status_code == 302
    application = MerchantApplication.objects.get()
    assert (application.applicant, application.credit_code, application.contact_phone, application.status) == (
        applicant, GOOD_CODE, "13812345678", MerchantApplication.SUBMITTED)
    assert application.business_licence.name.endswith(".png") and "licence.png" not in application.business_licence.name
    assert application.other_licence.name.endswith(".pdf")
    page = client.get(APPLY).content.decode()
    assert "长白山参坊商贸有限公司" in page and "等待平台审核" in page and "正在审核中" in page


@pytest.mark.django_db
@pytest.mark.parametrize("typed, files, message", [
    ({"credit_code": "91220101MA0Y3FD8"}, {}, "统一社会信用代码应为18位"),
    ({"credit_code": GOOD_CODE[:17] + ("0" if GOOD_CODE[17] != "0" else "1")}, {}, "校验位不正确"),
    ({"contact_phone": "0431-88886666"}, {}, "手机号码应是 1 开头的 11 位数字"),
    ({"contact_email": "li@"}, {}, "电子邮箱格式不对"),
    ({"legal_name": ""}, {}, "请填写企业名称。"),
    ({}, {"business_licence": None}, "请上传营业执照的照片或 PDF。"),
    ({}, {"business_licence": SimpleUploadedFile("licence.pdf", b"<html><script>alert(1)</script></html>")},
     "营业执照文件只能是"),
    ({}, {"business_licence": SimpleUploadedFile("licence.png", png_bytes()[:60])}, "营业执照图片已损坏或不完整"),
    ({}, {"other_licence": SimpleUploadedFile("x.pdf", b"%PDF-1.4\n<script>1</script>\n%%EOF\n")}, "网页或脚本"),
])
def test_errors_are_in_chinese_and_keep_what_was_typed(client, typed, files, message):
    client.force_login(factories.user(role=roles.SHOPPER))
    data = _typed(**typed)
    response = client.post(APPLY, {**data, **_files(**files)})
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    for value in data.values():
        if value:
            assert f'value="{value}"' in page
    assert not MerchantApplication.objects.exists()


@pytest.mark.django_db
def test_a_credit_code_already_selling_cannot_apply(client):
    factories.merchant(credit_code=GOOD_CODE)
    client.force_login(factories.user(role=roles.SHOPPER))
    response = client.post(APPLY, {**_typed(), **_files()})
    assert response.status_code == 400 and "已经入驻了" in response.content.decode()


@pytest.mark.django_db
def test_approval_opens_the_merchant_with_its_staff_and_tells_the_applicant(world, django_capture_on_commit_callbacks):
    applicant = factories.user(role=roles.SHOPPER, email="owner@example.com")
    application = _application(applicant)
    admin = world.users["platform_admin"]
    with django_capture_on_commit_callbacks(execute=True):
        partner = services.approve(application=application, actor=admin)
    assert (partner.legal_name, partner.credit_code, partner.name) == ("长白山参坊商贸有限公司", GOOD_CODE, "长白山参坊")
    applicant = get_user_model().objects.get(pk=applicant.pk)
    assert roles.merchant_for(applicant) == partner
    assert applicant.has_perm("partner.dashboard_access") and not applicant.is_staff
    application.refresh_from_db()
    assert (application.status, application.partner, application.decided_by) == ("approved", partner, admin)
    assert mail.outbox and "已通过" in mail.outbox[-1].subject
    assert set(mail.outbox[-1].to) == {"li@example.com", "owner@example.com"}


@pytest.mark.django_db
def test_double_approval_and_approving_a_rejected_application_are_refused(world):
    admin = world.users["platform_admin"]
    application = _application()
    services.approve(application=application, actor=admin)
    with pytest.raises(Exception, match="已经审核过了"):
        services.approve(application=application, actor=admin)
    assert Partner.objects.filter(credit_code=GOOD_CODE).count() == 1
    other = _application(credit_code=factories.credit_code(880002))
    services.reject(application=other, reason="营业执照照片看不清，请重新拍摄。", actor=admin)
    with pytest.raises(Exception, match="已经审核过了"):
        services.approve(application=other, actor=admin)
    assert not Partner.objects.filter(credit_code=factories.credit_code(880002)).exists()


@pytest.mark.django_db
def test_rejection_needs_a_reason_the_applicant_then_sees(client, world, django_capture_on_commit_callbacks):
    applicant = factories.user(role=roles.SHOPPER)
    application = _application(applicant)
    with pytest.raises(Exception, match="请写明不通过的原因"):
        services.reject(application=application, reason="  ", actor=world.users["platform_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(application=application, reason="营业执照照片看不清，请重新拍摄。",
                        actor=world.users["platform_admin"])
    client.force_login(applicant)
    page = client.get(APPLY).content.decode()
    assert "未通过" in page and "营业执照照片看不清，请重新拍摄。" in page
    assert "提交申请" in page  # may apply again
    assert not roles.merchant_for(applicant) and "未通过" in mail.outbox[-1].subject


def _admin_action(client, action, application, **extra):
    return client.post(CHANGELIST, {"action": action, helpers.ACTION_CHECKBOX_NAME: [application.pk], **extra})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role):
    """Every role × apply, see someone else's application, approve and reject in the admin."""
    someone = factories.user(role=roles.SHOPPER)
    application = _application(someone)
    client = world.client_for(role)

    # Applying: any signed-in account that is not already a merchant's staff.
    page = client.get(APPLY)
    if role == "anonymous":
        assert page.status_code == 302 and "login" in page["Location"]
    else:
        assert page.status_code == 200
        assert "长白山参坊商贸有限公司" not in page.content.decode()  # nobody sees another's application
    before = MerchantApplication.objects.count()
    response = client.post(APPLY, {**_typed(credit_code=factories.credit_code(880100 + ROLES.index(role))),
                                   **_files()})
    if role in ("shopper", "family_member", "regulator", "cms_editor", "platform_admin"):
        assert response.status_code == 302 and MerchantApplication.objects.count() == before + 1
    else:
        assert response.status_code in (302, 403) and MerchantApplication.objects.count() == before
        if role == "anonymous":
            assert "login" in response["Location"]

    # Deciding: platform admins only, in the Django admin.
    listing = client.get(CHANGELIST)
    rejected = _admin_action(client, "reject", application, apply_reason="1", reason="资料不全")
    approved = _admin_action(client, "approve", application)
    application.refresh_from_db()
    if role == "platform_admin":
        assert listing.status_code == 200
        assert application.status == MerchantApplication.REJECTED  # rejected first, so approval was refused
        assert not Partner.objects.filter(credit_code=GOOD_CODE).exists()
    else:
        for response in (listing, rejected, approved):
            assert response.status_code in (302, 403), (role, response.status_code)
            if response.status_code == 302:
                assert "login" in response["Location"]
        assert application.status == MerchantApplication.SUBMITTED
        assert not Partner.objects.filter(credit_code=GOOD_CODE).exists()


@pytest.mark.django_db
def test_admin_approves_through_the_action(world):
    application = _application()
    client = world.client_for("platform_admin")
    response = _admin_action(client, "approve", application)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "approved" and application.partner.credit_code == GOOD_CODE
    form = _admin_action(client, "reject", _application(credit_code=factories.credit_code(880003)))
    assert form.status_code == 200 and "不通过的原因（申请人会看到）" in form.content.decode()


# --- Licence files: private storage, served only to admins, regulators and the applicant ------

LICENCE_READERS = {"regulator", "platform_admin"}


@pytest.mark.django_db
def test_licences_are_stored_outside_media_root_and_not_under_media_url(client, settings):
    application = _application(other_licence=SimpleUploadedFile("food.pdf", PDF, content_type="application/pdf"))
    for stored in (application.business_licence, application.other_licence):
        path = Path(stored.path)
        assert path.is_file() and Path(settings.PRIVATE_MEDIA_ROOT) in path.parents
        assert not (Path(settings.MEDIA_ROOT) / stored.name).exists()
        assert not stored.url.startswith(settings.MEDIA_URL)
        assert client.get(settings.MEDIA_URL + stored.name).status_code == 404
    root, private = Path(settings.PRIVATE_MEDIA_ROOT).resolve(), Path(settings.MEDIA_ROOT).resolve()
    assert root not in private.parents and private not in root.parents


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_admins_regulators_and_the_applicant_open_a_licence(world, role):
    applicant = factories.user(role=roles.SHOPPER)
    application = _application(applicant=applicant)
    url = application.business_licence.url
    assert url == reverse("onboarding:licence-file", kwargs={"name": application.business_licence.name})
    response = world.client_for(role).get(url)
    if role in LICENCE_READERS:
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == Path(application.business_licence.path).read_bytes()
        assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"]
    elif role == "anonymous":
        assert response.status_code == 302 and "login" in response["Location"]
    else:
        assert response.status_code in (403, 404), role
        assert not getattr(response, "streaming", False)


@pytest.mark.django_db
def test_the_applicant_opens_their_own_licence_only(client):
    mine, other = _application(), _application(credit_code=factories.credit_code(880002))
    client.force_login(mine.applicant)
    assert client.get(mine.business_licence.url).status_code == 200
    assert client.get(other.business_licence.url).status_code == 404
    name = mine.business_licence.name
    for guess in (name + "x", "../" + name, "onboarding/licences/", "x/../" + name):
        assert client.get(reverse("onboarding:licence-file", kwargs={"name": guess})).status_code == 404, guess


@pytest.mark.django_db
def test_the_migration_moves_existing_licences_out_of_media_root_and_back(settings):
    migration = importlib.import_module("marketplace.onboarding.migrations.0002_licences_in_private_storage")
    application = _application()
    name = application.business_licence.name
    private, public = Path(settings.PRIVATE_MEDIA_ROOT) / name, Path(settings.MEDIA_ROOT) / name
    content = private.read_bytes()
    migration.to_media(django_apps, None)
    assert public.read_bytes() == content and not private.exists()
    migration.to_private(django_apps, None)
    assert private.read_bytes() == content and not public.exists()


@pytest.mark.django_db
def test_english_onboarding_page_has_no_chinese_interface_text(client):
    from tests.marketplace.test_english import chinese_lines

    applicant = factories.user(role=roles.SHOPPER)
    client.force_login(applicant)
    empty = client.post("/en" + APPLY, {})
    page = empty.content.decode()
    assert empty.status_code == 400 and "Please enter the shop name." in page and 'lang="en"' in page
    assert chinese_lines(page) == []
    application = _application(applicant=applicant)
    page = client.get("/en" + APPLY).content.decode()
    assert "Waiting for the platform’s review" in page
    assert chinese_lines(page, [application.legal_name, application.shop_name]) == []
