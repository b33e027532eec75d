"""The red-flag lexicon as DOMAIN.md §3 lists it (marketplace/claims/seed_terms.py), with the
phrases that contain a term but are not claims (「最大承重」, 「第一次」, 「第一养殖场」)."""

from django.db import migrations


def seed(apps, schema_editor):
    from marketplace.claims.seed_terms import seed as seed_terms

    seed_terms(term_model=apps.get_model("claims", "RedFlagTerm"))


def unseed(apps, schema_editor):
    from marketplace.claims.seed_terms import unseed as unseed_terms

    unseed_terms(term_model=apps.get_model("claims", "RedFlagTerm"))


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_reports_and_lexicon")]

    operations = [migrations.RunPython(seed, unseed)]
