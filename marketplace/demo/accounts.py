"""Demo logins, one per role. Created only when ``settings.DEMO_MODE`` is on."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from marketplace import roles
from marketplace.demo import merchants

DEMO_PASSWORD = "demo-pass-2026"

# (email, role, name, partner code, is_staff, is_superuser)
DEMO_LOGINS = [
    ("elder@example.com", roles.SHOPPER, "王秀兰", None, False, False),
    ("family@example.com", roles.FAMILY, "王磊", None, False, False),
    ("merchant.fusong@example.com", roles.MERCHANT, "张立新", merchants.FUSONG, False, False),
    ("merchant.hearing@example.com", roles.MERCHANT, "孙丽", merchants.HEARING, False, False),
    ("regulator@example.com", roles.REGULATOR, "刘建华", None, False, False),
    ("editor@example.com", roles.EDITOR, "陈静", None, True, False),
    ("admin@example.com", roles.PLATFORM_ADMIN, "平台管理员", None, True, True),
]


def ensure_demo_logins(*, partners) -> list[tuple[str, str]]:
    """Create the missing demo users; return (email, role) for every demo login."""
    user_model = get_user_model()
    existing = set(user_model.objects.filter(email__in=[row[0] for row in DEMO_LOGINS]).values_list("email", flat=True))
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLE_NAMES)}
    for email, role, name, partner_code, is_staff, is_superuser in DEMO_LOGINS:
        if email in existing:
            continue
        user = user_model.objects.create_user(
            username=email, email=email, password=DEMO_PASSWORD, first_name=name[1:], last_name=name[:1],
            is_staff=is_staff, is_superuser=is_superuser,
        )
        user.groups.add(groups[role])
        if partner_code:
            partners[partner_code].users.add(user)
    return [(row[0], row[1]) for row in DEMO_LOGINS]
