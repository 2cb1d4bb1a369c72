"""Every write about communities and membership. Views, commands and (later) consumers call
these, so each path enforces the same rules. ``check_*`` functions only decide; the others
write atomically."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from groups.models import (
    MANAGING_ROLES,
    Community,
    Invitation,
    JoinRequest,
    Membership,
    Role,
    Visibility,
)
from groups.selectors import communities_listed, membership_of
from hub.errors import ActionError, Conflict, NotAllowed, NotFound
from profiles.actions import topics_from_names
from profiles.models import Person
from realtime.events import community_group, envelope
from realtime.publish import publish_on_commit


def _access_changed(community: Community) -> None:
    """Tell live sockets in this community to re-check what their person may read, so a
    removed member or a community turned hidden stops receiving at once."""
    publish_on_commit(
        community_group(community.pk), envelope({"type": "access.check", "community": community.pk})
    )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "community"
    slug, n = base, 2
    while Community.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ActionError("A community needs a name.")
    if len(name) > 120:
        raise ActionError("Keep the name to 120 characters.")
    return name


def _check_visibility(visibility: str) -> None:
    if visibility not in Visibility.values:
        raise ActionError(
            f"“{visibility}” is not a visibility: choose open, restricted, private or hidden."
        )


def check_manages(*, actor: Person, community: Community) -> Membership:
    """The actor's membership, if they are an owner or facilitator; NotAllowed otherwise."""
    membership = membership_of(user=actor, community=community)
    if membership is None or membership.role not in MANAGING_ROLES:
        raise NotAllowed("Only the community's owners and facilitators can do that.")
    return membership


def check_owns(*, actor: Person, community: Community) -> Membership:
    membership = membership_of(user=actor, community=community)
    if membership is None or membership.role != Role.OWNER:
        raise NotAllowed("Only the community's owners can do that.")
    return membership


def check_listed(*, person: Person, community: Community) -> None:
    if not communities_listed(user=person).filter(pk=community.pk).exists():
        raise NotFound("There is no such community.")


@transaction.atomic
def community_create(
    *,
    creator: Person,
    name: str,
    description: str = "",
    visibility: str = Visibility.OPEN,
    topics: Iterable[str] = (),
) -> Community:
    _check_visibility(visibility)
    community = Community.objects.create(
        name=_clean_name(name),
        slug=_unique_slug(name),
        description=description.strip(),
        visibility=visibility,
        created_by=creator,
    )
    community.topics.set(topics_from_names(topics))
    Membership.objects.create(community=community, person=creator, role=Role.OWNER)
    return community


@transaction.atomic
def community_update(
    *,
    actor: Person,
    community: Community,
    name: str,
    description: str,
    visibility: str,
    topics: Iterable[str],
) -> Community:
    check_owns(actor=actor, community=community)
    _check_visibility(visibility)
    community.name = _clean_name(name)
    community.description = description.strip()
    visibility_changed = community.visibility != visibility
    community.visibility = visibility
    community.save(update_fields=["name", "description", "visibility"])
    community.topics.set(topics_from_names(topics))
    if visibility_changed:
        _access_changed(community)
    return community


@transaction.atomic
def community_join(*, person: Person, community: Community) -> Membership:
    """Join an open community at once. Other visibilities go through requests or invitations."""
    check_listed(person=person, community=community)
    if membership_of(user=person, community=community):
        raise Conflict("You are already a member.")
    if community.visibility != Visibility.OPEN:
        raise NotAllowed("This community is not open: ask to join instead.")
    try:
        with transaction.atomic():
            return Membership.objects.create(community=community, person=person, role=Role.MEMBER)
    except IntegrityError:
        # The same request twice at once: the first one joined.
        raise Conflict("You are already a member.") from None


@transaction.atomic
def join_request_create(*, person: Person, community: Community, message: str = "") -> JoinRequest:
    check_listed(person=person, community=community)
    if community.visibility == Visibility.HIDDEN:
        raise NotFound("There is no such community.")
    if community.visibility == Visibility.OPEN:
        raise ActionError("This community is open: join it directly.")
    if membership_of(user=person, community=community):
        raise Conflict("You are already a member.")
    if JoinRequest.objects.filter(
        community=community, person=person, status=JoinRequest.Status.PENDING
    ).exists():
        raise Conflict("You have already asked to join; a facilitator will decide.")
    if len(message) > 1000:
        raise ActionError("Keep your message to 1,000 characters.")
    try:
        with transaction.atomic():
            return JoinRequest.objects.create(
                community=community, person=person, message=message.strip()
            )
    except IntegrityError:
        raise Conflict("You have already asked to join; a facilitator will decide.") from None


@transaction.atomic
def join_request_withdraw(*, person: Person, join_request: JoinRequest) -> JoinRequest:
    if join_request.person_id != person.pk or join_request.status != JoinRequest.Status.PENDING:
        raise NotFound("There is no such request.")
    join_request.status = JoinRequest.Status.WITHDRAWN
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_at"])
    return join_request


@transaction.atomic
def join_request_decide(*, actor: Person, join_request: JoinRequest, approve: bool) -> JoinRequest:
    check_manages(actor=actor, community=join_request.community)
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise Conflict("That request has already been decided.")
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        Membership.objects.get_or_create(
            community=join_request.community,
            person=join_request.person,
            defaults={"role": Role.MEMBER},
        )
    return join_request


