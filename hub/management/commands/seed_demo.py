"""``manage.py seed_demo``: a fictional demo network of councils, people and communities, for
trying the hub and for benchmarks.

It writes with bulk_create instead of the profiles and groups actions: those write one row at a
time and email every invitation, so the large network would take minutes and fill an outbox.
The network is planned in memory first, from a seeded generator, so a size always describes the
same network. The writer then adds only what is missing, matched by slug or email, and leaves
existing rows alone: a second run duplicates nothing and does not undo what someone did while
trying the demo.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils.text import slugify

from groups.models import Community, Invitation, JoinRequest, Membership, Role, Visibility
from hub import demo_data
from profiles.actions import MAX_TOPICS, domain_normalise, topics_from_names
from profiles.models import Organisation, OrganisationDomain, Person, Region, Topic

T = TypeVar("T")


@dataclass(frozen=True)
class Size:
    organisations: int
    people: int  # staff and guests; the demo login comes on top
    guests: int
    communities: int


SIZES = {
    "small": Size(organisations=25, people=300, guests=6, communities=30),
    "large": Size(organisations=250, people=3000, guests=60, communities=300),
}
SEED = "knowledge-hub-demo-2026"

# Open communities grow largest and hidden ones stay small, as they do in a real network.
MEMBERS_BY_VISIBILITY = {
    Visibility.OPEN: (20, 50),
    Visibility.RESTRICTED: (12, 30),
    Visibility.PRIVATE: (8, 20),
    Visibility.HIDDEN: (5, 12),
}
MATCHING_SHARE = 0.8  # the rest join out of curiosity, which keeps communities from being silos
CROSSOVER_CHANCE = 0.3  # of one expertise topic coming from outside the person's service area
MIN_REGIONAL_POOL = 8  # below this a regional chapter recruits nationally


@dataclass(frozen=True)
class OrganisationPlan:
    name: str
    slug: str
    kind: str
    region: str
    domain: str


@dataclass(frozen=True)
class PersonPlan:
    email: str
    display_name: str
    job_title: str
    bio: str
    organisation: OrganisationPlan | None
    topics: tuple[str, ...]

    @property
    def region(self) -> str:
        return self.organisation.region if self.organisation else ""


@dataclass(frozen=True)
class InvitationPlan:
    invited_by: str
    person: str = ""  # the email of someone in the network...
    email: str = ""  # ...or an address that has not joined yet


@dataclass
class CommunityPlan:
    name: str
    slug: str
    description: str
    visibility: str
    topics: tuple[str, ...]
    region: str = ""
    roles: dict[str, str] = field(default_factory=dict)  # email -> role
    join_requests: dict[str, str] = field(default_factory=dict)  # email -> message
    invitations: list[InvitationPlan] = field(default_factory=list)

    @property
    def owners(self) -> list[str]:
        return [email for email, role in self.roles.items() if role == Role.OWNER]

    def is_involved(self, email: str) -> bool:
        """Already a member, asking to join or invited: nobody is asked twice."""
        invited = any(invitation.person == email for invitation in self.invitations)
        return email in self.roles or email in self.join_requests or invited


@dataclass(frozen=True)
class NetworkPlan:
    organisations: list[OrganisationPlan]
    people: list[PersonPlan]
    communities: list[CommunityPlan]
    demo: PersonPlan


# Planning: pure functions of the generator, never of the database.


def build_plan(size: str) -> NetworkPlan:
    """The whole demo network of a size, the same on every call."""
    rng = random.Random(f"{SEED}-{size}")
    dimensions = SIZES[size]
    organisations = _plan_organisations(rng, dimensions.organisations)
    demo = _plan_demo_person(organisations[0])
    taken = {demo.email}
    people = _plan_people(rng, organisations, dimensions, taken)
    communities = _plan_communities(rng, people, dimensions.communities, taken)
    _give_demo_person_roles(communities, demo)
    return NetworkPlan(organisations, [demo, *people], communities, demo)


def _weighted(rng: random.Random, weights: dict[T, int]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _place_names(rng: random.Random, count: int) -> list[str]:
    """Single places first, then shuffled pairs; Northmoor stays the demo login's alone."""
    pairs = [f"{a} and {b}" for a, b in itertools.combinations(demo_data.PLACES[1:], 2)]
    rng.shuffle(pairs)
    names = (demo_data.PLACES + pairs)[:count]
    if len(names) < count:
        raise ValueError(f"The demo has places for {len(names)} organisations, not {count}.")
    return names


