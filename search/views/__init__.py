"""Database-backed listing and search views (the search issue replaces the backend)."""

from search.views.catalogue import CatalogueView, ProductCategoryView
from search.views.search import FacetedSearchView

__all__ = ["CatalogueView", "FacetedSearchView", "ProductCategoryView"]