def _invitation_email(invitation: Invitation, site_url: str) -> None:
    link = site_url.rstrip("/") + reverse("groups:invitation", kwargs={"token": invitation.token})
    inviter = invitation.invited_by.display_name if invitation.invited_by else "A facilitator"
    send_mail(
        subject=f"[Knowledge Hub] You are invited to {invitation.community.name}",
        message=(
            f"{inviter} has invited you to join the community “{invitation.community.name}” "
            f"on Knowledge Hub.\n\nSign in (or create an account with this email address) and "
            f"answer the invitation here:\n{link}\n"
        ),
        from_email=None,
        recipient_list=[invitation.person.email if invitation.person else invitation.email],
    )


@transaction.atomic
def invitation_create(
    *,
    actor: Person,
    community: Community,
    person: Person | None = None,
    email: str = "",
    site_url: str = "http://127.0.0.1:8000",
) -> Invitation:
    """Invite a member of the network, or an email address (who signs up to accept)."""
    check_manages(actor=actor, community=community)
    email = email.strip().lower()
    if person is None and email:
        person = Person.objects.filter(email__iexact=email, is_active=True).first()
    if person is None and not email:
        raise ActionError("Choose a person or give an email address to invite.")
    if person is not None:
        email = ""
        if membership_of(user=person, community=community):
            raise Conflict(f"{person.display_name} is already a member.")
    invitation = Invitation.objects.filter(
        community=community, status=Invitation.Status.PENDING, person=person, email=email
    ).first()
    if invitation is None:
        invitation = Invitation.objects.create(
            community=community, person=person, email=email, invited_by=actor
        )
    # Inviting again re-sends the email. A mail server that is down must not undo or fail the
    # invitation: the error is logged and the invitee still sees it on their home page.
    transaction.on_commit(lambda: _invitation_email(invitation, site_url), robust=True)
    return invitation


@transaction.atomic
def invitation_respond(*, person: Person, invitation: Invitation, accept: bool) -> Invitation:
    """Precondition: ``invitation`` came from ``groups.selectors.invitation_for(user=person)``,
    which proves it is addressed to this person."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise Conflict("That invitation has already been answered.")
    invitation.status = Invitation.Status.ACCEPTED if accept else Invitation.Status.DECLINED
    invitation.person = person
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "person", "responded_at"])
    if accept:
        Membership.objects.get_or_create(
            community=invitation.community, person=person, defaults={"role": Role.MEMBER}
        )
        JoinRequest.objects.filter(
            community=invitation.community, person=person, status=JoinRequest.Status.PENDING
        ).update(status=JoinRequest.Status.APPROVED, decided_at=timezone.now())
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Person, invitation: Invitation) -> Invitation:
    check_manages(actor=actor, community=invitation.community)
    if invitation.status != Invitation.Status.PENDING:
        raise Conflict("That invitation has already been answered.")
    invitation.status = Invitation.Status.REVOKED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    return invitation


def _other_owners_exist(membership: Membership) -> bool:
    # Lock the owner rows so two owners leaving at once cannot both succeed.
    owners = list(
        Membership.objects.select_for_update()
        .filter(community_id=membership.community_id, role=Role.OWNER)
        .values_list("pk", flat=True)
    )
    return any(pk != membership.pk for pk in owners)


@transaction.atomic
def community_leave(*, person: Person, community: Community) -> None:
    membership = membership_of(user=person, community=community)
    if membership is None:
        raise Conflict("You are not a member.")
    if membership.role == Role.OWNER and not _other_owners_exist(membership):
        raise Conflict("You are the last owner: make someone else an owner before you leave.")
    membership.delete()
    _access_changed(membership.community)


def _lock_memberships(*memberships: Membership) -> None:
    """Lock the rows a role decision reads, before reading them, so two owners acting at once
    decide one after the other."""
    Membership.objects.select_for_update().filter(community_id=memberships[0].community_id).filter(
        pk__in=[m.pk for m in memberships]
    ).exists()


@transaction.atomic
def member_remove(*, actor: Person, membership: Membership) -> None:
    actor_own = membership_of(user=actor, community=membership.community)
    _lock_memberships(membership, *([actor_own] if actor_own else []))
    membership.refresh_from_db()
    actor_membership = check_manages(actor=actor, community=membership.community)
    if membership.person_id == actor.pk:
        raise ActionError("Use “Leave community” to leave it yourself.")
    if membership.role in MANAGING_ROLES and actor_membership.role != Role.OWNER:
        raise NotAllowed("Only an owner can remove an owner or a facilitator.")
    if membership.role == Role.OWNER and not _other_owners_exist(membership):
        raise Conflict("A community must keep at least one owner.")
    membership.delete()
    _access_changed(membership.community)


@transaction.atomic
def member_change_role(*, actor: Person, membership: Membership, role: str) -> Membership:
    actor_own = membership_of(user=actor, community=membership.community)
    _lock_memberships(membership, *([actor_own] if actor_own else []))
    membership.refresh_from_db()
    check_owns(actor=actor, community=membership.community)
    if role not in Role.values:
        raise ActionError(f"“{role}” is not a role: choose owner, facilitator or member.")
    if membership.role == Role.OWNER and role != Role.OWNER and not _other_owners_exist(membership):
        raise Conflict("A community must keep at least one owner.")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership
