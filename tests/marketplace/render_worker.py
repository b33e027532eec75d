"""Another worker process for tests: renders the paths it reads on stdin, one JSON line each.

It shares the database and the cache with the test process (both come from its
environment), as a second gunicorn worker would, so tests can see what another process sees.
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
django.setup()

from django.test import Client  # noqa: E402

client = Client()
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    command, _, argument = line.strip().partition(" ")
    if command == "get":
        response = client.get(argument)
        print(json.dumps({"status": response.status_code, "html": response.content.decode()}), flush=True)
