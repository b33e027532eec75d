import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
application = get_wsgi_application()

# A worker loads the word-segmentation and pinyin dictionaries before it takes requests,
# so the first shopper to search does not wait two seconds for them.
from search.analysis import warm_up  # noqa: E402  (needs the settings configured above)

warm_up()
