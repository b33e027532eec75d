"""The platform's roles, as Django groups with permissions.

Created by a data migration and kept in step after every ``migrate`` (post_migrate), so
a permission added by a later issue reaches its role without a hand-written migration.
Merchant staff are further scoped to their own partner through ``Partner.users``; see
``merchant_for``.
"""

SHOPPER = "shopper"
FAMILY = "family_member"
MERCHANT = "merchant_staff"
REGULATOR = "regulator"
EDITOR = "cms_editor"
PLATFORM_ADMIN = "platform_admin"

ROLE_NAMES = {
    SHOPPER: "老年购物者",
    FAMILY: "家属",
    MERCHANT: "商家员工",
    REGULATOR: "市场监管人员",
    EDITOR: "内容编辑",
    PLATFORM_ADMIN: "平台管理员",
}

ALL = "*"

ROLE_PERMISSIONS: dict[str, list[str] | str] = {
    SHOPPER: [],
    FAMILY: [],
    MERCHANT: [
        "partner.dashboard_access",
        "traceability.view_lot",
        "traceability.add_lot",
        "traceability.view_traceevent",
        "traceability.add_traceevent",
        "traceability.view_qualitycommitment",
        "traceability.add_qualitycommitment",
    ],
    REGULATOR: [
        "traceability.view_lot",
        "traceability.view_traceevent",
        "traceability.view_qualitycommitment",
        "traceability.view_auditentry",
        "traceability.suspend_lot",
        "traceability.recall_lot",
        "traceability.verify_lot",
        "traceability.export_traceability",
        "catalogue.view_cataloguelisting",
        "catalogue.change_cataloguelisting",
        "order.view_order",
        "order.view_line",
        "claims.view_shopperreport",
        "claims.change_shopperreport",
        "claims.view_reportstatuschange",
    ],
    # Wagtail's page permissions (add, change, publish, lock, unlock on the page tree's root)
    # and collection permissions (add/change/choose images and documents) for this group are
    # kept in step by cms/permissions.py after every migrate. No Oscar dashboard, no staff.
    EDITOR: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
    PLATFORM_ADMIN: ALL,
}


def sync_roles(*, group_model, permission_model) -> None:
    """Create each role's group and give it exactly its permissions (those that exist yet)."""
    for name, wanted in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        if wanted == ALL:
            permissions = list(permission_model.objects.all())
        else:
            permissions = []
            for dotted in wanted:
                app_label, codename = dotted.split(".")
                permissions.extend(
                    permission_model.objects.filter(content_type__app_label=app_label, codename=codename)
                )
        group.permissions.set(permissions)


def has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return role in cached


def merchant_for(user):
    """The partner a merchant-staff user works for, or None. Every merchant query starts here."""
    if not user.is_authenticated or not has_role(user, MERCHANT):
        return None
    return user.partners.order_by("pk").first()
