"""API tokens, the audit of every write made through the API, and EPCIS capture jobs."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A user's bearer token. Only the SHA-256 of the secret is stored; the secret is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="market_api_tokens",
                             verbose_name="用户")
    name = models.CharField("名称", max_length=64)
    prefix = models.CharField("开头几位", max_length=12, help_text="密钥的开头，用来认出是哪一个")
    secret_sha256 = models.CharField("密钥 SHA-256", max_length=64, unique=True)
    scopes = models.JSONField("权限范围", default=list)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class ApiAuditEntry(models.Model):
    """One write request made with a token: who, with which token, what, and how it ended."""

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                             verbose_name="用户")
    token = models.ForeignKey(ApiToken, on_delete=models.SET_NULL, null=True, related_name="audit_entries",
                              verbose_name="令牌")
    method = models.CharField("方法", max_length=8)
    path = models.CharField("路径", max_length=255)
    object_type = models.CharField("对象类型", max_length=32, blank=True)
    object_id = models.CharField("对象", max_length=128, blank=True)
    status = models.PositiveSmallIntegerField("结果状态码")

    class Meta:
        verbose_name = "接口写操作记录"
        verbose_name_plural = "接口写操作记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.method} {self.path} {self.status}"


class CaptureJob(models.Model):
    """One EPCIS capture request (GS1 EPCIS 2.0 REST bindings, ``/capture/{captureID}``)."""

    ROLLBACK, PROCEED = "rollback", "proceed"
    BEHAVIOURS = [(ROLLBACK, "全部成功才保存"), (PROCEED, "逐条保存")]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.ForeignKey(ApiToken, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    running = models.BooleanField("处理中", default=True)
    success = models.BooleanField("成功", default=False)
    error_behaviour = models.CharField("出错时", max_length=8, choices=BEHAVIOURS, default=ROLLBACK)
    event_count = models.PositiveIntegerField("事件数", default=0)
    event_ids = models.JSONField("已记录事件", default=list)
    errors = models.JSONField("错误", default=list)

    class Meta:
        verbose_name = "EPCIS 采集任务"
        verbose_name_plural = "EPCIS 采集任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"capture {self.pk}"
