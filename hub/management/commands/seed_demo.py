"""``manage.py seed_demo``: a fictional demo network of councils, people, communities and
practice posts with their peer signals, for trying the hub and for benchmarks.

It writes with bulk_create instead of the profiles, groups and practice actions: those write one
row at a time, email every invitation and publish every signal, so the large network would take
minutes and fill an outbox. The network is planned in memory first, from seeded generators, so a
size always describes the same network. The writer then adds only what is missing, matched by
slug, email or (for practice posts) title and creating author, and leaves existing rows alone: a
second run duplicates nothing and does not undo what someone did while trying the demo.

Practice posts keep the invariants the actions would: authors of a community's post are its
members, only people who can read a post leave signals on it, nobody vouches for their own post,
every published post has a first revision whose content is its snapshot, and peer promotion is
exactly what practice.rules says.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify

from groups import actions as group_actions
from groups.models import (
    MANAGING_ROLES,
    Community,
    Conversation,
    ConversationEvent,
    Invitation,
    JoinRequest,
    Membership,
    Message,
    Role,
    Visibility,
)
from hub import demo_data
from practice import rules
from practice.actions import CONTENT_FIELDS
from practice.models import (
    Comment,
    Endorsement,
    OutcomeMeasure,
    PracticePost,
    RepeatRecord,
    Revision,
    ServiceArea,
)
from profiles.actions import MAX_TOPICS, domain_normalise, topics_from_names
from profiles.models import Organisation, OrganisationDomain, Person, Region, Topic

T = TypeVar("T")


@dataclass(frozen=True)
class Size:
    organisations: int
    people: int  # staff and guests; the demo login comes on top
    guests: int
    communities: int
    practice_posts: int


SIZES = {
    "small": Size(organisations=25, people=300, guests=6, communities=30, practice_posts=40),
    "large": Size(organisations=250, people=3000, guests=60, communities=300, practice_posts=400),
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
    place: str


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
    practice: list[PracticePlan]


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
    everyone = [demo, *people]
    practice = _plan_practice(size, organisations, everyone, communities, demo)
    return NetworkPlan(organisations, everyone, communities, demo, practice)


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
    return OrganisationPlan(name, slugify(name)[:80], kind, region, domain, place)


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


# Practice: what the network's councils wrote up for each other, and how their peers answered.
# A second generator, so the practice plan never shifts the people and communities above.

DRAFT_SHARE = 0.10
ARCHIVED_SHARE = 0.05
PEER_PROMOTED_SHARE = 0.10
FACILITATOR_PROMOTED_SHARE = 0.04
NEEDS_REVIEW_SHARE = 0.25  # of each kind of promoted post: past its review-by date
NETWORK_WIDE_SHARE = 0.6
CO_AUTHOR_CHANCE = 0.3
PARTNER_CHANCE = 0.08  # a second organisation that took part, without a co-author here
PUBLISHED_WITHIN_DAYS = 730
# Organisations outside the authors' that vouch for a post peers have not (yet) promoted:
# always fewer than practice.rules.PEER_ORGANISATIONS_NEEDED.
UNPROMOTED_VOUCHING = {0: 3, 1: 4, 2: 3}
VOUCHING_KINDS = {"endorse": 6, "repeat": 2, "both": 2}
REPEAT_STATUSES = {
    RepeatRecord.Status.PLANNING: 3,
    RepeatRecord.Status.TRYING: 3,
    RepeatRecord.Status.ADOPTED: 3,
    RepeatRecord.Status.STOPPED: 1,
}
REVISION_COUNTS = {1: 7, 2: 2, 3: 1}
DELETED_COMMENT_CHANCE = 0.07
READERS_PER_COMMENT = 8
Status, Promotion = PracticePost.Status, PracticePost.Promotion
TEXT_FIELDS = tuple(name for name in CONTENT_FIELDS if name != "title")


@dataclass(frozen=True)
class Slot:
    """What a planned post is to become."""

    status: str
    promotion: str = ""
    needs_review: bool = False


@dataclass(frozen=True)
class MeasurePlan:
    label: str
    before: Decimal
    after: Decimal
    unit: str


@dataclass(frozen=True)
class EndorsementPlan:
    person: str
    note: str
    hours_ago: int


@dataclass(frozen=True)
class RepeatPlan:
    organisation: str
    person: str
    status: str
    outcome: str
    hours_ago: int


@dataclass
class CommentPlan:
    author: str
    body: str
    hours_ago: int
    deleted: bool = False
    replies: list[CommentPlan] = field(default_factory=list)


@dataclass(frozen=True)
class RevisionPlan:
    """A published version; earlier ones show the title and summary the post had then."""

    editor: str
    hours_ago: int
    title: str
    summary: str


@dataclass
class PracticePlan:
    """A practice post. Times are hours before the run and review_by_days days after it, so a
    plan stays the same whenever it is built."""

    title: str
    service_area: str
    texts: dict[str, str]  # summary, challenge, approach, outcomes, cost, lessons
    topics: tuple[str, ...]
    authors: list[str]  # emails; the first created the post
    organisations: list[str]  # slugs
    contact: str
    community: str  # slug; empty for network-wide
    status: str
    created_hours_ago: int
    published_hours_ago: int | None = None
    archived_hours_ago: int | None = None
    review_by_days: int | None = None  # negative: in the past
    evidence_links: list[dict[str, str]] = field(default_factory=list)
    measures: list[MeasurePlan] = field(default_factory=list)
    revisions: list[RevisionPlan] = field(default_factory=list)
    endorsements: list[EndorsementPlan] = field(default_factory=list)
    repeats: list[RepeatPlan] = field(default_factory=list)
    comments: list[CommentPlan] = field(default_factory=list)
    promotion: str = ""
    promoted_hours_ago: int | None = None
    promoted_by: str = ""
    promotion_reason: str = ""

    @property
    def needs_review(self) -> bool:
        return bool(self.promotion) and self.review_by_days is not None and self.review_by_days < 0


@dataclass
class PracticeContext:
    rng: random.Random
    people: list[PersonPlan]
    by_email: dict[str, PersonPlan]
    experts: dict[str, list[PersonPlan]]
    staff: list[PersonPlan]
    colleagues: dict[str, list[PersonPlan]]  # organisation slug -> its staff
    staff_by_region: dict[str, list[PersonPlan]]
    organisations_by_region: dict[str, list[OrganisationPlan]]
    story_uses: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    told: set[tuple[str, str]] = field(default_factory=set)  # (story title, organisation slug)


def _plan_practice(
    size: str,
    organisations: list[OrganisationPlan],
    people: list[PersonPlan],
    communities: list[CommunityPlan],
    demo: PersonPlan,
) -> list[PracticePlan]:
    rng = random.Random(f"{SEED}-{size}-practice")
    staff = [p for p in people if p.organisation]
    ctx = PracticeContext(
        rng=rng,
        people=people,
        by_email={p.email: p for p in people},
        experts=_experts_by_topic(people),
        staff=staff,
        colleagues=_grouped(staff, lambda p: _employer(p).slug),
        staff_by_region=_grouped(staff, lambda p: p.region),
        organisations_by_region=_grouped(organisations, lambda o: o.region),
    )
    slots = _practice_slots(rng, SIZES[size].practice_posts)
    places = _practice_places(rng, slots, communities)
    # The demo login wrote a draft and a published post, and promoted a post by hand in the
    # open community it owns, so it sees every state from the author's and facilitator's side.
    demo_home = next(
        c
        for c in communities
        if c.visibility == Visibility.OPEN and c.roles.get(demo.email) == Role.OWNER
    )
    demo_tasks = {"draft", "published", "promoted"}
    plans = []
    for slot, community in zip(slots, places, strict=True):
        author, promoter = None, ""
        if community is None and slot.status == Status.DRAFT and "draft" in demo_tasks:
            author = demo
            demo_tasks.discard("draft")
        elif community is None and slot == Slot(Status.PUBLISHED) and "published" in demo_tasks:
            author = demo
            demo_tasks.discard("published")
        elif slot.promotion == Promotion.FACILITATOR and "promoted" in demo_tasks:
            community, promoter = demo_home, demo.email
            demo_tasks.discard("promoted")
        plans.append(_plan_post(ctx, slot, community, author, promoter))
    return plans


def _grouped(items: Iterable[T], key: Any) -> dict[str, list[T]]:
    groups: dict[str, list[T]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return groups


def _employer(person: PersonPlan) -> OrganisationPlan:
    if person.organisation is None:
        raise ValueError(f"{person.email} is a guest and works for no organisation.")
    return person.organisation


def _practice_slots(rng: random.Random, count: int) -> list[Slot]:
    slots = [Slot(Status.DRAFT)] * round(count * DRAFT_SHARE)
    slots += [Slot(Status.ARCHIVED)] * max(1, round(count * ARCHIVED_SHARE))
    for promotion, share in (
        (Promotion.PEERS, PEER_PROMOTED_SHARE),
        (Promotion.FACILITATOR, FACILITATOR_PROMOTED_SHARE),
    ):
        promoted = max(2, round(count * share))
        overdue = max(1, round(promoted * NEEDS_REVIEW_SHARE))
        slots += [Slot(Status.PUBLISHED, promotion, i < overdue) for i in range(promoted)]
    slots += [Slot(Status.PUBLISHED)] * (count - len(slots))
    rng.shuffle(slots)
    return slots


def _practice_places(
    rng: random.Random, slots: list[Slot], communities: list[CommunityPlan]
) -> list[CommunityPlan | None]:
    """The community of each post, or None for network-wide. Only a facilitator of a community
    can promote by hand, so those posts are all in one; a post for peers to promote goes only
    where enough organisations can read it."""
    places: list[CommunityPlan | None] = [None] * len(slots)
    wanted = round(len(slots) * (1 - NETWORK_WIDE_SHARE))
    by_hand = [i for i, slot in enumerate(slots) if slot.promotion == Promotion.FACILITATOR]
    others = [i for i, slot in enumerate(slots) if slot.promotion != Promotion.FACILITATOR]
    chosen = sorted(rng.sample(others, max(0, wanted - len(by_hand))))
    # One published post in a community of each visibility first, so every kind has practice.
    chosen.sort(key=lambda i: slots[i] != Slot(Status.PUBLISHED))
    firsts = [rng.choice([c for c in communities if c.visibility == v]) for v in Visibility]
    for n, i in enumerate(chosen + by_hand):
        if n < len(firsts):
            places[i] = firsts[n]
            continue
        candidates = communities
        if slots[i].promotion == Promotion.PEERS:
            candidates = [c for c in communities if _open_to_peers(c)]
        places[i] = rng.choice(candidates)
    return places


def _open_to_peers(community: CommunityPlan) -> bool:
    # Room for two organisations of authors, a partner and three organisations vouching.
    organisations = {email.rsplit("@", 1)[1] for email in community.roles}
    return community.visibility == Visibility.OPEN or len(organisations) >= 6


def _plan_post(
    ctx: PracticeContext,
    slot: Slot,
    community: CommunityPlan | None,
    author: PersonPlan | None,
    promoter: str,
) -> PracticePlan:
    rng = ctx.rng
    if community is None:
        writers = ctx.staff
    else:
        members = [ctx.by_email[email] for email in community.roles]
        writers = [p for p in members if p.organisation and p.email != promoter]
    story, author = _story_and_author(ctx, community, writers, author)
    organisation = _employer(author)
    ctx.told.add((story.title, organisation.slug))
    ctx.story_uses[story.title] += 1
    authors, organisations = _authorship(ctx, community, writers, author)

    measures = [_vary(rng, measure) for measure in story.measures]
    values = {"organisation": organisation.name, "place": organisation.place}
    for i, measure in enumerate(measures):
        values[f"before{i}"], values[f"after{i}"] = _number(measure.before), _number(measure.after)
    plan = PracticePlan(
        title=f"{organisation.place}: {story.title}",
        service_area=story.service_area,
        texts={name: getattr(story, name).format(**values) for name in TEXT_FIELDS},
        topics=story.topics,
        authors=[p.email for p in authors],
        organisations=[o.slug for o in organisations],
        contact=rng.choice(authors).email if rng.random() < 0.2 else author.email,
        community=community.slug if community else "",
        status=slot.status,
        created_hours_ago=_hours(rng, 1, 120),
        evidence_links=_evidence(rng, story, organisation),
        measures=measures[: _weighted(rng, {0: 1, 1: 3, 2: 4})],
    )
    if slot.status == Status.DRAFT:
        plan.review_by_days = rng.choice([None, rng.randint(90, 540)])
        return plan

    if slot.needs_review:
        published_days = rng.randint(380, PUBLISHED_WITHIN_DAYS)
        plan.review_by_days = 365 - published_days  # a year after publication: now past
    elif slot.status == Status.ARCHIVED:
        published_days = rng.randint(200, PUBLISHED_WITHIN_DAYS)
        plan.review_by_days = rng.choice([None, -rng.randint(1, 200)])
    else:
        published_days = rng.randint(2, PUBLISHED_WITHIN_DAYS)
        plan.review_by_days = _review_by_days(rng, slot)
    plan.published_hours_ago = published = published_days * 24 + rng.randint(0, 23)
    plan.created_hours_ago = published + _hours(rng, 1, 30)
    if slot.status == Status.ARCHIVED:
        plan.archived_hours_ago = rng.randint(24, published - 60 * 24)
    quiet = plan.archived_hours_ago or 1  # nothing happens after archiving
    if slot.needs_review:
        quiet = published - 365 * 24  # it went quiet in its first year, and nobody reviewed it

    earlier_title = f"{organisation.place}: {story.earlier_title}"
    plan.revisions = _plan_revisions(rng, plan, earlier_title, published, quiet)
    audience = _audience(ctx, community, story, authors)
    _plan_signals(ctx, plan, slot, audience, authors, published, quiet)
    plan.comments = _plan_comments(ctx, slot, audience, authors, published, quiet)
    if slot.promotion == Promotion.FACILITATOR and community is not None:
        managers = [
            email
            for email, role in community.roles.items()
            if role in MANAGING_ROLES and email not in plan.authors
        ]
        plan.promotion = Promotion.FACILITATOR
        plan.promoted_by = promoter or rng.choice(managers)
        plan.promoted_hours_ago = _moment(rng, published, quiet)
        plan.promotion_reason = rng.choice(demo_data.PROMOTION_REASONS)
    elif slot.promotion == Promotion.PEERS:
        moment = _peer_promotion_moment(ctx, plan, authors)
        if moment is not None:
            plan.promotion, plan.promoted_hours_ago = Promotion.PEERS, moment
    return plan


def _story_and_author(
    ctx: PracticeContext,
    community: CommunityPlan | None,
    writers: list[PersonPlan],
    author: PersonPlan | None,
) -> tuple[demo_data.PracticeStory, PersonPlan]:
    """The least-told story (in a community, one on its topics if there is one) and a writer
    whose council has not told it yet, preferably one with expertise in it."""
    rng = ctx.rng
    stories = sorted(
        demo_data.PRACTICE_STORIES, key=lambda s: (ctx.story_uses[s.title], rng.random())
    )
    if community is not None:
        stories.sort(key=lambda s: not set(s.topics) & set(community.topics))
    for story in stories:
        if author is not None:
            if (story.title, _employer(author).slug) not in ctx.told:
                return story, author
            continue
        free = [p for p in writers if (story.title, _employer(p).slug) not in ctx.told]
        experts = [p for p in free if set(p.topics) & set(story.topics)]
        if free:
            return story, rng.choice(experts or free)
    raise ValueError("The demo has run out of practice stories for these councils.")


def _authorship(
    ctx: PracticeContext,
    community: CommunityPlan | None,
    writers: list[PersonPlan],
    author: PersonPlan,
) -> tuple[list[PersonPlan], list[OrganisationPlan]]:
    """Sometimes a colleague or someone from a neighbouring council co-wrote it; sometimes a
    neighbouring council took part without writing."""
    rng = ctx.rng
    organisation = _employer(author)
    authors, organisations = [author], [organisation]
    if rng.random() < CO_AUTHOR_CHANCE:
        nearby = writers if community else ctx.staff_by_region[author.region]
        same = writers if community else ctx.colleagues[organisation.slug]
        colleagues = [p for p in same if p.organisation == organisation and p != author]
        partners = [p for p in nearby if p.organisation != organisation]
        pool = colleagues if colleagues and (rng.random() < 2 / 3 or not partners) else partners
        if pool:
            co_author = rng.choice(pool)
            authors.append(co_author)
            if co_author.organisation != organisation:
                organisations.append(_employer(co_author))
    if len(organisations) == 1 and rng.random() < PARTNER_CHANCE:
        neighbours = [
            o for o in ctx.organisations_by_region[organisation.region] if o != organisation
        ]
        if neighbours:
            organisations.append(rng.choice(neighbours))
    return authors, organisations


def _vary(rng: random.Random, measure: demo_data.Measure) -> MeasurePlan:
    """The story's figures, scaled to the council telling it, moving the same way."""
    before, after = measure.before, measure.after
    if float(before).is_integer() and float(after).is_integer():
        scale = rng.uniform(0.8, 1.2)
        before = _rounded(before * scale)
        varied = _rounded(after * scale * rng.uniform(0.92, 1.08))
        if (varied > before) == (measure.after > measure.before) and varied != before:
            after = varied
        else:
            after = _rounded(after * scale)
        if measure.unit == "%":
            before, after = min(before, 99), min(after, 99)
    return MeasurePlan(measure.label, _decimal(before), _decimal(after), measure.unit)


