from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from oscar.apps.dashboard.partners.views import PartnerUserLinkView as OscarPartnerUserLinkView


@method_decorator(require_POST, name="dispatch")
class PartnerUserLinkView(OscarPartnerUserLinkView):
    """Oscar's view without its GET handler: a state change needs a POST with a CSRF token."""
