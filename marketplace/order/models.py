"""Order lines carry the traceability lot they were sold from."""

from django.db import models
from oscar.apps.order.abstract_models import AbstractLine


class Line(AbstractLine):
    lot = models.ForeignKey(
        "traceability.Lot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
        verbose_name="追溯批次",
    )


from oscar.apps.order.models import *  # noqa: E402,F401,F403