def _plan_organisations(rng: random.Random, count: int) -> list[OrganisationPlan]:
    first_place, first_kind, first_region = demo_data.FIRST_PLACE
    organisations = [_organisation(first_place, first_kind, first_region)]
    for place in _place_names(rng, count)[1:]:
        region = _weighted(rng, demo_data.REGION_WEIGHTS)
        organisations.append(_organisation(place, _kind_in(rng, region), region))
    return organisations


def _kind_in(rng: random.Random, region: str) -> str:
    if region == Region.LONDON:
        return Organisation.Kind.LONDON_BOROUGH
    if region in (Region.WALES, Region.SCOTLAND, Region.NORTHERN_IRELAND):
        return Organisation.Kind.UNITARY
    return _weighted(rng, demo_data.ENGLISH_KIND_WEIGHTS)


def _organisation(place: str, kind: str, region: str) -> OrganisationPlan:
    name = demo_data.ORGANISATION_NAME_FORMATS[Organisation.Kind(kind)].format(place=place)
    domain = f"{slugify(place)}.{demo_data.DOMAIN_SUFFIX}"
    return OrganisationPlan(name, slugify(name)[:80], kind, region, domain)


def _plan_demo_person(organisation: OrganisationPlan) -> PersonPlan:
    return PersonPlan(
        email=f"{demo_data.DEMO_LOCAL_PART}@{organisation.domain}",
        display_name=demo_data.DEMO_DISPLAY_NAME,
        job_title=demo_data.DEMO_JOB_TITLE,
        bio=demo_data.DEMO_BIO,
        organisation=organisation,
        topics=("digital inclusion", "service design", "web accessibility"),
    )


def _plan_people(
    rng: random.Random, organisations: list[OrganisationPlan], dimensions: Size, taken: set[str]
) -> list[PersonPlan]:
    staff = [
        _plan_staff(rng, organisation, taken)
        for organisation in _employers(rng, organisations, dimensions.people - dimensions.guests)
    ]
    guests = [_plan_guest(rng, taken) for _ in range(dimensions.guests)]
    return staff + guests


def _employers(
    rng: random.Random, organisations: list[OrganisationPlan], count: int
) -> list[OrganisationPlan]:
    """Every organisation has somebody; bigger kinds of council take more of the rest."""
    weights = [
        demo_data.STAFF_WEIGHTS[Organisation.Kind(organisation.kind)]
        for organisation in organisations
    ]
    rest = rng.choices(organisations, weights=weights, k=count - len(organisations))
    return organisations + rest


def _plan_staff(rng: random.Random, organisation: OrganisationPlan, taken: set[str]) -> PersonPlan:
    area = rng.choice(_areas_of(organisation))
    job_title = rng.choice(area.job_titles)
    topics = _expertise(rng, area)
    bio = rng.choice(demo_data.BIO_TEMPLATES).format(
        job_title=job_title, organisation=organisation.name, topic_a=topics[0], topic_b=topics[1]
    )
    return _person(rng, organisation.domain, job_title, bio, organisation, topics, taken)


def _areas_of(organisation: OrganisationPlan) -> list[demo_data.ServiceArea]:
    names = demo_data.AREAS_BY_KIND.get(Organisation.Kind(organisation.kind))
    return [a for a in demo_data.SERVICE_AREAS if names is None or a.name in names]


def _plan_guest(rng: random.Random, taken: set[str]) -> PersonPlan:
    area = rng.choice(demo_data.SERVICE_AREAS)
    job_title = rng.choice(demo_data.GUEST_JOB_TITLES)
    topics = _expertise(rng, area)
    bio = rng.choice(demo_data.GUEST_BIO_TEMPLATES).format(
        job_title=job_title, topic_a=topics[0], topic_b=topics[1]
    )
    domain = rng.choice(demo_data.GUEST_DOMAINS)
    return _person(rng, domain, job_title, bio, None, topics, taken)


def _person(
    rng: random.Random,
    domain: str,
    job_title: str,
    bio: str,
    organisation: OrganisationPlan | None,
    topics: tuple[str, ...],
    taken: set[str],
) -> PersonPlan:
    first, last = rng.choice(demo_data.FIRST_NAMES), rng.choice(demo_data.LAST_NAMES)
    email = _unique_email(first, last, domain, taken)
    return PersonPlan(email, f"{first} {last}", job_title, bio, organisation, topics)


def _expertise(rng: random.Random, area: demo_data.ServiceArea) -> tuple[str, ...]:
    topics = rng.sample(area.topics, rng.randint(2, 4))
    if rng.random() < CROSSOVER_CHANCE:
        topics[-1] = rng.choice([t for t in demo_data.TOPICS if t not in topics])
    return tuple(topics)


