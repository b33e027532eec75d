"""Search pages for ``make bench`` (discovered by marketplace/bench/runner.py)."""

from urllib.parse import urlencode

from marketplace.bench.pages import PageContext, register


@register("search pinyin")
def search_pinyin(ctx: PageContext) -> str:
    from django.urls import reverse

    return f"{reverse('search:search')}?{urlencode({'q': 'renshen'})}"


@register("search facet")
def search_facet(ctx: PageContext) -> str:
    from django.urls import reverse

    return f"{reverse('search:search')}?{urlencode({'q': 'xueyaji', 'available': '1', 'price': '100-300'})}"


@register("autocomplete")
def autocomplete(ctx: PageContext) -> str:
    from django.urls import reverse

    return f"{reverse('search:suggest')}?{urlencode({'q': 'xy'})}"