def _rounded(value: float) -> int:
    return round(value / 10) * 10 if value >= 1000 else round(value)


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _number(value: Decimal) -> str:
    return f"{int(value):,}" if value == value.to_integral_value() else f"{value.normalize():f}"


def _hours(rng: random.Random, min_days: int, max_days: int) -> int:
    return rng.randint(min_days, max_days) * 24 + rng.randint(0, 23)


def _moment(rng: random.Random, since: int, until: int) -> int:
    """Hours ago of something that happened after ``since`` hours ago and before ``until``."""
    return rng.randint(until, since - 1)


def _evidence(
    rng: random.Random, story: demo_data.PracticeStory, organisation: OrganisationPlan
) -> list[dict[str, str]]:
    count = _weighted(rng, {0: 2, 1: 3, 2: 3, 3: 2})
    values = {
        "subject": story.earlier_title,
        "slug": slugify(story.earlier_title),
        "domain": organisation.domain,
        "place": slugify(organisation.place),
    }
    return [
        {"title": title.format(**values), "url": url.format(**values)}
        for title, url in rng.sample(demo_data.EVIDENCE_LINKS, count)
    ]


def _review_by_days(rng: random.Random, slot: Slot) -> int | None:
    if slot.promotion:
        return rng.randint(30, 540)
    chance = rng.random()
    if chance < 0.2:
        return None
    if chance < 0.35:
        return -rng.randint(1, 200)
    return rng.randint(20, 700)


