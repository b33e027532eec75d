"""Oscar's offer applicator, with the site's offers read once per storefront version.

Every request that loads a basket asks for the site offers: a query over offers, conditions
and benefits that costs more to build than to run, and whose answer changes only when an
offer, condition, benefit or range is saved (each bumps the storefront version, see
``cms.signals``). Here the open site offers are kept in the cache under that version, and
each request keeps those whose dates take in the present, as Oscar's ``active`` manager
does in SQL.
"""

from django.utils import timezone
from oscar.apps.offer.applicator import Applicator as OscarApplicator
from oscar.core.loading import get_model

from marketplace import storefront_cache


def _open_site_offers() -> list:
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    return list(ConditionalOffer.objects.filter(offer_type=ConditionalOffer.SITE, status=ConditionalOffer.OPEN)
                .select_related("condition", "benefit"))


def _in_date(offer, now) -> bool:
    return ((offer.start_datetime is None or offer.start_datetime <= now)
            and (offer.end_datetime is None or offer.end_datetime >= now))


class Applicator(OscarApplicator):
    def get_site_offers(self):
        now = timezone.now()
        offers = storefront_cache.get_or_build("site-offers", [], _open_site_offers)
        return [offer for offer in offers if _in_date(offer, now)]
