"""Demo data for Silver Market: a believable Jilin catalogue, merchants, lots and pages.

``seed.py`` writes the demo (``manage.py seed_demo``); ``bulk.py`` writes a large
benchmark catalogue (``manage.py seed_bench``). The other modules are plain data.
"""
