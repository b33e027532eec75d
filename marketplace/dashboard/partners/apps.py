"""Oscar's partners dashboard, forked thin: linking a user to a merchant is POST-only.

Oscar lets a GET link a user to a partner (for its "Undo" link), so an image tag on any
page could give a visitor's account merchant rights. Our ``views.PartnerUserLinkView``
refuses GET (Oscar's class loader picks it up), and the undo message has no link.
"""

import oscar.apps.dashboard.partners.apps as apps


class PartnersDashboardConfig(apps.PartnersDashboardConfig):
    name = "marketplace.dashboard.partners"

    def ready(self):
        super().ready()
        from marketplace.dashboard.partners.views import PartnerUserLinkView

        self.user_link_view = PartnerUserLinkView
