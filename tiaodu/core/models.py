"""Base models and the audit log."""

from typing import Any, ClassVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A row that knows when it was created and last changed."""

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    SIGN_IN = "sign_in", _("Sign-in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    LOCKOUT = "lockout", _("Account locked")
    UNLOCK = "unlock", _("Account unlocked")
    SIGN_OUT = "sign_out", _("Sign-out")
    SESSION_EXPIRED = "session_expired", _("Session expired")
    PASSWORD_CHANGE = "password_change", _("Password changed")
    EXPORT = "export", _("Export")
    DENIED = "denied", _("Access denied")
    BACKUP = "backup", _("Backup")
    RESTORE = "restore", _("Restore")
    ARCHIVE = "archive", _("Archive")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One entry of the append-only audit log: who did what to which object, and from where.

    Rows are only ever inserted (`tiaodu.core.audit.record`); the ORM refuses updates and
    deletes, and the database refuses them too (triggers, migrations 0002 and 0006), except
    the deletes of `audit_archive.archive_audit`, which prunes events older than the
    retention period once they are in a signed archive (`audit_guard`).
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        # Users are deactivated, not deleted; if one ever is, its events keep actor_name.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    # Lookups by type use the (object_type, object_id, at) index below; no index of its own.
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    # The object whose history this entry belongs to, e.g. the project of a plan entry.
    parent_type = models.CharField(_("parent type"), max_length=64, blank=True)
    parent_id = models.CharField(_("parent id"), max_length=64, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    success = models.BooleanField(_("success"), default=True)
    source_address = models.CharField(_("source address"), max_length=64, blank=True)
    channel = models.CharField(_("channel"), max_length=16, blank=True)
    message = models.CharField(_("message"), max_length=255, blank=True)

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"]),
            models.Index(fields=["parent_type", "parent_id", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Integrity guard, not business logic: an existing entry is never rewritten.
        if self.pk is not None and not self._state.adding:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only.")


class Notification(models.Model):
    """A message to one user, shown under the bell of the top bar and sent by email.

    `key` makes a notification once-only: `notify` writes no second row with the same
    recipient and key (a reminder sent twice, a retried task).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(_("key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class SavedFilter(TimeStampedModel):
    """A user's own named filters of a list page (我的视图): the page's key and its query
    string without paging, private to the user; at most one is the page's default, which
    the page applies when opened without filters (docs/search.md)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_filters",
    )
    page = models.CharField(_("page"), max_length=64)
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("query string"), max_length=2000, blank=True)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["page", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "page", "name"], name="saved_filter_unique_name"
            ),
            models.UniqueConstraint(
                fields=["user", "page"],
                condition=models.Q(is_default=True),
                name="saved_filter_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IdempotencyKey(models.Model):
    """A create request that is done once per key (`core.idempotency`): the user's key (a
    create form's hidden field, an API call's `Idempotency-Key` header), what it was for
    (`scope`, and for the API a digest of the request), and the first answer, which a
    repeat of the key gets instead of creating again. Kept 24 hours."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("key"), max_length=100)
    scope = models.CharField(_("scope"), max_length=100)
    fingerprint = models.CharField(_("request digest"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    status = models.PositiveSmallIntegerField(_("status"), default=0)
    location = models.CharField(_("location"), max_length=500, blank=True)
    body = models.JSONField(_("body"), null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class KeptRead(models.Model):
    """A kept value a page read (`core.stamps`): how it is computed again, and the last day
    it was read. The warm round computes the recent ones early each morning, before the
    day's readers come (docs/statistics.md, "Cache")."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    refresher = models.CharField(_("refresher"), max_length=64)
    arguments = models.JSONField(_("arguments"), default=dict)
    read_on = models.DateField(_("read on"), db_index=True)

    class Meta:
        verbose_name = _("kept value read")
        verbose_name_plural = _("kept values read")

    def __str__(self) -> str:
        return f"{self.refresher} {self.read_on}"
