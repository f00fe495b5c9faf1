"""Org units, users, roles, people and the sign-in record."""

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaodu.accounts.choices import REGION_KINDS, OrgUnitKind
from tiaodu.core.models import TimeStampedModel
from tiaodu.core.roles import ADMINISTRATOR_ROLES, Role
from tiaodu.core.scoping import Grant
from tiaodu.core.validators import refuse_bidi_controls


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def regions(self) -> "OrgUnitQuerySet":
        return self.filter(kind__in=REGION_KINDS)

    def subtree_of(self, unit: "OrgUnit") -> "OrgUnitQuerySet":
        return self.filter(path__startswith=unit.path)


class OrgUnit(TimeStampedModel):
    """A node of the organisation tree: a region, a functional zone, a department or an owner unit.

    `path` is the chain of ids from the root ("/1/7/42/"), so a subtree is one indexed
    prefix match. Only `accounts.services` writes it.
    """

    name = models.CharField(_("name"), max_length=100, validators=[refuse_bidi_controls])
    kind = models.CharField(_("kind"), max_length=16, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region_code = models.CharField(
        _("administrative division code"),
        max_length=6,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Six digits of GB/T 2260, for regions from the national table."),
    )
    path = models.CharField(_("tree path"), max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects: ClassVar[OrgUnitQuerySet] = OrgUnitQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "kind", "name"], name="orgunit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_region(self) -> bool:
        return self.kind in REGION_KINDS


class TiaoduUserManager(UserManager["User"]):
    pass


class User(AbstractUser):
    """A person who signs in. Roles come from `UserRole`; scope from those roles."""

    display_name = models.CharField(pgettext_lazy("person", "name"), max_length=50, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("mobile phone"), max_length=32, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)

    objects = TiaoduUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    def scope_grants(self) -> list[Grant]:
        """The grants of the user's roles (cached on the instance for one request)."""
        cached: list[Grant] | None = getattr(self, "_scope_grants", None)
        if cached is None:
            cached = [
                Grant(
                    role=assignment.role,
                    unit_path=assignment.org_unit.path if assignment.org_unit else "",
                    assigned_only=assignment.assigned_only,
                )
                for assignment in self.role_assignments.select_related("org_unit")
            ]
            self._scope_grants = cached
        return cached

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(grant.role for grant in self.scope_grants())

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_administrator(self) -> bool:
        return bool(self.roles & ADMINISTRATOR_ROLES)


class UserRole(models.Model):
    """A role a user holds, anchored at an org unit (a dispatcher's region, a reporter's unit)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("scope unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    assigned_only = models.BooleanField(
        _("assigned projects only"),
        default=False,
        help_text=_("A leader who sees only the projects assigned to them."),
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="userrole_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Person(TimeStampedModel):
    """A named official on project records (leaders, responsible persons, service officers).

    Many never sign in; when one does, `user` links the account, which is how a leader
    or a service officer reaches the projects assigned to them.
    """

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50, db_index=True)
    title = models.CharField(_("position"), max_length=100, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    user = models.OneToOneField(
        User,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）" if self.title else self.name


class PasswordHistory(models.Model):
    """Hashes of a user's recent passwords, so that none of the last N is reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("password history")
        verbose_name_plural = _("password history")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class SignInAttempt(models.Model):
    """Every sign-in attempt, by the username typed (known or not)."""

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(default=timezone.now)
    success = models.BooleanField(default=False)
    source_address = models.CharField(max_length=64, blank=True)
    # Answered without checking the password (the address throttle or a lock): not counted.
    refused = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")
        indexes = [
            models.Index(fields=["username", "-at"]),
            models.Index(fields=["source_address", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M} {'ok' if self.success else 'failed'}"


class AccountLock(models.Model):
    """A lockout: the username may not sign in from `source_address` (from anywhere when it
    is blank: an account-wide lock) until `locked_until`, unless unlocked earlier."""

    username = models.CharField(_("username"), max_length=150, db_index=True)
    source_address = models.CharField(_("from address"), max_length=64, blank=True)
    locked_at = models.DateTimeField(_("locked at"), default=timezone.now)
    locked_until = models.DateTimeField(_("locked until"))
    unlocked_at = models.DateTimeField(_("unlocked at"), null=True, blank=True)
    unlocked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("account lock")
        verbose_name_plural = _("account locks")
        ordering = ["-locked_at"]

    def __str__(self) -> str:
        return f"{self.username} · {self.locked_at:%Y-%m-%d %H:%M}"

    def is_active_at(self, moment: Any) -> bool:
        return self.unlocked_at is None and self.locked_until > moment


class ApiToken(models.Model):
    """A bearer token for the API, acting as its user with the user's scope.

    Only the SHA-256 digest of the token is kept; the token itself is shown once, when it
    is issued (`services.issue_api_token`). A revoked or expired token answers 401.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # The user's session hash when the token was issued (Django's, derived from the password
    # hash): a changed or reset password ends the token, as it ends the user's sessions.
    password_stamp = models.CharField(_("password stamp"), max_length=128, blank=True)
    # The address it was last used from: a use from another one is audited.
    last_address = models.GenericIPAddressField(_("last used from"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Display(models.Model):
    """A wall display (大屏) of a command centre: one browser that shows the big screen of a
    region with nobody signed in.

    The security administrator creates it and receives a one-time pairing code, of which
    only the SHA-256 digest is kept (`pairing_digest`, cleared once used). Pairing gives the
    wall's browser a secret of its own, kept as its digest too (`secret_digest`); the browser
    carries it in a signed cookie that opens the big screen and nothing else
    (`accounts.displays`, docs/screen.md). Revoking it, or its expiry, ends that at the next
    refresh.
    """

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        OrgUnit, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        User,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    pairing_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    pairing_expires_at = models.DateTimeField(_("pairing link expires at"), null=True, blank=True)
    secret_digest = models.CharField(max_length=64, blank=True, editable=False)
    paired_at = models.DateTimeField(_("paired at"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("wall display")
        verbose_name_plural = _("wall displays")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class SessionEnd(models.TextChoices):
    SIGNED_OUT = "signed_out", _("Signed out")
    EXPIRED = "expired", _("Timed out")
    ENDED = "ended", _("Ended by the security administrator")
    LOCKED = "locked", _("Ended by a lock after wrong passwords")


class SignedInSession(models.Model):
    """A browser signed in as a user: the security administrator lists these and may end one.

    Written at sign-in (`accounts.sessions`), its last activity refreshed at most once a
    minute, closed at sign-out, at a timeout or when the security administrator ends it
    (which deletes the session from the session store, so that browser is signed out at
    its next request). `session_key` is the store's key, as the store itself keeps it.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=64, db_index=True, editable=False)
    source_address = models.CharField(_("source address"), max_length=64, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"))
    last_seen_at = models.DateTimeField(_("last activity"), db_index=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end = models.CharField(_("how it ended"), max_length=16, choices=SessionEnd.choices, blank=True)
    ended_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-last_seen_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.signed_in_at:%Y-%m-%d %H:%M}"


class AdminActionKind(models.TextChoices):
    GRANT_ROLE = "grant_role", _("Give an administrator role")
    REMOVE_ROLE = "remove_role", _("Take away an administrator role")
    RESET_PASSWORD = "reset_password", _("Reset an administrator's password")
    UNLOCK = "unlock", _("Unlock an administrator's account")
    DEACTIVATE = "deactivate", _("Deactivate an administrator's account")
    ACTIVATE = "activate", _("Activate an administrator's account")
    CHANGE_USERNAME = "change_username", _("Change an administrator's username")
    RESET_SECOND_FACTOR = "reset_2fa", _("Reset an administrator's two-step sign-in")


class AdminActionStatus(models.TextChoices):
    PENDING = "pending", _("Pending confirmation")
    CONFIRMED = "confirmed", _("Confirmed and done")
    REFUSED = "refused", _("Not confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class AdminActionRequest(models.Model):
    """An act on an administrator's account that the security administrator asks for and a
    second administrator confirms (三权分立, DOMAIN.md §2): giving or taking away an
    administrator role, resetting an administrator's password, lifting a lock on one,
    deactivating or activating an administrator's account, changing its username.

    The act is done when a different administrator — neither the one who asked nor the
    account acted on — confirms it (`accounts.confirmations`), within a day of the request.
    A reset keeps only the hash of the temporary password (`password`, never audited),
    cleared when the request is decided or expires (status `expired`).
    """

    kind = models.CharField(_("kind"), max_length=16, choices=AdminActionKind.choices)
    target = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    password = models.CharField(max_length=128, blank=True, editable=False)
    new_username = models.CharField(_("new username"), max_length=150, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AdminActionStatus.choices,
        default=AdminActionStatus.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("administrator action request")
        verbose_name_plural = _("administrator action requests")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        act = f"{self.get_kind_display()} · {self.target}"
        return f"{act} → {self.new_username}" if self.new_username else act

    def is_open_at(self, moment: Any) -> bool:
        return self.status == AdminActionStatus.PENDING and self.expires_at > moment


class RecoveryCode(models.Model):
    """One of a user's single-use recovery codes for the second factor: only its SHA-256
    digest is kept; the codes are shown once, when made (`second_factor`)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(_("digest"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        indexes = [models.Index(fields=["user", "digest"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class SecurityPolicy(models.Model):
    """The security policy the security administrator sets at run time (`accounts.policy`):
    one row at most (pk 1); without it the values of `settings.TIAODU_SECURITY` apply."""

    SINGLETON = 1

    password_max_age_days = models.PositiveSmallIntegerField(_("password maximum age (days)"))
    password_history = models.PositiveSmallIntegerField(_("earlier passwords refused"))
    idle_timeout_minutes = models.PositiveSmallIntegerField(_("idle timeout (minutes)"))
    admin_idle_timeout_minutes = models.PositiveSmallIntegerField(
        _("administrators' idle timeout (minutes)")
    )
    lockout_failures = models.PositiveSmallIntegerField(_("failures that lock"))
    lockout_duration_minutes = models.PositiveSmallIntegerField(_("lock duration (minutes)"))
    second_factor_roles = models.JSONField(_("roles that sign in in two steps"), default=list)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        User,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")

    def __str__(self) -> str:
        return str(_("Security policy"))


from tiaodu.accounts.import_models import AccountImport, AccountImportStatus  # noqa: E402, F401
