"""Traceability pages: the public trace page, the regulator console and the merchant workspace."""