def _plan_revisions(
    rng: random.Random, plan: PracticePlan, earlier_title: str, published: int, quiet: int
) -> list[RevisionPlan]:
    """The first revision on publication; sometimes an author later sharpened the title or
    filled out the summary. The last revision is always the post as it is now."""
    count = _weighted(rng, REVISION_COUNTS)
    title, summary = plan.title, plan.texts["summary"]
    earlier_summary = summary.split(". ", 1)[0] + "."
    versions = {
        1: [(title, summary)],
        2: [
            rng.choice(
                [
                    (earlier_title, summary),
                    (title, earlier_summary),
                    (earlier_title, earlier_summary),
                ]
            ),
            (title, summary),
        ],
        3: [(earlier_title, earlier_summary), (title, earlier_summary), (title, summary)],
    }[count]
    later = sorted((_moment(rng, published, quiet) for _ in range(count - 1)), reverse=True)
    return [
        RevisionPlan(plan.authors[0] if n == 0 else rng.choice(plan.authors), hours, *version)
        for n, (hours, version) in enumerate(zip([published, *later], versions, strict=True))
    ]


def _audience(
    ctx: PracticeContext,
    community: CommunityPlan | None,
    story: demo_data.PracticeStory,
    authors: list[PersonPlan],
) -> list[PersonPlan]:
    """Who is likely to read the post, never anyone who cannot: members of a closed community;
    otherwise also people with expertise in its topics, and for a network-wide post a few
    passers-by. The authors are left out."""
    experts = [p for topic in story.topics for p in ctx.experts[topic]]
    if community is None:
        readers = experts + ctx.rng.sample(ctx.people, min(40, len(ctx.people)))
    else:
        readers = [ctx.by_email[email] for email in community.roles]
        if community.visibility == Visibility.OPEN:
            readers += experts
    unique = {p.email: p for p in readers}
    for author in authors:
        unique.pop(author.email, None)
    return list(unique.values())


