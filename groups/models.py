from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from profiles.models import Topic


class Visibility(models.TextChoices):
    OPEN = "open", "Open"
    RESTRICTED = "restricted", "Restricted"
    PRIVATE = "private", "Private"
    HIDDEN = "hidden", "Hidden"


VISIBILITY_HELP = {
    Visibility.OPEN: "Anyone in the network can read it and join.",
    Visibility.RESTRICTED: (
        "Listed with its description; people ask to join and a facilitator approves."
    ),
    Visibility.PRIVATE: "Only its name is listed; people join by invitation or by asking.",
    Visibility.HIDDEN: "Invisible to everyone but its members; invitation only.",
}


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    FACILITATOR = "facilitator", "Facilitator"
    MEMBER = "member", "Member"


MANAGING_ROLES = (Role.OWNER, Role.FACILITATOR)


class Community(models.Model):
    """A community of practice: people from any organisation around a shared topic."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(max_length=4000, blank=True)
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.OPEN, db_index=True
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="communities")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="communities"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "communities"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:community", kwargs={"slug": self.slug})


class Membership(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "person"], name="one_membership_each")
        ]
        indexes = [models.Index(fields=["person", "community"])]

    def __str__(self) -> str:
        return f"{self.person} in {self.community} ({self.role})"

    @property
    def can_manage(self) -> bool:
        return self.role in MANAGING_ROLES


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="join_requests")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "person"],
                condition=Q(status="pending"),
                name="one_pending_request_each",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} asks to join {self.community} ({self.status})"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation to a person already in the network, or to an email address."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        REVOKED = "revoked", "Revoked"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(email=""), name="invitation_has_invitee"
            )
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.community} for {self.person or self.email} ({self.status})"


class Conversation(models.Model):
    """A thread with a title (a topic) in a community.

    ``last_seq`` is the counter row for the conversation's event sequence: every change
    (message, edit, deletion, reaction, pin) takes the next number while the row is locked, so
    the sequence is gap-free and clients can catch up from any point."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="conversations")
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_message_seq = models.PositiveBigIntegerField(default=0)
    last_activity_at = models.DateTimeField(auto_now_add=True, db_index=True)
    message_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_activity_at"]
        indexes = [models.Index(fields=["community", "-last_activity_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("groups:conversation", kwargs={"slug": self.community.slug, "pk": self.pk})


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.PositiveBigIntegerField(help_text="The conversation sequence it was posted at.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="messages"
    )
    client_id = models.CharField(max_length=64)
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    body = models.TextField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    pinned_at = models.DateTimeField(null=True, blank=True)
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="one_message_per_seq"),
            # A retried send with the same client id finds the stored message.
            models.UniqueConstraint(
                fields=["conversation", "author", "client_id"], name="one_message_per_client_id"
            ),
        ]

    def __str__(self) -> str:
        return f"Message {self.seq} in {self.conversation}"

    def get_absolute_url(self) -> str:
        """The conversation page that shows this message, however old, scrolled to it."""
        return f"{self.conversation.get_absolute_url()}?at={self.seq}#message-{self.seq}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class MessageEdit(models.Model):
    """The text a message had before an edit: its history."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="edits")
    previous_body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["edited_at", "pk"]

    def __str__(self) -> str:
        return f"Edit of {self.message}"


class Reaction(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "person", "emoji"], name="one_reaction_each")
        ]

    def __str__(self) -> str:
        return f"{self.emoji} by {self.person} on {self.message}"


class ConversationEvent(models.Model):
    """The durable, ordered log of a conversation: what catch-up replays after ``seq``."""

    class Kind(models.TextChoices):
        MESSAGE = "message"
        EDIT = "edit"
        DELETE = "delete"
        REACTION = "reaction"
        PIN = "pin"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="one_event_per_seq")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.seq} in {self.conversation_id}"


class ReadPosition(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_positions"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="read_positions"
    )
    last_read_seq = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "conversation"], name="one_read_position")
        ]

    def __str__(self) -> str:
        return f"{self.person} read {self.conversation} to {self.last_read_seq}"


class Notification(models.Model):
    """A mention or a reply, delivered live and listed until read."""

    class Kind(models.TextChoices):
        MENTION = "mention"
        REPLY = "reply"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.person}"


class Presence(models.Model):
    """One open socket of a person. Someone is online while a row of theirs has been seen
    within ONLINE_WINDOW (groups/selectors.py); rows of a crashed server process are swept."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="presences"
    )
    channel_name = models.CharField(max_length=200, unique=True)
    connected_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.person} on {self.channel_name}"
