"""Listing and search views, all answered by the search backend (search/backends/)."""

from search.views.autocomplete import AutocompleteView
from search.views.catalogue import CatalogueView, ProductCategoryView
from search.views.search import FacetedSearchView

__all__ = ["AutocompleteView", "CatalogueView", "FacetedSearchView", "ProductCategoryView"]