def _plan_signals(
    ctx: PracticeContext,
    plan: PracticePlan,
    slot: Slot,
    audience: list[PersonPlan],
    authors: list[PersonPlan],
    published: int,
    quiet: int,
) -> None:
    """Endorsements and repeat records. A post for peers to promote gets at least three
    organisations vouching; any other gets fewer, so the rule never promotes it."""
    rng = ctx.rng
    own = {_employer(a).slug for a in authors}
    involved = set(plan.organisations)
    vouchers = _grouped(
        (p for p in audience if p.organisation and p.organisation.slug not in involved),
        lambda p: _employer(p).slug,
    )
    if slot.promotion == Promotion.PEERS:
        wanted = rng.randint(rules.PEER_ORGANISATIONS_NEEDED, 6)
    elif slot.status == Status.ARCHIVED:
        wanted = rng.randint(0, 3)
    else:
        wanted = _weighted(rng, UNPROMOTED_VOUCHING)
    endorsed: set[str] = set()

    def endorse(person: PersonPlan) -> None:
        if person.email not in endorsed:
            endorsed.add(person.email)
            note = rng.choice(demo_data.ENDORSEMENT_NOTES) if rng.random() < 0.5 else ""
            plan.endorsements.append(
                EndorsementPlan(person.email, note, _moment(rng, published, quiet))
            )

    for slug in rng.sample(list(vouchers), min(wanted, len(vouchers))):
        kind = _weighted(rng, VOUCHING_KINDS)
        staff = vouchers[slug]
        if kind != "repeat":
            for person in rng.sample(staff, min(len(staff), rng.choice([1, 1, 2]))):
                endorse(person)
        if kind != "endorse":
            status = _weighted(rng, REPEAT_STATUSES)
            plan.repeats.append(
                RepeatPlan(
                    organisation=slug,
                    person=rng.choice(staff).email,
                    status=status,
                    outcome=rng.choice(demo_data.REPEAT_OUTCOMES[status]),
                    hours_ago=_moment(rng, published, quiet),
                )
            )
    # Colleagues of the authors and guests endorse too; the rule does not count them.
    colleagues = [p for p in audience if p.organisation and p.organisation.slug in own]
    guests = [p for p in audience if p.organisation is None]
    for people, chance in ((colleagues, 0.3), (guests, 0.2)):
        if people and rng.random() < chance:
            endorse(rng.choice(people))