def _unique_email(first: str, last: str, domain: str, taken: set[str]) -> str:
    """first.last@domain, numbered from 2 when a colleague has it already, as councils do."""
    local = ".".join(slugify(part).replace("-", "") for part in (first, last))
    email, n = f"{local}@{domain}", 2
    while email in taken:
        email, n = f"{local}{n}@{domain}", n + 1
    taken.add(email)
    return email


def _plan_communities(
    rng: random.Random, people: list[PersonPlan], count: int, taken: set[str]
) -> list[CommunityPlan]:
    experts = _experts_by_topic(people)
    communities = [_community(theme, region) for theme, region in _themes(rng, count)]
    for community in communities:
        _plan_roles(rng, community, people, experts)
        _plan_join_requests(rng, community, experts)
        _plan_invitations(rng, community, experts, taken)
    return communities


def _experts_by_topic(people: list[PersonPlan]) -> dict[str, list[PersonPlan]]:
    experts: dict[str, list[PersonPlan]] = defaultdict(list)
    for person in people:
        for topic in person.topics:
            experts[topic].append(person)
    return experts


def _themes(rng: random.Random, count: int) -> list[tuple[demo_data.CommunityTheme, str]]:
    """Every theme once nationally, then regional chapters in shuffled order, so the large
    network spreads its chapters over all themes instead of exhausting one first."""
    national = [(theme, "") for theme in demo_data.COMMUNITY_THEMES]
    chapters = [(theme, region) for theme in demo_data.COMMUNITY_THEMES for region in Region]
    rng.shuffle(chapters)
    chosen = (national + chapters)[:count]
    if len(chosen) < count:
        raise ValueError(f"The demo has themes for {len(chosen)} communities, not {count}.")
    return chosen


def _community(theme: demo_data.CommunityTheme, region: str) -> CommunityPlan:
    name, description = theme.name, theme.description
    if region:
        label = Region(region).label
        name = demo_data.REGIONAL_CHAPTER_FORMAT.format(theme=name, region=label)
        description += demo_data.REGIONAL_DESCRIPTION.format(region=label)
    return CommunityPlan(
        name, slugify(name)[:80], description, theme.visibility, theme.topics, region
    )


def _matching_people(
    community: CommunityPlan, experts: dict[str, list[PersonPlan]]
) -> list[PersonPlan]:
    """People with expertise in the community's topics; for a regional chapter, those of its
    region, unless there are too few of them to run it."""
    pool = list({p.email: p for topic in community.topics for p in experts[topic]}.values())
    local = [p for p in pool if p.region == community.region]
    return local if community.region and len(local) >= MIN_REGIONAL_POOL else pool


def _plan_roles(
    rng: random.Random,
    community: CommunityPlan,
    people: list[PersonPlan],
    experts: dict[str, list[PersonPlan]],
) -> None:
    size = rng.randint(*MEMBERS_BY_VISIBILITY[Visibility(community.visibility)])
    pool = _matching_people(community, experts)
    # Guests may take part but never run a community.
    staff = [p for p in pool if p.organisation] or [p for p in people if p.organisation]
    owners = 2 if rng.random() < 0.2 else 1
    leaders = rng.sample(staff, min(len(staff), owners + rng.randint(1, 3)))
    for i, person in enumerate(leaders):
        community.roles[person.email] = Role.OWNER if i < owners else Role.FACILITATOR
    _add_members(rng, community, pool, round(size * MATCHING_SHARE) - len(community.roles))
    _add_members(rng, community, people, size - len(community.roles))


def _add_members(
    rng: random.Random, community: CommunityPlan, candidates: list[PersonPlan], count: int
) -> None:
    free = [p for p in candidates if p.email not in community.roles]
    for person in rng.sample(free, max(0, min(count, len(free)))):
        community.roles[person.email] = Role.MEMBER


def _outsiders(community: CommunityPlan, experts: dict[str, list[PersonPlan]]) -> list[PersonPlan]:
    return [p for p in _matching_people(community, experts) if not community.is_involved(p.email)]


def _plan_join_requests(
    rng: random.Random, community: CommunityPlan, experts: dict[str, list[PersonPlan]]
) -> None:
    # Open communities are joined at once and hidden ones cannot be asked to join.
    if community.visibility not in (Visibility.RESTRICTED, Visibility.PRIVATE):
        return
    outsiders = _outsiders(community, experts)
    for person in rng.sample(outsiders, min(rng.randint(1, 4), len(outsiders))):
        message = rng.choice(demo_data.JOIN_REQUEST_MESSAGES)
        organisation = person.organisation.name if person.organisation else "my organisation"
        community.join_requests[person.email] = message.format(
            organisation=organisation, job_title=person.job_title.lower()
        )


