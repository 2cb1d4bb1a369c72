from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse


class Region(models.TextChoices):
    """The nine English regions plus the devolved nations: how councils group themselves."""

    NORTH_EAST = "north-east", "North East"
    NORTH_WEST = "north-west", "North West"
    YORKSHIRE = "yorkshire-humber", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east-midlands", "East Midlands"
    WEST_MIDLANDS = "west-midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south-east", "South East"
    SOUTH_WEST = "south-west", "South West"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COUNTY = "county", "County council"
        DISTRICT = "district", "District council"
        UNITARY = "unitary", "Unitary authority"
        METROPOLITAN = "metropolitan", "Metropolitan borough"
        LONDON_BOROUGH = "london-borough", "London borough"
        OTHER = "other", "Other public body"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    region = models.CharField(max_length=20, choices=Region.choices, blank=True)
    is_active = models.BooleanField(
        default=True, help_text="A disabled organisation's staff cannot sign in."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("profiles:organisation", kwargs={"slug": self.slug})


class OrganisationDomain(models.Model):
    """An email domain that belongs to one organisation: verified staff of it are placed there."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.domain = self.domain.strip().lower()
        super().save(*args, **kwargs)


class Topic(models.Model):
    """One entry of the shared, normalised vocabulary used for expertise and community topics."""

    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> Person:  # type: ignore[no-untyped-def]
        if not email:
            raise ValueError("A person needs an email address.")
        person = self.model(email=self.normalize_email(email).lower(), **extra)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_user(self, email: str, password: str | None = None, **extra) -> Person:  # type: ignore[no-untyped-def]
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> Person:  # type: ignore[no-untyped-def]
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class Person(AbstractUser):
    """A member of the network. Staff of an organisation, or a guest when it has none."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=120)
    job_title = models.CharField(max_length=120, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    bio = models.TextField(max_length=1000, blank=True)
    expertise = models.ManyToManyField(Topic, blank=True, related_name="experts")
    is_organisation_admin = models.BooleanField(
        default=False,
        help_text="Administers their organisation's presence on the hub; must use two-factor "
        "authentication when REQUIRE_MFA_FOR_ORGANISATION_ADMINS is on.",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = PersonManager()  # type: ignore[assignment,misc]

    class Meta:
        ordering = [Lower("display_name")]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_absolute_url(self) -> str:
        return reverse("profiles:person", kwargs={"pk": self.pk})

    @property
    def is_guest(self) -> bool:
        return self.organisation_id is None

    @property
    def email_domain(self) -> str:
        return self.email.rsplit("@", 1)[-1].lower()

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


class OrganisationIdentityProvider(models.Model):
    """The identity provider an organisation's staff sign in with: one allauth ``SocialApp``
    (provider ``openid_connect`` or ``saml``) whose ``provider_id`` is the organisation's slug,
    so two organisations' subject identifiers never collide. A provider signs people in to this
    organisation only; the email it asserts never decides the organisation."""

    class Protocol(models.TextChoices):
        OIDC = "oidc", "OpenID Connect"
        SAML = "saml", "SAML 2.0"

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="identity_provider"
    )
    social_app = models.OneToOneField(
        "socialaccount.SocialApp", on_delete=models.CASCADE, related_name="organisation_link"
    )
    protocol = models.CharField(max_length=4, choices=Protocol.choices)
    link_existing_accounts = models.BooleanField(
        default=False,
        help_text="For a migration only: the first federated sign-in of a person who already "
        "has a local account of this organisation with the same verified email joins the two.",
    )

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_protocol_display()})"
