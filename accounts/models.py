"""The one citizen identity: users, their households, delegations, and staff memberships."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import identifiers

ADULT_AGE = 17  # the age at which an Indonesian gets a KTP-el and acts for themselves


class SealedIdentifierMixin(models.Model):
    """A NIK kept encrypted (``nik_sealed``) with a keyed digest (``nik_digest``) for look-ups."""

    nik_sealed = models.TextField(_("NIK (encrypted)"), blank=True, default="", editable=False)
    nik_digest = models.CharField(  # noqa: DJ001 — NULL, not "", so that UNIQUE allows many missing
        _("NIK digest"), max_length=64, null=True, blank=True, editable=False, db_index=True
    )

    class Meta:
        abstract = True

    @property
    def nik(self) -> str:
        return identifiers.unseal(self.nik_sealed)

    @property
    def nik_masked(self) -> str:
        return identifiers.mask_identifier(self.nik)

    def set_nik(self, value: str | None) -> None:
        """Validate and seal ``value`` (``None`` or empty clears it)."""
        if not value:
            self.nik_sealed, self.nik_digest = "", None
            return
        identifiers.validate_nik(value)
        self.nik_sealed = identifiers.seal(value)
        self.nik_digest = identifiers.digest(value)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str | None, password: str | None, **fields) -> User:
        email = self.normalize_email(email).lower() if email else None
        user = self.model(email=email, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str | None = None, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(SealedIdentifierMixin, AbstractBaseUser, PermissionsMixin):
    """A citizen or a staff member. Sign-in is by email or phone; the NIK comes when needed."""

    class Language(models.TextChoices):
        INDONESIAN = "id", _("Indonesian")
        ENGLISH = "en", _("English")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    phone = models.CharField(
        _("phone number"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text=_("In international format, e.g. +6281234567890."),
    )
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.INDONESIAN
    )
    home_kelurahan = models.ForeignKey(
        "services.Kelurahan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home kelurahan"),
    )
    nik_verified_at = models.DateTimeField(
        _("NIK verified at"), null=True, blank=True, editable=False
    )
    nik_verified_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("NIK verified by"),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the user can log into the staff admin."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["nik_digest"], condition=Q(nik_digest__isnull=False), name="user_nik_unique"
            ),
        ]
        permissions = [
            ("view_full_nik", _("Can see a citizen's full NIK (each view is recorded)")),
            ("verify_nik", _("Can verify a citizen's NIK in person")),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or str(self.uuid)

    def clean(self) -> None:
        super().clean()
        if self.email:
            self.email = self.__class__.objects.normalize_email(self.email).lower()
        else:
            self.email = None
        if self.phone:
            self.phone = identifiers.normalize_phone(self.phone)
        else:
            self.phone = None

    @property
    def is_nik_verified(self) -> bool:
        return self.nik_verified_at is not None

    @property
    def birth_date(self) -> dt.date | None:
        nik = self.nik
        return identifiers.parse_nik(nik).birth_date() if nik else None

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else ""


class AgencyMembership(models.Model):
    """A staff member's role in one agency; staff see only their agencies' work."""

    class Role(models.TextChoices):
        COUNTER_OFFICER = "counter_officer", _("Counter officer")
        AGENCY_ADMIN = "agency_admin", _("Agency admin")
        COMMAND_CENTRE = "command_centre", _("Command centre")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    agency = models.ForeignKey(
        "services.Agency",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.agency} ({self.get_role_display()})"


class PersonalDataAccess(models.Model):
    """An audit row: a staff member saw a citizen's personal data (UU PDP accountability)."""

    accessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("seen by"),
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="personal_data_accesses",
        verbose_name=_("whose data"),
    )
    field = models.CharField(_("data"), max_length=50)
    channel = models.CharField(_("where"), max_length=20)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.accessor} → {self.subject}: {self.field}"


class Household(models.Model):
    """A Kartu Keluarga as recorded by a citizen and confirmed by counter staff at the MPP."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kk_sealed = models.TextField(_("KK number (encrypted)"), editable=False)
    kk_digest = models.CharField(_("KK digest"), max_length=64, unique=True, editable=False)
    address = models.CharField(_("address"), max_length=255, blank=True)
    kelurahan = models.ForeignKey(
        "services.Kelurahan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kelurahan"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="recorded_households",
        verbose_name=_("recorded by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("household (KK)")
        verbose_name_plural = _("households (KK)")
        permissions = [("confirm_household", _("Can confirm a household at the counter"))]

    def __str__(self) -> str:
        return f"KK {self.kk_masked}"

    @property
    def kk_number(self) -> str:
        return identifiers.unseal(self.kk_sealed)

    @property
    def kk_masked(self) -> str:
        return identifiers.mask_identifier(self.kk_number)

    def set_kk_number(self, value: str) -> None:
        identifiers.validate_kk_number(value)
        self.kk_sealed = identifiers.seal(value)
        self.kk_digest = identifiers.digest(value)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class HouseholdMember(SealedIdentifierMixin, models.Model):
    class Relationship(models.TextChoices):
        HEAD = "kepala_keluarga", _("Head of household")
        HUSBAND = "suami", _("Husband")
        WIFE = "istri", _("Wife")
        CHILD = "anak", _("Child")
        CHILD_IN_LAW = "menantu", _("Child-in-law")
        GRANDCHILD = "cucu", _("Grandchild")
        PARENT = "orang_tua", _("Parent")
        PARENT_IN_LAW = "mertua", _("Parent-in-law")
        OTHER_RELATIVE = "famili_lain", _("Other relative")
        OTHER = "lainnya", _("Other")

    class Sex(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="household_memberships",
        verbose_name=_("account"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["birth_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "user"],
                condition=Q(user__isnull=False),
                name="member_user_once_per_household",
            ),
            models.UniqueConstraint(
                fields=["household", "nik_digest"],
                condition=Q(nik_digest__isnull=False),
                name="member_nik_once_per_household",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relationship="kepala_keluarga"),
                name="one_head_per_household",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    @property
    def is_minor(self) -> bool:
        return self.age_on(timezone.localdate()) < ADULT_AGE


class Delegation(models.Model):
    """An adult lets another adult act for them, for some services, for a limited time."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    grantor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="delegations_given",
        verbose_name=_("grantor"),
    )
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="delegations_received",
        verbose_name=_("grantee"),
    )
    service_codes = models.JSONField(
        _("services"), help_text=_("Codes of the services the grantee may use for the grantor.")
    )
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    consent_text = models.TextField(_("consent statement"))
    consented_at = models.DateTimeField(_("consent given at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(grantor=models.F("grantee")), name="delegation_not_self"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")), name="delegation_valid_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grantor} → {self.grantee}"

    def is_active_at(self, moment: dt.datetime) -> bool:
        return self.revoked_at is None and self.valid_from <= moment < self.valid_until


