default_app_config = 'marketplace.offer.apps.OfferConfig'
