"""The CMS editor's reach inside Wagtail: pages and media, nothing else.

Django permissions for the group come from ``marketplace.roles``; Wagtail's page and
collection permissions hang on the page tree's root and the root collection, which exist
right after Wagtail's migrations, so they are set here after every ``migrate`` and stay in
step with ``EDITOR_PAGE_PERMISSIONS``/``EDITOR_COLLECTION_PERMISSIONS``.
"""

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"), ("wagtailimages", "change_image"), ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"), ("wagtaildocs", "choose_document"),
]


def sync_editor_permissions() -> None:
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    from marketplace.roles import EDITOR

    group, _ = Group.objects.get_or_create(name=EDITOR)
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    if root_page is None or root_collection is None:
        return
    page_perms = Permission.objects.filter(content_type__app_label="wagtailcore",
                                           codename__in=EDITOR_PAGE_PERMISSIONS)
    GroupPagePermission.objects.filter(group=group).exclude(page=root_page, permission__in=page_perms).delete()
    for permission in page_perms:
        GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
    collection_perms = [
        p for app_label, codename in EDITOR_COLLECTION_PERMISSIONS
        for p in Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    ]
    GroupCollectionPermission.objects.filter(group=group).exclude(
        collection=root_collection, permission__in=collection_perms).delete()
    for permission in collection_perms:
        GroupCollectionPermission.objects.get_or_create(group=group, collection=root_collection,
                                                        permission=permission)