class ProxyAction(models.Model):
    """A record that someone acted on another person's behalf; both of them see it."""

    class Basis(models.TextChoices):
        GUARDIAN = "guardian", _("Head of household for a minor")
        DELEGATION = "delegation", _("Delegation")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proxy_actions_taken",
        verbose_name=_("acted by"),
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proxy_actions_received",
        verbose_name=_("on behalf of (account)"),
    )
    # SET_NULL, not CASCADE: a member leaving the KK (pecah KK, moving) must not erase the record
    # of what was done for them; ``subject_name`` keeps who it was.
    subject_member = models.ForeignKey(
        HouseholdMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of (household member)"),
    )
    subject_name = models.CharField(
        _("on behalf of (name)"),
        max_length=150,
        blank=True,
        help_text=_("The name of the person acted for, as it was at the time."),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uses",
        verbose_name=_("under delegation"),
    )
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    service_code = models.CharField(_("service"), max_length=64)
    description = models.CharField(_("what was done"), max_length=255)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("action on someone's behalf")
        verbose_name_plural = _("actions on someone's behalf")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-at"]),
            models.Index(fields=["subject_user", "-at"]),
        ]

    def __str__(self) -> str:
        return self.description


class ConsentRecord(models.Model):
    """One decision of a citizen about an optional processing of their data (UU PDP Art. 20–22):
    granted or withdrawn, at a time, against a version of the text they were shown. Append-only:
    the current state of a purpose (for one object, when the purpose is per object) is the latest
    record; the history is the evidence. The texts and versions live in ``accounts.consent``."""

    class Purpose(models.TextChoices):
        NOTIFICATIONS_EMAIL = "notifications_email", _("Notifications by email")
        NOTIFICATIONS_SMS = "notifications_sms", _("Notifications by SMS")
        NOTIFICATIONS_WHATSAPP = "notifications_whatsapp", _("Notifications by WhatsApp")
        NOTIFICATIONS_PUSH = "notifications_push", _("Push notifications")
        COMPLAINT_PUBLIC_PHOTO = "complaint_public_photo", _("Public (blurred) complaint photos")

    class Source(models.TextChoices):
        API = "api", _("App (API)")
        PORTAL = "portal", _("Web portal")
        WHATSAPP = "whatsapp", _("WhatsApp")
        OTHER = "other", _("Other channel")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consent_records",
        verbose_name=_("citizen"),
    )
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    object_ref = models.CharField(
        _("for"),
        max_length=64,
        blank=True,
        help_text=_("The object a per-object consent is about (a complaint's tracking number)."),
    )
    granted = models.BooleanField(_("granted"))
    detail = models.CharField(
        _("detail"), max_length=100, blank=True, help_text=_("E.g. the notification topics chosen.")
    )
    text_version = models.CharField(_("text version"), max_length=20)
    text_digest = models.CharField(
        _("text digest"), max_length=64, help_text=_("SHA-256 of the text agreed to.")
    )
    source = models.CharField(_("given through"), max_length=20, choices=Source.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "purpose", "-at"], name="consent_user_purpose")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} — {'+' if self.granted else '−'}"


class AccessLogEntry(models.Model):
    """A staff member opened a citizen's personal data (UU PDP accountability): who, for which
    agency, whose data, which object (its type and tracking number or uuid — never a NIK), why,
    and when. Written by ``accounts.access_log.record_access``; the citizen reads their own
    entries, an agency admin those of their agency."""

    class ReasonKind(models.TextChoices):
        WORK_ITEM = "work_item", _("Handling the work item")
        SERVICE = "service", _("Serving the citizen's request")
        STATED = "stated", _("Reason stated by the staff member")

    class Channel(models.TextChoices):
        ADMIN = "admin", _("Staff admin")
        API = "api", _("Staff API")

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    staff_name = models.CharField(_("staff name"), max_length=150)
    agency = models.ForeignKey(
        "services.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_log_entries",
        verbose_name=_("citizen"),
    )
    object_type = models.CharField(_("what"), max_length=60)
    object_ref = models.CharField(_("reference"), max_length=64, db_index=True)
    reason_kind = models.CharField(_("why"), max_length=20, choices=ReasonKind.choices)
    reason = models.CharField(_("reason"), max_length=255)
    channel = models.CharField(_("where"), max_length=10, choices=Channel.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject", "-at"], name="accesslog_subject_at"),
            models.Index(fields=["agency", "-at"], name="accesslog_agency_at"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_name} → {self.object_type} {self.object_ref}"
