"""One person's display preference, kept with the account so it follows them to a new phone."""

from django.conf import settings
from django.db import models


class DisplayPreference(models.Model):
    STANDARD = "standard"
    LARGE = "large"
    X_LARGE = "x-large"
    TEXT_SIZES = [(STANDARD, "标准"), (LARGE, "大"), (X_LARGE, "特大")]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="display_preference", verbose_name="用户")
    text_size = models.CharField("字号", max_length=10, choices=TEXT_SIZES, default=STANDARD)
    high_contrast = models.BooleanField("高对比度", default=False)
    elder_mode = models.BooleanField("长辈模式", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "显示设置"
        verbose_name_plural = "显示设置"

    def __str__(self) -> str:
        return f"{self.user_id}: {self.text_size}"