def _peer_promotion_moment(
    ctx: PracticeContext, plan: PracticePlan, authors: list[PersonPlan]
) -> int | None:
    """When the third organisation outside the authors' vouched for the post, if one has."""
    own = {_employer(a).slug for a in authors}
    events = [
        (e.hours_ago, organisation.slug)
        for e in plan.endorsements
        if (organisation := ctx.by_email[e.person].organisation) is not None
    ]
    events += [(r.hours_ago, r.organisation) for r in plan.repeats]
    seen: set[str] = set()
    for hours, slug in sorted(events, reverse=True):
        if slug not in own:
            seen.add(slug)
        if len(seen) == rules.PEER_ORGANISATIONS_NEEDED:
            return hours
    return None


def _plan_comments(
    ctx: PracticeContext,
    slot: Slot,
    audience: list[PersonPlan],
    authors: list[PersonPlan],
    published: int,
    quiet: int,
) -> list[CommentPlan]:
    """Questions the authors mostly answer, remarks peers sometimes reply to, and now and then
    a comment its writer deleted, whose replies keep their place."""
    rng = ctx.rng
    if slot.promotion == Promotion.PEERS:
        count = rng.randint(2, 6)
    elif slot.promotion == Promotion.FACILITATOR:
        count = rng.randint(1, 4)
    else:
        count = rng.randint(0, 2 if slot.status == Status.ARCHIVED else 4)
    # A closed community of a dozen people talks less than the whole network.
    count = min(count, len(audience) // READERS_PER_COMMENT)
    comments = []
    for _ in range(count):
        hours = _moment(rng, published, quiet)
        writer = rng.choice(audience)
        can_reply = hours - 1 > quiet
        if rng.random() < 0.55:
            question, answer = rng.choice(demo_data.PRACTICE_QUESTIONS)
            comment = CommentPlan(writer.email, question, hours)
            if can_reply and rng.random() < 0.7:
                replier = rng.choice(authors)
                comment.replies.append(
                    CommentPlan(replier.email, answer, _moment(rng, hours, quiet))
                )
        else:
            comment = CommentPlan(writer.email, rng.choice(demo_data.PRACTICE_REMARKS), hours)
            replier = rng.choice(audience)
            if can_reply and rng.random() < 0.25 and replier != writer:
                reply = rng.choice(demo_data.PRACTICE_PEER_REPLIES)
                comment.replies.append(
                    CommentPlan(replier.email, reply, _moment(rng, hours, quiet))
                )
        comment.deleted = rng.random() < DELETED_COMMENT_CHANCE
        comments.append(comment)
    return sorted(comments, key=lambda c: -c.hours_ago)


# Writing: only what the database lacks, in bulk.


@dataclass
class Added:
    organisations: int = 0
    people: int = 0
    communities: int = 0
    practice_posts: int = 0


def seed(plan: NetworkPlan, password_hash: str) -> Added:
    """Add the parts of the plan the database lacks. Call inside a transaction, so a failed
    run leaves nothing half-written for the next run to skip."""
    added = Added()
    topics = _write_topics()
    organisations, added.organisations = _write_organisations(plan.organisations)
    people, added.people = _write_people(plan.people, organisations, topics, password_hash)
    added.communities = _write_communities(plan.communities, people, topics)
    added.practice_posts = _write_practice(plan.practice, people, organisations, topics)
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


@dataclass
class Readership:
    """Who may read and run each community now, which after someone has tried the demo may
    differ from the plan: the writer checks every planned author and signal against it."""

    communities: dict[str, Community]
    roles: dict[int, dict[int, str]]  # community pk -> person pk -> role

    @classmethod
    def of(cls, slugs: set[str]) -> Readership:
        communities = Community.objects.in_bulk(list(slugs), field_name="slug")
        roles: dict[int, dict[int, str]] = defaultdict(dict)
        memberships = Membership.objects.filter(community__slug__in=slugs).values_list(
            "community_id", "person_id", "role"
        )
        for community_id, person_id, role in memberships:
            roles[community_id][person_id] = role
        return cls(communities, roles)

    def role(self, slug: str, person: int) -> str | None:
        return self.roles[self.communities[slug].pk].get(person) if slug else None

    def reads(self, slug: str, person: int) -> bool:
        if not slug or self.communities[slug].visibility == Visibility.OPEN:
            return True
        return self.role(slug, person) is not None


def _write_practice(
    plans: list[PracticePlan],
    people: dict[str, int],
    organisations: dict[str, Organisation],
    topics: dict[str, Topic],
) -> int:
    """Add the planned posts the database lacks, matched by title and creator, with all their
    signals. A post whose authors have since left its community is skipped."""
    existing = _existing_posts([plan.title for plan in plans])
    readership = Readership.of({plan.community for plan in plans if plan.community})
    new = [
        plan
        for plan in plans
        if (plan.title, people[plan.authors[0]]) not in existing
        and all(
            not plan.community or readership.role(plan.community, people[email])
            for email in plan.authors
        )
    ]
    if not new:
        return 0
    now, today = timezone.now(), timezone.localdate()

    def at(hours: int) -> datetime.datetime:
        return now - datetime.timedelta(hours=hours)

    posts = [_post_row(plan, people, readership, at, today) for plan in new]
    PracticePost.objects.bulk_create(posts)
    pairs = list(zip(posts, new, strict=True))
    PracticePost.topics.through.objects.bulk_create(
        PracticePost.topics.through(practicepost_id=post.pk, topic_id=topics[name].pk)
        for post, plan in pairs
        for name in plan.topics
    )
    PracticePost.organisations.through.objects.bulk_create(
        PracticePost.organisations.through(
            practicepost_id=post.pk, organisation_id=organisations[slug].pk
        )
        for post, plan in pairs
        for slug in plan.organisations
    )
    PracticePost.authors.through.objects.bulk_create(
        PracticePost.authors.through(practicepost_id=post.pk, person_id=people[email])
        for post, plan in pairs
        for email in plan.authors
    )
    measures = {
        post.pk: [
            OutcomeMeasure(
                post=post, label=m.label, before=m.before, after=m.after, unit=m.unit, position=i
            )
            for i, m in enumerate(plan.measures)
        ]
        for post, plan in pairs
    }
    OutcomeMeasure.objects.bulk_create(m for rows in measures.values() for m in rows)
    contacts = dict(
        Person.objects.filter(pk__in={post.contact_id for post in posts}).values_list(
            "pk", "display_name"
        )
    )
    Revision.objects.bulk_create(
        Revision(
            post=post,
            number=number,
            editor_id=people[revision.editor],
            created_at=at(revision.hours_ago),
            content={
                **_snapshot(
                    post,
                    measures[post.pk],
                    [topics[name].name for name in plan.topics],
                    [organisations[slug].name for slug in plan.organisations],
                    contacts[post.contact_id] if post.contact_id else "",
                ),
                "title": revision.title,
                "summary": revision.summary,
            },
        )
        for post, plan in pairs
        for number, revision in enumerate(plan.revisions, start=1)
    )
    _write_signals(pairs, people, organisations, readership, at)
    _apply_peer_rule(posts, now)
    return len(new)


def _existing_posts(titles: list[str]) -> set[tuple[str, int]]:
    found: set[tuple[str, int]] = set()
    for start in range(0, len(titles), 500):  # SQLite's limit on query parameters
        found.update(
            PracticePost.objects.filter(title__in=titles[start : start + 500]).values_list(
                "title", "created_by_id"
            )
        )
    return found


def _post_row(
    plan: PracticePlan,
    people: dict[str, int],
    readership: Readership,
    at: Any,
    today: datetime.date,
) -> PracticePost:
    promotion = plan.promotion
    if promotion == Promotion.FACILITATOR:
        promoter_role = readership.role(plan.community, people[plan.promoted_by])
        if promoter_role not in MANAGING_ROLES:
            promotion = Promotion.NONE  # they no longer run the community
    last_edit = min(
        [plan.created_hours_ago]
        + [r.hours_ago for r in plan.revisions]
        + ([plan.archived_hours_ago] if plan.archived_hours_ago is not None else [])
    )
    return PracticePost(
        title=plan.title,
        **plan.texts,
        evidence_links=plan.evidence_links,
        service_area=plan.service_area,
        contact_id=people[plan.contact],
        review_by=(
            today + datetime.timedelta(days=plan.review_by_days)
            if plan.review_by_days is not None
            else None
        ),
        community=readership.communities[plan.community] if plan.community else None,
        created_by_id=people[plan.authors[0]],
        status=plan.status,
        created_at=at(plan.created_hours_ago),
        updated_at=at(last_edit),
        published_at=(
            at(plan.published_hours_ago) if plan.published_hours_ago is not None else None
        ),
        promotion=promotion,
        promoted_at=(
            at(plan.promoted_hours_ago) if promotion and plan.promoted_hours_ago else None
        ),
        promoted_by_id=(people[plan.promoted_by] if promotion == Promotion.FACILITATOR else None),
        promotion_reason=plan.promotion_reason if promotion == Promotion.FACILITATOR else "",
    )


def _snapshot(
    post: PracticePost,
    measures: list[OutcomeMeasure],
    topic_names: list[str],
    organisation_names: list[str],
    contact_name: str,
) -> dict[str, Any]:
    """practice.actions.snapshot(post), key for key, from what the writer holds already:
    calling it would cost four queries a post."""
    return {
        **{name: getattr(post, name) for name in CONTENT_FIELDS},
        "service_area": ServiceArea(post.service_area).label,
        "review_by": post.review_by.isoformat() if post.review_by else "",
        "evidence_links": [f"{link['title']} <{link['url']}>" for link in post.evidence_links],
        "measures": [str(m) for m in measures],
        "topics": sorted(topic_names),
        "organisations": sorted(organisation_names),
        "contact": contact_name,
    }


def _write_signals(
    pairs: list[tuple[PracticePost, PracticePlan]],
    people: dict[str, int],
    organisations: dict[str, Organisation],
    readership: Readership,
    at: Any,
) -> None:
    """Endorsements, repeat records and comments, each only from someone who can read the post
    now; endorsements and repeat records never from an author."""

    def may_vouch(post: PracticePost, plan: PracticePlan, email: str) -> bool:
        person = people[email]
        authors = {people[a] for a in plan.authors}
        return person not in authors and readership.reads(plan.community, person)

    Endorsement.objects.bulk_create(
        Endorsement(post=post, person_id=people[e.person], note=e.note, created_at=at(e.hours_ago))
        for post, plan in pairs
        for e in plan.endorsements
        if may_vouch(post, plan, e.person)
    )
    RepeatRecord.objects.bulk_create(
        RepeatRecord(
            post=post,
            organisation=organisations[r.organisation],
            person_id=people[r.person],
            started_on=timezone.localdate(at(r.hours_ago)),
            status=r.status,
            outcome=r.outcome,
            created_at=at(r.hours_ago),
            updated_at=at(r.hours_ago),
        )
        for post, plan in pairs
        for r in plan.repeats
        if may_vouch(post, plan, r.person)
    )
    threads = [
        (post, plan, comment)
        for post, plan in pairs
        for comment in plan.comments
        if readership.reads(plan.community, people[comment.author])
    ]
    parents = [_comment_row(post, comment, people, at) for post, _, comment in threads]
    Comment.objects.bulk_create(parents)
    Comment.objects.bulk_create(
        Comment(
            post=post,
            parent=parent,
            author_id=people[reply.author],
            body=reply.body,
            created_at=at(reply.hours_ago),
        )
        for parent, (post, plan, comment) in zip(parents, threads, strict=True)
        for reply in comment.replies
        if readership.reads(plan.community, people[reply.author])
    )


def _comment_row(
    post: PracticePost, comment: CommentPlan, people: dict[str, int], at: Any
) -> Comment:
    if not comment.deleted:
        return Comment(
            post=post,
            author_id=people[comment.author],
            body=comment.body,
            created_at=at(comment.hours_ago),
        )
    # Deleted after its replies were written, which is why they could be.
    deleted = min([comment.hours_ago] + [r.hours_ago for r in comment.replies]) - 1
    return Comment(
        post=post,
        author_id=people[comment.author],
        body="",
        created_at=at(comment.hours_ago),
        deleted_at=at(max(deleted, 0)),
    )


def _apply_peer_rule(posts: list[PracticePost], now: datetime.datetime) -> None:
    """Ask practice.rules, the one home of the peer rule, about every new published post, and
    correct the plan where the database (people deactivated, members gone) says otherwise."""
    changed = []
    for post in posts:
        if post.status != Status.PUBLISHED or post.promotion == Promotion.FACILITATOR:
            continue
        earns = rules.earns_peer_promotion(post)
        if earns != (post.promotion == Promotion.PEERS):
            post.promotion = Promotion.PEERS if earns else Promotion.NONE
            post.promoted_at = (post.promoted_at or now) if earns else None
            changed.append(post)
    PracticePost.objects.bulk_update(changed, ["promotion", "promoted_at"])


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
        "conversations": Conversation.objects.count(),
        "messages": Message.objects.count(),
    }