def _plan_invitations(
    rng: random.Random,
    community: CommunityPlan,
    experts: dict[str, list[PersonPlan]],
    taken: set[str],
) -> None:
    if community.visibility not in (Visibility.PRIVATE, Visibility.HIDDEN):
        return
    inviter = community.owners[0]
    outsiders = _outsiders(community, experts)
    for person in rng.sample(outsiders, min(rng.randint(1, 3), len(outsiders))):
        community.invitations.append(InvitationPlan(invited_by=inviter, person=person.email))
    if community.visibility == Visibility.HIDDEN:
        # A colleague who has not joined the network yet: they sign up to accept.
        first, last = rng.choice(demo_data.FIRST_NAMES), rng.choice(demo_data.LAST_NAMES)
        address = _unique_email(first, last, inviter.rsplit("@", 1)[1], taken)
        community.invitations.append(InvitationPlan(invited_by=inviter, email=address))


def _give_demo_person_roles(communities: list[CommunityPlan], demo: PersonPlan) -> None:
    """One community for each relationship, so the demo login reaches every screen."""
    by_visibility: dict[str, list[CommunityPlan]] = defaultdict(list)
    for community in communities:
        by_visibility[community.visibility].append(community)
    open_, restricted, private, hidden = (by_visibility[v] for v in Visibility)
    open_[0].roles[demo.email] = Role.OWNER
    open_[1].roles[demo.email] = Role.MEMBER
    restricted[0].roles[demo.email] = Role.FACILITATOR
    private[0].roles[demo.email] = Role.MEMBER
    hidden[0].roles[demo.email] = Role.OWNER
    restricted[1].join_requests[demo.email] = demo_data.DEMO_JOIN_REQUEST_MESSAGE
    private[1].invitations.append(
        InvitationPlan(invited_by=private[1].owners[0], person=demo.email)
    )


# Writing: only what the database lacks, in bulk.


@dataclass
class Added:
    organisations: int = 0
    people: int = 0
    communities: int = 0


def seed(plan: NetworkPlan, password_hash: str) -> Added:
    """Add the parts of the plan the database lacks. Call inside a transaction, so a failed
    run leaves nothing half-written for the next run to skip."""
    added = Added()
    topics = _write_topics()
    organisations, added.organisations = _write_organisations(plan.organisations)
    people, added.people = _write_people(plan.people, organisations, topics, password_hash)
    added.communities = _write_communities(plan.communities, people, topics)
    return added


def _write_topics() -> dict[str, Topic]:
    """The vocabulary, created through the action so it is normalised like people's own."""
    topics: dict[str, Topic] = {}
    for start in range(0, len(demo_data.TOPICS), MAX_TOPICS):
        names = demo_data.TOPICS[start : start + MAX_TOPICS]
        topics.update(zip(names, topics_from_names(names), strict=True))
    return topics


def _write_organisations(
    plans: list[OrganisationPlan],
) -> tuple[dict[str, Organisation], int]:
    slugs = [plan.slug for plan in plans]
    existing = _existing(Organisation, "slug", slugs)
    new = [plan for plan in plans if plan.slug not in existing]
    Organisation.objects.bulk_create(
        Organisation(name=p.name, slug=p.slug, kind=p.kind, region=p.region) for p in new
    )
    organisations = Organisation.objects.in_bulk(slugs, field_name="slug")
    OrganisationDomain.objects.bulk_create(
        (
            OrganisationDomain(
                organisation=organisations[p.slug], domain=domain_normalise(p.domain)
            )
            for p in new
        ),
        ignore_conflicts=True,  # a domain someone already gave to another organisation stays theirs
    )
    return organisations, len(new)


def _write_people(
    plans: list[PersonPlan],
    organisations: dict[str, Organisation],
    topics: dict[str, Topic],
    password_hash: str,
) -> tuple[dict[str, int], int]:
    emails = [plan.email for plan in plans]
    existing = _existing(Person, "email", emails)
    new = [plan for plan in plans if plan.email not in existing]
    Person.objects.bulk_create(_person_row(p, organisations, password_hash) for p in new)
    ids = {
        email: person.pk
        for email, person in Person.objects.in_bulk(emails, field_name="email").items()
    }
    Person.expertise.through.objects.bulk_create(
        Person.expertise.through(person_id=ids[p.email], topic_id=topics[topic].pk)
        for p in new
        for topic in p.topics
    )
    # Verified and primary, so demo people can sign in without a confirmation email.
    EmailAddress.objects.bulk_create(
        (
            EmailAddress(user_id=ids[p.email], email=p.email, verified=True, primary=True)
            for p in new
        ),
        ignore_conflicts=True,
    )
    return ids, len(new)


