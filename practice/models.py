from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from groups.models import Community
from profiles.models import Organisation, Topic


class ServiceArea(models.TextChoices):
    """The fixed taxonomy of local-government services (documented in docs/practice.md)."""

    HOUSING = "housing", "Housing"
    WASTE = "waste-recycling", "Waste and recycling"
    ADULT_SOCIAL_CARE = "adult-social-care", "Adult social care"
    CHILDRENS_SERVICES = "childrens-services", "Children's services"
    PLANNING = "planning", "Planning"
    HIGHWAYS = "highways-transport", "Highways and transport"
    PUBLIC_HEALTH = "public-health", "Public health"
    REVENUES = "revenues-benefits", "Revenues and benefits"
    ENVIRONMENTAL_HEALTH = "environmental-health", "Environmental health"
    LIBRARIES = "libraries-culture", "Libraries and culture"
    DIGITAL = "digital-it", "Digital and IT"
    CUSTOMER_SERVICES = "customer-services", "Customer services"
    FINANCE = "finance", "Finance"
    HR = "hr-workforce", "HR and workforce"
    DEMOCRATIC = "democratic-services", "Democratic services"
    COMMUNITY_SAFETY = "community-safety", "Community safety"
    CLIMATE = "climate-sustainability", "Climate and sustainability"
    ECONOMIC_DEVELOPMENT = "economic-development", "Economic development"


class PracticePost(models.Model):
    """A structured case study of something a council did, which peers can vouch for."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class Promotion(models.TextChoices):
        NONE = "", "Not promoted"
        PEERS = "peers", "By peers"
        FACILITATOR = "facilitator", "By a facilitator"

    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=1000)
    challenge = models.TextField("the challenge and its context", max_length=20000, blank=True)
    approach = models.TextField("what we did", max_length=20000, blank=True)
    outcomes = models.TextField("outcomes and impact", max_length=20000, blank=True)
    cost = models.TextField("cost and resources", max_length=10000, blank=True)
    lessons = models.TextField("lessons learned", max_length=20000, blank=True)
    evidence_links = models.JSONField(default=list, blank=True)
    service_area = models.CharField(max_length=30, choices=ServiceArea.choices, db_index=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="practice_posts")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="practice_posts")
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_contact_for",
    )
    review_by = models.DateField(null=True, blank=True)
    community = models.ForeignKey(
        Community,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="practice_posts",
        help_text="Empty: network-wide, readable by every signed-in member.",
    )
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="practice_posts")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    promotion = models.CharField(max_length=12, choices=Promotion.choices, default="", blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    promotion_reason = models.TextField(max_length=1000, blank=True)

    # Where a draft came from ("From conversation to practice"), linking back to it.
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_title = models.CharField(max_length=200, blank=True)
    source_url = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "community"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practice:post", kwargs={"pk": self.pk})

    @property
    def is_promoted(self) -> bool:
        return bool(self.promotion)

    @property
    def needs_review(self) -> bool:
        """A promoted post past its review-by date, until an author confirms or updates it."""
        return (
            self.is_promoted
            and self.review_by is not None
            and self.review_by < timezone.localdate()
        )


class OutcomeMeasure(models.Model):
    """A measured figure: "average days in temporary accommodation 94 → 61"."""

    post = models.ForeignKey(PracticePost, on_delete=models.CASCADE, related_name="measures")
    label = models.CharField(max_length=200)
    before = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    after = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.before} → {self.after} {self.unit}".strip()


class Revision(models.Model):
    """A snapshot of a published post's content after an edit, with who and when."""

    post = models.ForeignKey(PracticePost, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    content = models.JSONField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="one_revision_number_each")
        ]

    def __str__(self) -> str:
        return f"{self.post} revision {self.number}"


class Comment(models.Model):
    post = models.ForeignKey(PracticePost, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(max_length=10000)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.post}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Endorsement(models.Model):
    """ "Worth repeating": one per person per post; withdrawing deletes it."""

    post = models.ForeignKey(PracticePost, on_delete=models.CASCADE, related_name="endorsements")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements"
    )
    note = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["post", "person"], name="one_endorsement_each")
        ]

    def __str__(self) -> str:
        return f"{self.person} endorses {self.post}"


class RepeatRecord(models.Model):
    """ "We repeated this": one organisation's attempt at the practice, updated over time."""

    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        TRYING = "trying", "Trying"
        ADOPTED = "adopted", "Adopted"
        STOPPED = "stopped", "Stopped"

    post = models.ForeignKey(PracticePost, on_delete=models.CASCADE, related_name="repeats")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="repeat_records"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_on = models.DateField(default=datetime.date.today)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNING)
    outcome = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "organisation"], name="one_repeat_record_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} repeated {self.post} ({self.status})"