def practice_counts() -> dict[str, int]:
    """Practice posts in each state, and their signals, demo or not."""
    promoted = ~Q(promotion=Promotion.NONE)
    states = PracticePost.objects.aggregate(
        published=Count("pk", filter=Q(status=Status.PUBLISHED)),
        drafts=Count("pk", filter=Q(status=Status.DRAFT)),
        archived=Count("pk", filter=Q(status=Status.ARCHIVED)),
        promoted_by_peers=Count("pk", filter=Q(promotion=Promotion.PEERS)),
        promoted_by_facilitators=Count("pk", filter=Q(promotion=Promotion.FACILITATOR)),
        needing_review=Count("pk", filter=promoted & Q(review_by__lt=timezone.localdate())),
    )
    return {
        **{name.replace("_", " "): n for name, n in states.items()},
        "endorsements": Endorsement.objects.count(),
        "repeat records": RepeatRecord.objects.count(),
        "comments": Comment.objects.count(),
        "deleted comments": Comment.objects.filter(deleted_at__isnull=False).count(),
        "revisions": Revision.objects.count(),
    }


# Conversations: written through the groups actions, which number each message in its
# conversation's sequence, log it, link mentions and notify; a network holds few of them. Only
# conversations a community lacks (by title) are added, in the demo login's communities and a
# few other open ones, so the demo login has mentions, replies and pins waiting.

