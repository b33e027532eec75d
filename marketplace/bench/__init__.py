"""Storefront benchmark: ``manage.py bench`` (run by ``make bench``).

- ``pages``   the registry of pages to measure (name -> URL builder); extend with ``register``;
- ``queries`` in-process timing and SQL query counts with Django's test client;
- ``load``    a small bounded HTTP load generator (threads + keep-alive) and percentile maths;
- ``report``  Markdown rendering of the results.
"""