def _person_row(
    plan: PersonPlan, organisations: dict[str, Organisation], password_hash: str
) -> Person:
    return Person(
        email=plan.email,
        display_name=plan.display_name,
        job_title=plan.job_title,
        bio=plan.bio,
        organisation=organisations[plan.organisation.slug] if plan.organisation else None,
        password=password_hash,
    )


def _write_communities(
    plans: list[CommunityPlan], people: dict[str, int], topics: dict[str, Topic]
) -> int:
    slugs = [plan.slug for plan in plans]
    existing = _existing(Community, "slug", slugs)
    new = [plan for plan in plans if plan.slug not in existing]
    Community.objects.bulk_create(_community_row(plan, people) for plan in new)
    communities = Community.objects.in_bulk([plan.slug for plan in new], field_name="slug")
    # A community that existed before keeps its members as they are now, not as planned.
    pairs = [(communities[plan.slug].pk, plan) for plan in new]
    Community.topics.through.objects.bulk_create(
        Community.topics.through(community_id=pk, topic_id=topics[topic].pk)
        for pk, plan in pairs
        for topic in plan.topics
    )
    Membership.objects.bulk_create(
        Membership(community_id=pk, person_id=people[email], role=role)
        for pk, plan in pairs
        for email, role in plan.roles.items()
    )
    JoinRequest.objects.bulk_create(
        JoinRequest(community_id=pk, person_id=people[email], message=message)
        for pk, plan in pairs
        for email, message in plan.join_requests.items()
    )
    Invitation.objects.bulk_create(_invitation_rows(pairs, people))
    return len(new)


def _community_row(plan: CommunityPlan, people: dict[str, int]) -> Community:
    return Community(
        name=plan.name,
        slug=plan.slug,
        description=plan.description,
        visibility=plan.visibility,
        created_by_id=people[plan.owners[0]],
    )


def _invitation_rows(
    pairs: list[tuple[int, CommunityPlan]], people: dict[str, int]
) -> Iterable[Invitation]:
    for pk, plan in pairs:
        for invitation in plan.invitations:
            yield Invitation(
                community_id=pk,
                person_id=people[invitation.person] if invitation.person else None,
                email=invitation.email,
                invited_by_id=people[invitation.invited_by],
            )


def _existing(model: type[Any], field_name: str, values: list[str]) -> set[str]:
    # in_bulk splits long lists, which SQLite's limit on query parameters needs.
    return set(model.objects.in_bulk(values, field_name=field_name))


def network_counts() -> dict[str, int]:
    """What the whole network holds now, demo or not."""
    return {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "communities": Community.objects.count(),
        "memberships": Membership.objects.count(),
        "pending join requests": JoinRequest.objects.filter(
            status=JoinRequest.Status.PENDING
        ).count(),
        "pending invitations": Invitation.objects.filter(status=Invitation.Status.PENDING).count(),
    }


class Command(BaseCommand):
    help = (
        "Add a fictional demo network of councils, people and communities. Running it again "
        "adds only what is missing. Every demo person's password is "
        f"{demo_data.PASSWORD!r}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="small",
            help="small: 25 organisations, 300 people, 30 communities; large: ten times that.",
        )

    def handle(self, *args: Any, size: str, **options: Any) -> None:
        plan = build_plan(size)
        # One hash for everybody: hashing thousands of passwords would take most of the run.
        password_hash = make_password(demo_data.PASSWORD)
        with transaction.atomic():
            added = seed(plan, password_hash)
        self._report(size, plan, added)

    def _report(self, size: str, plan: NetworkPlan, added: Added) -> None:
        counts = ", ".join(f"{n:,} {what}" for what, n in network_counts().items())
        example = plan.people[1]
        self.stdout.write(
            f"Seeded the {size} demo network: added {added.organisations:,} organisations, "
            f"{added.people:,} people and {added.communities:,} communities.\n"
            f"The network now has {counts}.\n"
            f"Sign in with the password {demo_data.PASSWORD} as, for example:\n"
            f"  {plan.demo.email}  ({plan.demo.display_name}: owner, facilitator and member "
            "of communities of every visibility)\n"
            f"  {example.email}  ({example.display_name}, {example.job_title})"
        )