CONVERSATION_COMMUNITIES = 8
CONVERSATIONS_WITHIN_DAYS = 21


def seed_conversations(plan: NetworkPlan) -> int:
    """Add the demo conversations the database lacks; returns how many were added."""
    rng = random.Random(f"{plan.demo.email} conversations")
    demo_slugs = [c.slug for c in plan.communities if plan.demo.email in c.roles]
    open_slugs = [
        c.slug
        for c in plan.communities
        if c.visibility == Visibility.OPEN and c.slug not in demo_slugs
    ]
    slugs = demo_slugs + open_slugs[: max(0, CONVERSATION_COMMUNITIES - len(demo_slugs))]
    topics = {c.slug: c.topics[0] if c.topics else "this work" for c in plan.communities}
    added = 0
    for n, slug in enumerate(slugs):
        community = Community.objects.filter(slug=slug).first()
        speakers = _speakers(community, plan.demo.email) if community else []
        if community is None or len(speakers) < 4:
            continue
        scripts = [demo_data.MEASURES_CONVERSATION]
        if n % 2 == 0:
            scripts.append(demo_data.PEER_REVIEW_CONVERSATION)
        added += _introductions(rng, community, topics[slug])
        for script in scripts:
            added += _scripted(rng, community, speakers, script, topics[slug])
    return added


def _speakers(community: Community, demo_email: str) -> list[Person]:
    """The community's owner first (pins need a facilitator), then its other members; the demo
    login, when a member, second, so the scripts mention and answer them."""
    memberships = list(
        Membership.objects.filter(community=community).select_related("person").order_by("pk")
    )
    managing = [m.person for m in memberships if m.role in MANAGING_ROLES]
    others = [m.person for m in memberships if m.role not in MANAGING_ROLES]
    first = next((p for p in managing if p.email == demo_email), managing[0] if managing else None)
    if first is None:
        return []
    rest = [p for p in managing + others if p.pk != first.pk]
    rest.sort(key=lambda p: p.email != demo_email)
    return [first, *rest[:3]]


def _introductions(rng: random.Random, community: Community, topic: str) -> int:
    if Conversation.objects.filter(
        community=community, title=demo_data.INTRODUCTIONS_TITLE
    ).exists():
        return 0
    members = [
        m.person
        for m in Membership.objects.filter(community=community)
        .select_related("person__organisation")
        .order_by("joined_at", "pk")[: demo_data.INTRODUCTIONS_MAX]
    ]
    owner = next(
        (
            m.person
            for m in Membership.objects.filter(community=community, role=Role.OWNER)
            .select_related("person")
            .order_by("pk")
        ),
        members[0],
    )
    opening = demo_data.INTRODUCTIONS_OPENING.format(community=community.name)
    conversation, _ = group_actions.conversation_create(
        author=owner,
        community=community,
        title=demo_data.INTRODUCTIONS_TITLE,
        body=opening,
        client_id="demo-0",
    )
    for person in members:
        if person.pk == owner.pk:
            continue
        text = rng.choice(demo_data.INTRODUCTION_FORMATS).format(
            name=person.display_name,
            job=person.job_title or "officer",
            organisation=person.organisation.name if person.organisation else "a partner",
            topic=topic,
        )
        group_actions.message_send(
            author=person, conversation=conversation, body=text, client_id="demo-intro"
        )
    _backdate(rng, conversation)
    return 1


def _scripted(
    rng: random.Random,
    community: Community,
    speakers: list[Person],
    script: demo_data.ConversationScript,
    topic: str,
) -> int:
    title = script.title.format(topic=topic)
    if Conversation.objects.filter(community=community, title=title).exists():
        return 0
    mentions = [f"@**{person.display_name}**" for person in speakers]
    messages: list[Message] = []
    conversation: Conversation | None = None
    for n, line in enumerate(script.lines):
        author = speakers[line.speaker]
        body = (line.first_draft or line.text).format(*mentions, topic=topic)
        if conversation is None:
            conversation, message = group_actions.conversation_create(
                author=author, community=community, title=title, body=body, client_id="demo-0"
            )
        else:
            message, _ = group_actions.message_send(
                author=author,
                conversation=conversation,
                body=body,
                client_id=f"demo-{n}",
                reply_to=messages[line.reply_to] if line.reply_to is not None else None,
            )
        if line.first_draft:
            message = group_actions.message_edit(
                actor=author, message=message, body=line.text.format(*mentions, topic=topic)
            )
        for speaker in line.reactions:
            group_actions.reaction_set(
                person=speakers[speaker], message=message, emoji="👍", add=True
            )
        messages.append(message)
    for n in script.pinned:
        group_actions.message_pin(actor=speakers[0], message=messages[n], pinned=True)
    assert conversation is not None  # every script has lines
    _backdate(rng, conversation)
    return 1


def _backdate(rng: random.Random, conversation: Conversation) -> None:
    """Spread the conversation over the past weeks, as if it had been written then: its
    messages, their logged copies (what catch-up replays) and its last activity."""
    messages = list(conversation.messages.order_by("seq"))
    now = timezone.now()
    span = rng.randint(2, CONVERSATIONS_WITHIN_DAYS) * 24 * 60  # minutes
    moment = now - datetime.timedelta(minutes=span)
    longest_gap = max(2, 2 * span // (len(messages) + 1))
    at: dict[int, datetime.datetime] = {}
    for message in messages:
        moment += datetime.timedelta(minutes=rng.randint(1, longest_gap))
        message.created_at = at[message.pk] = min(moment, now)
    Message.objects.bulk_update(messages, ["created_at"])
    events = list(ConversationEvent.objects.filter(conversation=conversation))
    for event in events:
        if event.message_id in at:
            event.payload["message"]["created_at"] = at[event.message_id].isoformat()
    ConversationEvent.objects.bulk_update(events, ["payload"])
    Conversation.objects.filter(pk=conversation.pk).update(last_activity_at=max(at.values()))


class Command(BaseCommand):
    help = (
        "Add a fictional demo network of councils, people, communities and practice posts with "
        "their endorsements, repeat records, comments and revisions. Running it again "
        "adds only what is missing. Every demo person's password is "
        f"{demo_data.PASSWORD!r}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="small",
            help=(
                "small: 25 organisations, 300 people, 30 communities, 40 practice posts; "
                "large: ten times that."
            ),
        )

    def handle(self, *args: Any, size: str, **options: Any) -> None:
        plan = build_plan(size)
        # One hash for everybody: hashing thousands of passwords would take most of the run.
        password_hash = make_password(demo_data.PASSWORD)
        with transaction.atomic():
            added = seed(plan, password_hash)
        with transaction.atomic():
            conversations = seed_conversations(plan)
        self._report(size, plan, added)
        self.stdout.write(f"Added {conversations} demo conversations.")

    def _report(self, size: str, plan: NetworkPlan, added: Added) -> None:
        counts = ", ".join(f"{n:,} {what}" for what, n in network_counts().items())
        practice = practice_counts()
        example = plan.people[1]
        self.stdout.write(
            f"Seeded the {size} demo network: added {added.organisations:,} organisations, "
            f"{added.people:,} people, {added.communities:,} communities and "
            f"{added.practice_posts:,} practice posts.\n"
            f"The network now has {counts}.\n"
            f"Practice: {practice['published']:,} published ({practice['promoted by peers']:,} "
            f"promoted by peers, {practice['promoted by facilitators']:,} by facilitators, "
            f"{practice['needing review']:,} needing review), {practice['drafts']:,} drafts and "
            f"{practice['archived']:,} archived, with {practice['endorsements']:,} endorsements, "
            f"{practice['repeat records']:,} repeat records, {practice['comments']:,} comments "
            f"and {practice['revisions']:,} revisions.\n"
            f"Sign in with the password {demo_data.PASSWORD} as, for example:\n"
            f"  {plan.demo.email}  ({plan.demo.display_name}: owner, facilitator and member "
            "of communities of every visibility)\n"
            f"  {example.email}  ({example.display_name}, {example.job_title})"
        )
