"""The words of the demo network that ``manage.py seed_demo`` builds: places, names, service
areas, job titles, communities and practice case studies. Everything here is fictional and
written for this project: no place is a real council, every case study is invented, and every
domain uses the reserved ``.example`` top-level domain, so no demo email or link can reach
anyone."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from groups.models import Visibility
from practice.models import ServiceArea as Area
from profiles.models import Organisation, Region

# Published on purpose: it opens the fictional demo accounts and nothing else.
PASSWORD = "demo-password-2026"
DEMO_LOCAL_PART = "demo"
DEMO_DISPLAY_NAME = "Alex Demo"
DEMO_JOB_TITLE = "Digital inclusion lead"
DEMO_BIO = (
    "The demo account: owner, facilitator and member of communities of every visibility, so "
    "you can see the network the way its facilitators do."
)
DEMO_JOIN_REQUEST_MESSAGE = (
    "Our digital team is redesigning this service and would like to learn from yours."
)
DOMAIN_SUFFIX = "gov.example"

# The first place is fixed so the easy-to-remember demo login is always demo@northmoor.gov.example.
FIRST_PLACE = ("Northmoor", Organisation.Kind.COUNTY, Region.YORKSHIRE)

# Invented place names: none is a UK council (a few are villages, which do not matter). The
# large network pairs them ("Fellbeck and Cragmere"), which keeps those fictional too.
PLACES = [
    "Northmoor",
    "Fellbeck",
    "Harrowdene",
    "Kestrelford",
    "Brackenridge",
    "Elderbrook",
    "Cragmere",
    "Thornwick",
    "Marshfold",
    "Oakhollow",
    "Greywater",
    "Stonemere",
    "Hollinsgate",
    "Brindlecombe",
    "Ravensholm",
    "Millbeck",
    "Silverdene",
    "Kingsmarsh",
    "Foxhollow",
    "Amberleigh",
    "Westerfold",
    "Heronsea",
    "Lowfell",
    "Copperdale",
    "Wetherly Cross",
    "Burnhollow",
    "Alderwick",
    "Sedgecombe",
    "Gorsemoor",
    "Ferncastle",
    "Tollbridge",
    "Merewood",
    "Hawksmere",
    "Lindenfold",
    "Brackwater",
    "Rookhaven",
    "Mossbridge",
    "Whitlow Marsh",
    "Eastwold",
    "Larkholme",
]

ORGANISATION_NAME_FORMATS = {
    Organisation.Kind.COUNTY: "{place} County Council",
    Organisation.Kind.DISTRICT: "{place} District Council",
    Organisation.Kind.UNITARY: "{place} Council",
    Organisation.Kind.METROPOLITAN: "{place} Metropolitan Borough Council",
    Organisation.Kind.LONDON_BOROUGH: "London Borough of {place}",
    Organisation.Kind.OTHER: "{place} Fire and Rescue Authority",
}

# Roughly how English councils are spread, so the demo is not half Northern Irish.
REGION_WEIGHTS = {
    Region.NORTH_EAST: 2,
    Region.NORTH_WEST: 3,
    Region.YORKSHIRE: 3,
    Region.EAST_MIDLANDS: 3,
    Region.WEST_MIDLANDS: 3,
    Region.EAST: 3,
    Region.LONDON: 3,
    Region.SOUTH_EAST: 4,
    Region.SOUTH_WEST: 3,
    Region.WALES: 2,
    Region.SCOTLAND: 2,
    Region.NORTHERN_IRELAND: 1,
}

# English councils outside London; the devolved nations and London have one kind each.
ENGLISH_KIND_WEIGHTS = {
    Organisation.Kind.COUNTY: 2,
    Organisation.Kind.DISTRICT: 4,
    Organisation.Kind.UNITARY: 3,
    Organisation.Kind.METROPOLITAN: 2,
    Organisation.Kind.OTHER: 1,
}

# How many staff an organisation of each kind brings, relative to a district council.
STAFF_WEIGHTS = {
    Organisation.Kind.COUNTY: 4,
    Organisation.Kind.DISTRICT: 1,
    Organisation.Kind.UNITARY: 4,
    Organisation.Kind.METROPOLITAN: 4,
    Organisation.Kind.LONDON_BOROUGH: 3,
    Organisation.Kind.OTHER: 1,
}

FIRST_NAMES = [
    "Aisha", "Amir", "Amy", "Ben", "Bethan", "Callum", "Chloe", "Chris", "Dafydd", "Daniel",
    "Deborah", "Eilidh", "Emeka", "Emma", "Fatima", "Fiona", "Gareth", "Grace", "Hannah", "Harjit",
    "Imran", "Isla", "Jack", "James", "Jasmine", "Joanne", "Kate", "Kwame", "Laura", "Leon",
    "Lucy", "Marcus", "Maria", "Mark", "Megan", "Mohammed", "Natalie", "Niamh", "Nick", "Oliver",
    "Olusegun", "Paul", "Priya", "Rachel", "Rhys", "Rosie", "Ruth", "Sam", "Sarah", "Sean",
    "Sinead", "Sophie", "Stuart", "Tariq", "Tom", "Una", "Vikram", "Wei", "Yasmin", "Zoe",
]  # fmt: skip

LAST_NAMES = [
    "Adeyemi", "Ahmed", "Ali", "Baker", "Bennett", "Brown", "Campbell", "Chen", "Clarke", "Collins",
    "Davies", "Edwards", "Evans", "Fletcher", "Foster", "Gallagher", "Green", "Griffiths", "Hall",
    "Harris", "Hughes", "Hussain", "Jackson", "James", "Jones", "Kaur", "Kelly", "Khan", "Lewis",
    "MacDonald", "McLaughlin", "Mensah", "Mitchell", "Morgan", "Murphy", "Nowak", "Okafor",
    "O'Brien", "Owen", "Parker", "Patel", "Phillips", "Price", "Reid", "Roberts", "Robertson",
    "Scott", "Shah", "Singh", "Smith", "Stewart", "Taylor", "Thomas", "Thompson", "Turner",
    "Walker", "Watson", "White", "Williams", "Wright",
]  # fmt: skip


@dataclass(frozen=True)
class ServiceArea:
    """A part of a council: the topics its staff know about and the jobs they hold."""

    name: str
    topics: tuple[str, ...]
    job_titles: tuple[str, ...]


SERVICE_AREAS = [
    ServiceArea(
        "Housing",
        (
            "damp and mould",
            "temporary accommodation",
            "homelessness prevention",
            "housing allocations",
            "private rented sector",
        ),
        (
            "Housing options officer",
            "Tenancy sustainment officer",
            "Head of housing needs",
            "Private sector housing officer",
            "Damp and mould surveyor",
            "Allocations team leader",
            "Temporary accommodation manager",
        ),
    ),
    ServiceArea(
        "Waste and street scene",
        (
            "missed bin collections",
            "food waste collection",
            "fly-tipping",
            "recycling contamination",
            "street cleansing",
        ),
        (
            "Waste services manager",
            "Recycling officer",
            "Street scene supervisor",
            "Environmental enforcement officer",
            "Waste strategy lead",
            "Collection rounds planner",
        ),
    ),
    ServiceArea(
        "Adult social care",
        (
            "adult social care",
            "unpaid carers",
            "reablement",
            "care market shaping",
            "hospital discharge",
        ),
        (
            "Social worker, adults",
            "Adult social care commissioner",
            "Occupational therapist",
            "Carers lead",
            "Hospital discharge coordinator",
            "Principal social worker",
        ),
    ),
    ServiceArea(
        "Children and education",
        (
            "SEND transport",
            "education health and care plans",
            "early help",
            "school admissions",
            "safeguarding children",
        ),
        (
            "SEND transport coordinator",
            "SEND caseworker",
            "Early help practitioner",
            "School admissions officer",
            "Safeguarding partnership manager",
            "Head of SEND",
        ),
    ),
    ServiceArea(
        "Digital and data",
        (
            "digital inclusion",
            "cyber security",
            "open data",
            "web accessibility",
            "service design",
        ),
        (
            "Digital inclusion lead",
            "Head of digital",
            "Cyber security manager",
            "Data analyst",
            "Service designer",
            "User researcher",
            "Web accessibility officer",
        ),
    ),
    ServiceArea(
        "Revenues and benefits",
        (
            "council tax support",
            "business rates",
            "household support fund",
            "fair debt recovery",
            "housing benefit",
        ),
        (
            "Revenues and benefits manager",
            "Council tax officer",
            "Business rates officer",
            "Benefits assessor",
            "Financial inclusion officer",
            "Debt recovery team leader",
        ),
    ),
    ServiceArea(
        "Planning and regeneration",
        (
            "local plan",
            "planning enforcement",
            "biodiversity net gain",
            "high street regeneration",
            "building control",
        ),
        (
            "Planning officer",
            "Planning enforcement officer",
            "Principal planning policy officer",
            "Ecologist",
            "Regeneration manager",
            "Building control surveyor",
        ),
    ),
    ServiceArea(
        "Climate and communities",
        (
            "net zero retrofit",
            "active travel",
            "flood resilience",
            "community safety",
            "public health",
        ),
        (
            "Climate change officer",
            "Retrofit programme manager",
            "Active travel officer",
            "Flood risk engineer",
            "Community safety officer",
            "Public health practitioner",
        ),
    ),
]

# A fire and rescue authority employs no housing officers; other kinds of body employ every area.
AREAS_BY_KIND = {
    Organisation.Kind.OTHER: ("Climate and communities", "Digital and data"),
}

# Every topic of the shared vocabulary, in a stable order.
TOPICS = [topic for area in SERVICE_AREAS for topic in area.topics]

# Guests work with councils from outside: their domains belong to no organisation.
GUEST_DOMAINS = ["consultancy.example", "civic-research.example", "tenants-voice.example"]
GUEST_JOB_TITLES = [
    "Independent housing consultant",
    "Researcher in public service design",
    "Policy officer at a tenants' charity",
    "Digital transformation consultant",
    "Associate, local government finance",
]

BIO_TEMPLATES = [
    "{job_title} at {organisation}. Most of my week goes on {topic_a}; keen to compare notes "
    "on {topic_b}.",
    "I work on {topic_a} and {topic_b} at {organisation}. Happy to share our templates and what "
    "we learned the hard way.",
    "Came to {organisation} from the voluntary sector. Interested in anything on {topic_a}.",
    "Ask me about {topic_a}: we rebuilt our approach last year. Currently puzzling over {topic_b}.",
    "{job_title}. Looking for councils a year ahead of us on {topic_b}.",
]
GUEST_BIO_TEMPLATES = [
    "{job_title}. I work with councils on {topic_a} and {topic_b}.",
    "{job_title}, here to listen and to share research on {topic_a}.",
]

JOIN_REQUEST_MESSAGES = [
    "I lead on this at {organisation} and would like to learn from colleagues.",
    "We are starting a review of our approach and would value the discussion here.",
    "New in post as {job_title}; a colleague recommended this community.",
    "Could I join? We have a pilot running that I am happy to share.",
]


@dataclass(frozen=True)
class CommunityTheme:
    name: str
    visibility: Visibility
    topics: tuple[str, ...]
    description: str


# Half open, a fifth restricted, the rest private or hidden: the mix a real network settles at.
COMMUNITY_THEMES = [
    CommunityTheme(
        "Damp and mould response network",
        Visibility.OPEN,
        ("damp and mould", "private rented sector"),
        "Officers who inspect, triage and fix damp and mould in social and private homes. "
        "Share inspection checklists, tenant letters and the data you report to your board.",
    ),
    CommunityTheme(
        "Digital inclusion leads",
        Visibility.OPEN,
        ("digital inclusion",),
        "For everyone running device lending, data banks or digital skills sessions. What "
        "works for residents who have never used the internet, and how to measure it.",
    ),
    CommunityTheme(
        "Temporary accommodation practice",
        Visibility.OPEN,
        ("temporary accommodation", "homelessness prevention"),
        "Cutting the time families spend in temporary accommodation: procurement, standards "
        "and moving people on.",
    ),
    CommunityTheme(
        "Missed bins and collection rounds",
        Visibility.OPEN,
        ("missed bin collections", "food waste collection"),
        "Round planning, in-cab technology and how to stop a missed collection becoming a "
        "complaint.",
    ),
    CommunityTheme(
        "Food waste roll-out",
        Visibility.OPEN,
        ("food waste collection", "recycling contamination"),
        "Councils introducing weekly food waste collections compare caddies, communications "
        "and participation rates.",
    ),
    CommunityTheme(
        "Fly-tipping enforcement exchange",
        Visibility.OPEN,
        ("fly-tipping", "street cleansing"),
        "Evidence gathering, fixed penalties, cameras and campaigns that actually reduce "
        "fly-tipping.",
    ),
    CommunityTheme(
        "Web accessibility champions",
        Visibility.OPEN,
        ("web accessibility", "service design"),
        "Meeting the public sector accessibility regulations: audits, statements, PDFs and "
        "training content designers.",
    ),
    CommunityTheme(
        "Open data publishers",
        Visibility.OPEN,
        ("open data",),
        "Publishing spending, planning and waste data that people can reuse, and keeping it "
        "up to date.",
    ),
    CommunityTheme(
        "Service design in local government",
        Visibility.OPEN,
        ("service design", "web accessibility"),
        "User research, prototypes and service assessments for council services, from blue "
        "badges to bulky waste.",
    ),
    CommunityTheme(
        "Active travel schemes",
        Visibility.OPEN,
        ("active travel",),
        "Designing, consulting on and evaluating cycle lanes, school streets and low-traffic "
        "neighbourhoods.",
    ),
    CommunityTheme(
        "Net zero retrofit",
        Visibility.OPEN,
        ("net zero retrofit", "damp and mould"),
        "Retrofitting council and private homes: funding bids, contractors, and avoiding "
        "damp problems after insulation.",
    ),
    CommunityTheme(
        "Biodiversity net gain practitioners",
        Visibility.OPEN,
        ("biodiversity net gain", "local plan"),
        "Planners and ecologists applying biodiversity net gain: metrics, habitat banks and "
        "monitoring.",
    ),
    CommunityTheme(
        "Household support fund delivery",
        Visibility.OPEN,
        ("household support fund", "council tax support"),
        "Getting crisis support to households quickly: eligibility, vouchers, partners and "
        "reporting.",
    ),
    CommunityTheme(
        "High street regeneration",
        Visibility.OPEN,
        ("high street regeneration",),
        "Empty shops, markets, meanwhile uses and the funding that brings town centres back.",
    ),
    CommunityTheme(
        "Unpaid carers support",
        Visibility.OPEN,
        ("unpaid carers", "adult social care"),
        "Carers' assessments, breaks and identifying the carers who do not know they are carers.",
    ),
    CommunityTheme(
        "SEND transport coordinators",
        Visibility.RESTRICTED,
        ("SEND transport", "education health and care plans"),
        "Home-to-school transport for children with special educational needs: routes, "
        "personal budgets and rising costs.",
    ),
    CommunityTheme(
        "Hospital discharge and reablement",
        Visibility.RESTRICTED,
        ("hospital discharge", "reablement"),
        "Social care and NHS staff working on discharge to assess and short-term reablement.",
    ),
    CommunityTheme(
        "Council tax support scheme designers",
        Visibility.RESTRICTED,
        ("council tax support", "fair debt recovery"),
        "Designing local council tax support schemes: banded schemes, modelling and consultation.",
    ),
    CommunityTheme(
        "Planning enforcement officers",
        Visibility.RESTRICTED,
        ("planning enforcement", "building control"),
        "Breaches, notices and appeals. Facilitators admit practising enforcement officers.",
    ),
    CommunityTheme(
        "Community safety partnerships",
        Visibility.RESTRICTED,
        ("community safety",),
        "Council leads for community safety partnerships: antisocial behaviour, serious "
        "violence duty and partnership data.",
    ),
    CommunityTheme(
        "Flood resilience officers",
        Visibility.RESTRICTED,
        ("flood resilience",),
        "Lead local flood authority staff on flood plans, property resilience and recovery "
        "after an event.",
    ),
    CommunityTheme(
        "Heads of housing",
        Visibility.PRIVATE,
        ("homelessness prevention", "housing allocations", "temporary accommodation"),
        "A confidential space for heads of housing to discuss pressures, budgets and "
        "regulation candidly.",
    ),
    CommunityTheme(
        "Care market shaping",
        Visibility.PRIVATE,
        ("care market shaping", "adult social care"),
        "Commissioners discussing fee rates, provider failure and market sustainability plans.",
    ),
    CommunityTheme(
        "Business rates reliefs and appeals",
        Visibility.PRIVATE,
        ("business rates",),
        "Revenues teams comparing relief schemes and appeals ahead of each revaluation.",
    ),
    CommunityTheme(
        "Early help leads",
        Visibility.PRIVATE,
        ("early help", "safeguarding children"),
        "Early help managers sharing case studies, family hubs practice and outcomes data.",
    ),
    CommunityTheme(
        "Public health commissioners",
        Visibility.PRIVATE,
        ("public health",),
        "Commissioners of public health services: contracts, grant conditions and needs "
        "assessments.",
    ),
    CommunityTheme(
        "Cyber incident response",
        Visibility.HIDDEN,
        ("cyber security",),
        "Security leads sharing indicators, incident lessons and exercise scenarios. "
        "Membership by invitation.",
    ),
    CommunityTheme(
        "Safeguarding practice reviews",
        Visibility.HIDDEN,
        ("safeguarding children", "early help"),
        "Learning from local child safeguarding practice reviews before publication.",
    ),
    CommunityTheme(
        "Budget pressures peer support",
        Visibility.HIDDEN,
        ("council tax support", "business rates", "fair debt recovery"),
        "Finance leads supporting each other through in-year overspends and savings plans.",
    ),
    CommunityTheme(
        "Housing ombudsman casework",
        Visibility.HIDDEN,
        ("damp and mould", "housing allocations"),
        "Complaint handlers comparing ombudsman determinations and remedies before "
        "they are published.",
    ),
]

# The large network adds regional chapters of the themes, which keeps every name (and slug) unique.
REGIONAL_CHAPTER_FORMAT = "{theme} ({region})"
REGIONAL_DESCRIPTION = " A regional chapter for {region}."


# Practice: case studies as councils write them up for each other. The large network tells each
# story again for other councils, under their names and with their own figures.


def _md(text: str) -> str:
    """Markdown wrapped to fit this file, stored as a person types it: one line per paragraph
    and per list item."""
    blocks = []
    for block in textwrap.dedent(text).strip().split("\n\n"):
        lines: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            if lines and not re.match(r"- |\d+\. ", line):
                lines[-1] += " " + line
            else:
                lines.append(line)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


@dataclass(frozen=True)
class Measure:
    label: str
    before: float
    after: float
    unit: str


@dataclass(frozen=True)
class PracticeStory:
    """One case study. Its texts may use {organisation}, {place} and the figures of its measures
    as {before0}, {after0}, {before1}..., so the prose always agrees with the measured figures."""

    title: str
    earlier_title: str  # what the authors first called it, kept in the revision history
    service_area: Area
    topics: tuple[str, ...]
    measures: tuple[Measure, ...]
    summary: str  # two sentences: an earlier revision has only the first
    challenge: str
    approach: str
    outcomes: str
    cost: str
    lessons: str


PRACTICE_STORIES = [
    PracticeStory(
        title="A weekly move-on panel that shortened stays in temporary accommodation",
        earlier_title="Move-on panel for temporary accommodation",
        service_area=Area.HOUSING,
        topics=("temporary accommodation", "homelessness prevention"),
        measures=(
            Measure("Average days in temporary accommodation", 94, 61, "days"),
            Measure("Families in bed and breakfast beyond six weeks", 23, 4, "families"),
        ),
        summary="{organisation} brought housing options, allocations and private-sector lettings "
        "into one room every Tuesday to agree a move-on route for each household in temporary "
        "accommodation. Average stays fell from {before0} to {after0} days within a year.",
        challenge=_md("""
            Temporary accommodation spending had doubled in three years and families were
            staying in bed and breakfast far beyond the six-week limit. Each team held part of
            the picture: housing options knew the household, allocations knew the bidding
            position and the private-sector team knew which landlords had vacancies, but nobody
            owned the move-on plan.

            Caseworkers spent their time on placements and emergencies. Households that could
            have moved quickly waited because nobody had asked them about areas outside their
            first choice.
        """),
        approach=_md("""
            We set up a weekly panel with one rule: nobody leaves the room without a named next
            step for every household on the list.

            - A shared list, sorted by days in placement, with one line per household and the
              barrier to moving on.
            - Allocations brought direct offers for households with high priority and no
              successful bids.
            - The private-sector lettings team matched households to landlords offering a
              tenancy of at least twelve months, with a deposit and rent in advance from the
              prevention budget.
            - Families in bed and breakfast stayed at the top of the list until they moved.
        """),
        outcomes=_md("""
            Within twelve months average stays fell from {before0} to {after0} days, and
            families in bed and breakfast beyond six weeks fell from {before1} to {after1}. The
            panel also exposed cases that had stalled for months over a single missing document.

            Staff say the biggest change is that a stalled case now has an owner by the end of
            Tuesday.
        """),
        cost=_md("""
            About a day of officer time a week across three teams. Deposits and rent in advance
            came to roughly £140,000 in the first year, against a fall in nightly-paid
            accommodation spending of a little over £600,000.
        """),
        lessons=_md("""
            - Sort the list by time in placement, not by who chases hardest.
            - Invite someone from allocations who can make a direct offer in the room.
            - Record the barrier for each household; the same three account for most delays.
        """),
    ),
    PracticeStory(
        title="Inspecting every damp and mould report within three working days",
        earlier_title="Damp and mould triage",
        service_area=Area.HOUSING,
        topics=("damp and mould",),
        measures=(
            Measure("Days from report to inspection", 19, 3, "days"),
            Measure("Repeat reports from the same home within a year", 31, 12, "%"),
        ),
        summary="{organisation} took damp and mould out of the general repairs queue and gave it "
        "a triage line answered by surveyors. Reports are inspected within three working days "
        "and severe cases are fixed the same week.",
        challenge=_md("""
            Damp and mould reports went into the general repairs queue and waited an average of
            {before0} days for an inspection. Tenants were told to open windows and wipe
            surfaces, and many reported the same problem again the following winter.

            After a critical ombudsman finding against another landlord, our board asked how
            quickly we would know about a child living in a mouldy home. We could not answer.
        """),
        approach=_md("""
            We treated damp and mould as a health risk rather than a repair.

            - A dedicated phone line and online form, answered by two surveyors rather than the
              contact centre.
            - Three categories with fixed timescales: severe (inspect in one day, fix in five),
              moderate (inspect in three days) and minor (advice visit within ten days).
            - Every inspection records the cause, not just the symptom: leaking gutters, failed
              extractor fans, overcrowding or condensation.
            - A follow-up call six weeks after the repair, and a revisit if the mould is back.
        """),
        outcomes=_md("""
            Time from report to inspection fell from {before0} to {after0} days. Repeat reports
            from the same home within a year fell from {before1}% to {after1}%, mostly because
            the team now fixes ventilation rather than treating the walls.

            The cause data turned out to be the most useful part: a third of severe cases were
            in one block type, which is now in the capital programme.
        """),
        cost=_md("""
            Two additional surveyors (about £95,000 a year with on-costs) and £60,000 for
            extractor fans and humidity sensors in the first year. Disrepair claims fell by
            enough to cover most of it.
        """),
        lessons=_md("""
            - Record the cause of every case; it turns reactive repairs into a programme.
            - Tenants trust a surveyor on the phone more than a scripted call.
            - Make the six-week call. It is where you find the repairs that did not work.
        """),
    ),
    PracticeStory(
        title="Homelessness prevention that starts when the landlord's notice arrives",
        earlier_title="Early prevention for private renters",
        service_area=Area.HOUSING,
        topics=("homelessness prevention", "private rented sector"),
        measures=(
            Measure("Prevention cases ending in a secured home", 48, 67, "%"),
            Measure("Households approaching us after eviction day", 210, 95, "households a year"),
        ),
        summary="{organisation} asked private renters to contact the council the day a notice "
        "arrives, and gave its prevention officers the means to negotiate with landlords. More "
        "cases now end with the household keeping or finding a home before the crisis.",
        challenge=_md("""
            Most private renters came to us on or after the day they had to leave, when the only
            option left was emergency accommodation. Prevention work, where it happened at all,
            was squeezed into the last week of a two-month notice.

            Landlords told us they issued notices as a last resort and would often have kept a
            tenant if someone had helped with the arrears or the repairs dispute earlier.
        """),
        approach=_md("""
            We moved the front door forward.

            - Letters, a short film and advice-agency referrals all carried one message: call
              us the day you get a notice.
            - A landlord liaison officer who could offer to clear arrears, mediate or fund
              repairs in exchange for a six-month extension.
            - A prevention fund with delegated limits, so officers could agree a payment on the
              phone.
            - A weekly review of every open prevention case approaching its end date.
        """),
        outcomes=_md("""
            The share of prevention cases ending in a secured home rose from {before0}% to
            {after0}%, and households approaching us after their eviction date fell from
            {before1} to {after1} a year.

            Landlords now refer tenants to us themselves, which we did not expect.
        """),
        cost=_md("""
            The landlord liaison post costs about £42,000 a year. The prevention fund spent
            £85,000, under £700 for each household helped, against several thousand pounds for a
            typical stay in temporary accommodation.
        """),
        lessons=_md("""
            - The date the notice arrived is the most valuable fact in the case; ask for it first.
            - Give officers spending authority, or every negotiation waits for a manager.
            - Landlords respond to a named person who answers the phone.
        """),
    ),
    PracticeStory(
        title="A lettings policy review that ended years of hopeless bidding",
        earlier_title="Choice-based lettings review",
        service_area=Area.HOUSING,
        topics=("housing allocations",),
        measures=(
            Measure("Average bids per household before an offer", 38, 14, "bids"),
            Measure("Offers refused", 27, 16, "%"),
        ),
        summary="{organisation} rewrote its allocations policy after finding that most people on "
        "the register had no realistic chance of an offer. Applicants now see their likely wait, "
        "and fewer offers are refused.",
        challenge=_md("""
            The housing register had grown to more than eight thousand households, most of them
            in the lowest band. They bid every week for homes they could never win, and staff
            spent hours answering questions about bidding positions.

            Meanwhile households in urgent need refused offers in the wrong area, and homes
            stood empty while the next bidder was found.
        """),
        approach=_md("""
            We reviewed the policy with applicants, staff and councillors over six months.

            - Closed the lowest band to new applicants and pointed them to housing advice.
            - Showed every applicant the average wait for their band and property size, updated
              monthly.
            - Let urgent cases name three areas, with a direct offer after eight weeks of
              unsuccessful bidding.
            - Viewed properties with applicants before the formal offer, to catch refusals early.
        """),
        outcomes=_md("""
            Average bids before an offer fell from {before0} to {after0}, and refusals from
            {before1}% to {after1}% of offers. The register is smaller and more honest about
            what it can do.

            Calls about bidding positions have almost stopped now that the likely wait is on
            each applicant's own page.
        """),
        cost=_md("""
            Existing staff time and about £25,000 of changes to the lettings system.
            Consultation took longer than the build.
        """),
        lessons=_md("""
            - Publishing likely waiting times is uncomfortable, and it works.
            - Councillors need to hear from applicants before they will close a band.
            - Accompanied viewings cost little and prevent most avoidable refusals.
        """),
    ),
    PracticeStory(
        title="In-cab reporting that settles missed bin disputes at the kerb",
        earlier_title="In-cab technology for collection crews",
        service_area=Area.WASTE,
        topics=("missed bin collections",),
        measures=(
            Measure("Missed collections per 100,000", 86, 41, ""),
            Measure("Missed bin complaints per month", 210, 95, "complaints"),
        ),
        summary="{organisation} gave every collection crew a tablet to record bins not put out, "
        "blocked roads and contamination as they happen. Contact centre staff now see what "
        "happened at a property before they promise a return visit.",
        challenge=_md("""
            Every missed bin report triggered a return visit, whether or not the bin had been put
            out. Crews and residents disagreed about what happened, and the contact centre had no
            way to tell.

            Return visits took a vehicle off its round most afternoons, which caused more missed
            collections the next day.
        """),
        approach=_md("""
            We fitted tablets to every refuse and recycling vehicle and redesigned the missed bin
            report around what they record.

            - Crews tap one of six reasons at the property: not presented, blocked access,
              contaminated, overweight, damaged bin or missed by us.
            - The online form checks the crew record first and tells the resident what happened,
              with a photo where there is one.
            - Return visits are booked only for collections we genuinely missed.
            - Round managers take streets with repeated blocked access to the parking team.
        """),
        outcomes=_md("""
            Missed collections fell from {before0} to {after0} per 100,000, and complaints from
            {before1} to {after1} a month. Crews say the photographs have ended most arguments on
            the doorstep.

            A handful of streets caused a large share of blocked-access reports; parking
            restrictions on collection day fixed most of them.
        """),
        cost=_md("""
            Tablets, mounts and licences cost about £180,000 over four years for 32 vehicles.
            Fewer return visits freed roughly one vehicle and crew a day.
        """),
        lessons=_md("""
            - Let the crews choose the reasons; they will not use a list they did not write.
            - Show residents the evidence before they submit a report, not after.
            - Expect a dip in the first month while crews get used to the tablets.
        """),
    ),
    PracticeStory(
        title="Door-knocking the streets where food waste caddies stayed empty",
        earlier_title="Food waste participation campaign",
        service_area=Area.WASTE,
        topics=("food waste collection", "recycling contamination"),
        measures=(
            Measure("Households setting out a food caddy", 31, 52, "%"),
            Measure("Food waste collected per week", 38, 61, "tonnes"),
        ),
        summary="{organisation} used crews' participation counts to find the streets with the "
        "lowest food waste take-up and sent advisers to talk to residents on the doorstep. "
        "Participation rose sharply where leaflets had made no difference.",
        challenge=_md("""
            Weekly food waste collections had been running for a year, but only {before0}% of
            households set out a caddy. Two leaflet campaigns had made no measurable difference.

            Waste analysis showed that food was still about a third of what went into general
            waste bins, at a disposal cost far above that of anaerobic digestion.
        """),
        approach=_md("""
            We stopped mailing everyone and went to the streets where participation was lowest.

            - Crews recorded caddies set out on three consecutive weeks, building a street map.
            - Four temporary advisers knocked on doors in the lowest-scoring streets in the early
              evening.
            - Advisers carried liners and spare caddies and fixed practical problems on the spot:
              lost caddies, smells, foxes, nowhere to keep the kitchen caddy.
            - Stickers on general waste bins in those streets said that food goes in the caddy.
        """),
        outcomes=_md("""
            Participation in the targeted streets rose from {before0}% to {after0}%, and food
            waste collected from {before1} to {after1} tonnes a week. Contamination of the food
            waste stayed low.

            The most common reason for not taking part was simply not having a caddy any more.
        """),
        cost=_md("""
            Four advisers for twelve weeks, with a stock of caddies and liners, cost about
            £48,000. Lower disposal costs for general waste repay it in well under a year.
        """),
        lessons=_md("""
            - Measure participation street by street before spending on communications.
            - Carry the kit: a spare caddy solves more problems than a conversation.
            - Evening visits reach working households that daytime visits miss.
        """),
    ),
    PracticeStory(
        title="Clearing fly-tipping hotspots and keeping them clear",
        earlier_title="Fly-tipping hotspot project",
        service_area=Area.WASTE,
        topics=("fly-tipping", "street cleansing"),
        measures=(
            Measure("Fly-tipping reports at the twelve hotspots per quarter", 340, 150, "reports"),
            Measure("Fixed penalty notices issued per year", 12, 71, "notices"),
        ),
        summary="{organisation} picked its twelve worst fly-tipping sites and combined fast "
        "clearance, deployable cameras and visible enforcement. Reports at those sites more than "
        "halved in a year.",
        challenge=_md("""
            A few alleys and lay-bys accounted for a large share of fly-tipping reports. Street
            cleansing cleared them quickly, which mostly taught people that they were free tips.

            Enforcement officers rarely found evidence in the waste, and fixed penalties were so
            rare that nobody believed in them.
        """),
        approach=_md("""
            We treated each hotspot as a small project with its own plan.

            - Clearance within 24 hours, then changes to the site: gates, lighting, planting or
              fencing where the landowner agreed.
            - Deployable cameras rotated between sites, with signs saying so.
            - Enforcement officers searched every deposit before clearance and interviewed anyone
              linked to the waste.
            - Every fixed penalty publicised with the street name and the amount.
        """),
        outcomes=_md("""
            Reports at the twelve sites fell from {before0} to {after0} a quarter, and fixed
            penalties rose from {before1} to {after1} a year. Displacement to nearby streets was
            smaller than we feared.

            Gating two alleys with the residents' agreement did more than any camera.
        """),
        cost=_md("""
            Six deployable cameras cost £21,000 and changes to the sites about £35,000. Officer
            time came from the existing enforcement team, refocused on the hotspots.
        """),
        lessons=_md("""
            - Search before you clear; once the waste is gone, so is the evidence.
            - Publicity about penalties matters as much as the penalties.
            - Agree the changes to a site with its landowner before the first clearance.
        """),
    ),
    PracticeStory(
        title="Carers' conversations in place of a forty-page assessment",
        earlier_title="New approach to carers' assessments",
        service_area=Area.ADULT_SOCIAL_CARE,
        topics=("unpaid carers", "adult social care"),
        measures=(
            Measure("Carers known to the council", 2100, 3400, "carers"),
            Measure("Wait for a carer's assessment", 11, 3, "weeks"),
        ),
        summary="{organisation} replaced its long carer's assessment form with a guided "
        "conversation run by a local carers' organisation. More carers come forward, they wait "
        "less, and most leave with practical help on the day.",
        challenge=_md("""
            Our carer's assessment ran to forty pages and took weeks to arrange. Many carers
            dropped out before it started, and those who finished often received only a leaflet.

            The census suggested that we knew about a fraction of the unpaid carers in the area.
        """),
        approach=_md("""
            We redesigned the process with carers, around what they said they needed.

            - A conversation guide with five questions, checked against our Care Act duties,
              replaced the form.
            - Conversations delegated to a local carers' organisation, with social work oversight
              for complex cases.
            - A small budget the worker can spend on the day: a break, a gym pass, a washing
              machine.
            - GP practices and pharmacies asked to refer anyone they recognise as a carer.
        """),
        outcomes=_md("""
            Carers known to us rose from {before0} to {after0}, and the wait for a conversation
            fell from {before1} weeks to {after1}. Carers rate the conversation far above the old
            assessment.

            Most carers asked for information and a break, not services; the budget covered that.
        """),
        cost=_md("""
            The contract with the carers' organisation is £210,000 a year, including the budget
            for the day. Social work time spent on carers' assessments fell by about a third.
        """),
        lessons=_md("""
            - Check the conversation guide with your legal team early.
            - A small budget spent on the day builds more trust than a package weeks later.
            - Pharmacies are good at spotting carers; give them an easy way to refer.
        """),
    ),
    PracticeStory(
        title="Reablement that starts on the day someone leaves hospital",
        earlier_title="Same-day reablement after discharge",
        service_area=Area.ADULT_SOCIAL_CARE,
        topics=("hospital discharge", "reablement"),
        measures=(
            Measure("People home within a day of being medically fit", 54, 78, "%"),
            Measure("People needing no ongoing care after reablement", 49, 63, "%"),
        ),
        summary="{organisation} and the local hospital trust moved reablement assessments onto "
        "the wards and start support at home on the day of discharge. More people get home "
        "quickly, and more need no long-term care afterwards.",
        challenge=_md("""
            People who were medically fit to leave waited days in hospital for a reablement
            assessment and a start date. Every day in bed cost them strength, and many who might
            have recovered fully ended up with a long-term package of care.

            Hospital and council staff each blamed the other's process for the delay.
        """),
        approach=_md("""
            We built a joint discharge team and took out the handoffs.

            - Therapists and reablement officers based on the wards, assessing before the person
              is declared fit.
            - One referral shared by the trust and the council, with no separate council form.
            - Reablement workers meet people at home on the day of discharge, with equipment
              delivered that morning.
            - A fifteen-minute call every day between the wards, the team and the equipment
              service.
        """),
        outcomes=_md("""
            People going home within a day of being medically fit rose from {before0}% to
            {after0}%. Those needing no ongoing care after six weeks of reablement rose from
            {before1}% to {after1}%.

            The daily call did more than the new form: problems surface before they become delays.
        """),
        cost=_md("""
            The joint team costs about £380,000 a year from the better care fund, largely offset
            by fewer long-term care packages.
        """),
        lessons=_md("""
            - Assess on the ward before the person is medically fit, not after.
            - Equipment delays undo everything else; put the equipment service on the daily call.
            - Agree one set of figures with the trust and report them together.
        """),
    ),
    PracticeStory(
        title="An open-book fee review with home care providers",
        earlier_title="Home care fee review",
        service_area=Area.ADULT_SOCIAL_CARE,
        topics=("care market shaping", "adult social care"),
        measures=(
            Measure("Home care hours handed back by providers per month", 1800, 450, "hours"),
            Measure("Providers on the framework", 19, 24, "providers"),
        ),
        summary="{organisation} set its home care fee by examining providers' actual costs with "
        "them instead of uplifting last year's rate. Providers stopped handing back packages and "
        "several new ones joined the framework.",
        challenge=_md("""
            Providers were handing back packages of care because they could not recruit care
            workers at the hourly rate we paid. Hospital discharges stalled while brokers
            searched for a provider.

            Each year's uplift was a negotiation over a percentage, and neither side trusted the
            other's numbers.
        """),
        approach=_md("""
            We asked providers to open their books and opened ours.

            - An independent cost-of-care exercise, with providers submitting actual wage, travel
              and training costs.
            - A fee model published in full, so any provider can check how the rate is built.
            - A higher rate for rural rounds, where travel time made packages unviable.
            - Quarterly provider forums with the director to review the model and the market.
        """),
        outcomes=_md("""
            Hours handed back fell from {before0} to {after0} a month, and the framework grew
            from {before1} to {after1} providers. Care workers' pay in the area rose above the
            local supermarket rate for the first time.

            The rural rate solved a problem we had tried to fix with block contracts for years.
        """),
        cost=_md("""
            The new rate added about £2.6 million a year to the home care budget. Some of it came
            back through fewer delayed discharges and less spot purchasing at premium rates.
        """),
        lessons=_md("""
            - Publish the fee model; openness did more for trust than the rate itself.
            - Bring finance to the provider forums, so the numbers are agreed once.
            - Rural travel costs need their own line, not an average.
        """),
    ),
    PracticeStory(
        title="Independent travel training for young people with SEND",
        earlier_title="Travel training pilot",
        service_area=Area.CHILDRENS_SERVICES,
        topics=("SEND transport", "education health and care plans"),
        measures=(
            Measure("Young people travelling independently", 0, 46, "young people"),
            Measure("Yearly transport cost for each trained young person", 8200, 1900, "£"),
        ),
        summary="{organisation} trains young people with special educational needs to travel "
        "to school and college by bus and train. Dozens now travel on their own, gaining "
        "confidence and costing far less than a taxi.",
        challenge=_md("""
            Home-to-school transport for children with special educational needs was the
            fastest-growing budget in the council. Young people who could learn to travel alone
            were carried in taxis until they left education, and many then struggled to get to
            work or college.

            Parents were understandably worried about safety, and schools had no time to teach
            travel.
        """),
        approach=_md("""
            We set up a small travel training team working with schools and families.

            - Referrals from annual reviews of education, health and care plans, from age 14.
            - One-to-one training on the real route, from shadowing to following at a distance
              to travelling alone.
            - A phone number the young person can call during the first term.
            - A guarantee that transport comes back if independent travel does not work out.
        """),
        outcomes=_md("""
            {after0} young people now travel independently, and the yearly transport cost for
            each fell from £{before1} to £{after1}, mostly a bus pass. Families describe the
            change in confidence as the main benefit.

            No family used the guarantee, but most said they would not have agreed without it.
        """),
        cost=_md("""
            Three travel trainers cost about £110,000 a year. Transport savings paid for the team
            within eighteen months.
        """),
        lessons=_md("""
            - Start with families, not budgets; parents hear talk of savings immediately.
            - Train on the real route at the real time of day.
            - Put the offer into every annual review, so it is considered for everyone.
        """),
    ),
    PracticeStory(
        title="Writing draft EHC plans with families in the room",
        earlier_title="Co-produced EHC plan drafting",
        service_area=Area.CHILDRENS_SERVICES,
        topics=("education health and care plans",),
        measures=(
            Measure("EHC plans issued within 20 weeks", 38, 71, "%"),
            Measure("Appeals to the tribunal per year", 64, 41, "appeals"),
        ),
        summary="{organisation} replaced emailed drafts going back and forth with one planning "
        "meeting where the family, school and caseworker write the draft together. More plans "
        "are issued on time and fewer go to appeal.",
        challenge=_md("""
            Education, health and care plans were written by caseworkers from professional
            reports and sent to families for comment. Drafts went back and forth for weeks, and
            families often received a plan that did not sound like their child.

            Only {before0}% of plans were issued within the twenty-week limit, and appeals were
            rising.
        """),
        approach=_md("""
            We moved the writing into one meeting.

            - A two-hour planning meeting in week twelve, with the family, school and caseworker.
            - Reports summarised in advance into outcomes and provision, so the meeting can
              focus on what the child needs.
            - The draft written on screen during the meeting, in the family's words where
              possible.
            - Support from the parent carer forum for families who want it.
        """),
        outcomes=_md("""
            Plans issued within twenty weeks rose from {before0}% to {after0}%, and appeals fell
            from {before1} to {after1} a year. Families tell us the plans read as if someone had
            listened.

            Caseworkers were sceptical at first and are now its strongest advocates.
        """),
        cost=_md("""
            Training for twenty caseworkers and a facilitation budget cost about £30,000. Fewer
            appeals saved legal and officer time worth considerably more.
        """),
        lessons=_md("""
            - Prepare the summary of reports properly; the meeting fails without it.
            - Offer families support from the parent carer forum, not only from the council.
            - Protect caseworkers' diaries for planning meetings, or demand swallows them.
        """),
    ),
    PracticeStory(
        title="One front door for early help requests from schools",
        earlier_title="Early help front door",
        service_area=Area.CHILDRENS_SERVICES,
        topics=("early help", "safeguarding children"),
        measures=(
            Measure("Days from request to first contact", 16, 4, "days"),
            Measure("Re-referrals within twelve months", 24, 17, "%"),
        ),
        summary="{organisation} gave schools one number and a named practitioner for early "
        "help requests, replacing three referral forms. Families are contacted within days and "
        "fewer come back within the year.",
        challenge=_md("""
            Schools had three forms to request early help, depending on the need, and often sent
            the same family to all three. Requests waited in separate queues, and families were
            contacted by several workers who did not know about each other.

            Designated safeguarding leads told us they had stopped referring because nothing
            seemed to happen.
        """),
        approach=_md("""
            We built one front door with the schools.

            - One phone line and form, answered by early help practitioners who can advise on
              the spot.
            - A named practitioner for each school, visiting once a half-term.
            - A daily triage meeting with children's social care, so requests that need a
              statutory response move across within a day.
            - Feedback to the school on every request within five days.
        """),
        outcomes=_md("""
            Time from request to first contact fell from {before0} to {after0} days, and
            re-referrals within a year from {before1}% to {after1}%. Schools' confidence in early
            help rose sharply in the annual survey.

            Half of all calls were resolved with advice to the school, without a referral.
        """),
        cost=_md("""
            Two additional practitioners, about £80,000 a year, funded by merging the three
            previous referral teams.
        """),
        lessons=_md("""
            - Feedback to the school is what rebuilds trust; make it a fixed step.
            - Advice on the phone is a real outcome; count it.
            - Put social care in the daily triage, not at the end of another referral.
        """),
    ),
    PracticeStory(
        title="Clearing a planning enforcement backlog with a priority matrix",
        earlier_title="Planning enforcement backlog",
        service_area=Area.PLANNING,
        topics=("planning enforcement", "building control"),
        measures=(
            Measure("Open enforcement cases", 612, 288, "cases"),
            Measure("Median days to first site visit", 45, 12, "days"),
        ),
        summary="{organisation} scored every open enforcement complaint for harm and urgency, "
        "closed cases with no breach quickly and put officers' time into the serious ones. The "
        "backlog halved in nine months.",
        challenge=_md("""
            More than six hundred enforcement cases were open, some for years. Officers worked
            on whichever complainant had chased most recently, and serious breaches waited
            behind minor ones.

            Councillors received a steady flow of complaints about enforcement, and the team's
            morale was low.
        """),
        approach=_md("""
            We published a local enforcement plan and applied it to every case.

            - A matrix scoring harm (to listed buildings, trees, neighbours, safety) and urgency.
            - A desk check of every case before a visit, closing those with no breach or where
              permission had since been granted.
            - Visit timescales for each priority, reported monthly to the planning committee.
            - Letters explaining what the council can and cannot do.
        """),
        outcomes=_md("""
            Open cases fell from {before0} to {after0}, and the median time to a first visit
            from {before1} to {after1} days. Formal notices on serious breaches increased,
            because officers finally had time for them.

            Complaints to councillors fell once complainants received a clear letter.
        """),
        cost=_md("""
            A temporary officer for six months to run the desk review, about £26,000. The rest
            came from existing staff working differently.
        """),
        lessons=_md("""
            - Close the cases with no breach first; it gives everyone room to breathe.
            - Publish the matrix, so complainants know why their case is ranked where it is.
            - Report timescales to committee monthly; it keeps the approach going.
        """),
    ),
    PracticeStory(
        title="A habitat bank on council farmland for biodiversity net gain",
        earlier_title="Council habitat bank",
        service_area=Area.PLANNING,
        topics=("biodiversity net gain", "local plan"),
        measures=(
            Measure("Biodiversity units available to developers", 0, 140, "units"),
            Measure("Applications stalled for lack of off-site units", 23, 3, "applications"),
        ),
        summary="{organisation} turned two tenanted farms into a habitat bank that sells "
        "biodiversity units to developers who cannot meet net gain on site. Small developers no "
        "longer stall for lack of units, and sales fund thirty years of management.",
        challenge=_md("""
            Mandatory biodiversity net gain left small developers unable to find off-site units
            nearby. Applications stalled, and units bought far away did nothing for nature here.

            The council owned farmland of low agricultural value beside a river corridor named
            in the local nature recovery strategy.
        """),
        approach=_md("""
            We created a habitat bank with the tenant farmers.

            - Baseline surveys and a management plan for wetland, grassland and hedgerows.
            - A legal agreement securing management for thirty years, with the farmers paid to
              do the work.
            - A published price per unit and a simple purchase process for developers.
            - Monitoring reports every two years, published on our website.
        """),
        outcomes=_md("""
            The bank created {after0} biodiversity units, and applications stalled for lack of
            off-site units fell from {before1} to {after1}. Unit sales cover management and
            monitoring for the full thirty years.

            The farmers have become advocates, and a neighbouring estate has asked to join.
        """),
        cost=_md("""
            About £160,000 for surveys, legal work and first planting, recovered from unit sales
            within two years.
        """),
        lessons=_md("""
            - Involve your estates team and the tenants from the start; the land deal is the
              hard part.
            - Publish the price; developers value certainty more than a discount.
            - Budget for monitoring for all thirty years, not just the first five.
        """),
    ),
    PracticeStory(
        title="School streets made permanent after an eighteen-month trial",
        earlier_title="School streets trial",
        service_area=Area.HIGHWAYS,
        topics=("active travel", "public health"),
        measures=(
            Measure("Pupils walking, cycling or scooting to school", 48, 63, "%"),
            Measure("Vehicles in the street at drop-off", 117, 19, "vehicles"),
        ),
        summary="{organisation} closed the roads outside six primary schools to through traffic "
        "at the start and end of the school day under experimental orders. After eighteen months "
        "of monitoring, all six became permanent.",
        challenge=_md("""
            Parents and head teachers complained about dangerous parking and idling engines
            outside primary schools. Air quality monitoring showed peaks at drop-off and
            pick-up.

            Parking enforcement and banners had made no lasting difference.
        """),
        approach=_md("""
            We trialled school streets under experimental traffic orders.

            - Six schools whose head teachers wanted to take part.
            - Timed closures with signs and, at two schools, number plate cameras.
            - Exemptions for residents, blue badge holders and carers of disabled pupils.
            - Traffic counts, air quality monitoring and surveys before the trial and every term.
        """),
        outcomes=_md("""
            Pupils walking, cycling or scooting rose from {before0}% to {after0}%, and vehicles
            in the street at drop-off fell from {before1} to {after1}. Nitrogen dioxide at the
            school gates fell measurably.

            Opposition came mainly from a few residents of neighbouring roads; monitoring showed
            little displacement.
        """),
        cost=_md("""
            About £15,000 a school for signs, cameras at two sites and monitoring, funded by an
            active travel grant.
        """),
        lessons=_md("""
            - An experimental order lets you learn in public and adjust before deciding.
            - Volunteer marshals burn out; plan for cameras from the start.
            - Share the monitoring with residents every term.
        """),
    ),
    PracticeStory(
        title="Fault reports that tell residents what happens next",
        earlier_title="Highways fault reporting redesign",
        service_area=Area.HIGHWAYS,
        topics=("service design",),
        measures=(
            Measure("Duplicate reports of the same fault", 41, 12, "%"),
            Measure("Calls chasing a reported fault per month", 1300, 420, "calls"),
        ),
        summary="{organisation} rebuilt its pothole and streetlight reporting so residents see "
        "existing reports on a map and hear as a fault moves through inspection and repair. "
        "Duplicate reports and chasing calls fell sharply.",
        challenge=_md("""
            Residents reported potholes and broken streetlights through a form that disappeared
            into the highways system. They heard nothing until the repair, or never, so they
            reported again or phoned.

            Inspectors spent time visiting faults that had been logged several times already.
        """),
        approach=_md("""
            We did user research with residents and inspectors before changing anything.

            - A map of faults already reported, so residents can follow a report instead of
              making a new one.
            - An email at each step: inspected, repair scheduled, repaired, or no repair needed
              with the reason.
            - Plain-English explanations of when a pothole qualifies for repair.
            - Inspectors update the status from a phone on site.
        """),
        outcomes=_md("""
            Duplicate reports fell from {before0}% to {after0}%, and chasing calls from {before1}
            to {after1} a month. Satisfaction with fault reporting rose in the residents' survey,
            even among people whose pothole did not qualify for repair.

            Explaining why a fault will not be repaired matters almost as much as fixing it.
        """),
        cost=_md("""
            About £70,000 for design and integration with the highways asset system, plus two
            months of a user researcher's time.
        """),
        lessons=_md("""
            - Tell people when you will not fix something, and why.
            - Inspectors must update the status on site, or updates lag and trust falls.
            - Test the map with older residents; ours needed a text alternative.
        """),
    ),
    PracticeStory(
        title="Health checks in the places men already go",
        earlier_title="Community health checks for men",
        service_area=Area.PUBLIC_HEALTH,
        topics=("public health",),
        measures=(
            Measure("Health checks completed by men aged 40 to 74 per year", 1900, 2750, "checks"),
            Measure("Men referred on with raised blood pressure", 140, 310, "men"),
        ),
        summary="{organisation} took health checks to the football ground, barbers, workplaces "
        "and the market, where men who never book a GP appointment already spend time. Uptake "
        "rose and many men were referred for untreated high blood pressure.",
        challenge=_md("""
            Men, especially in our most deprived wards, took up health checks far less than
            women. Invitation letters from GP practices were ignored.

            Heart disease and stroke account for much of the gap in life expectancy between the
            most and least deprived parts of the area.
        """),
        approach=_md("""
            We commissioned an outreach service to run checks where men are.

            - Sessions at the football club on match days, three barbers, two large employers
              and the weekly market.
            - Checks without appointment, taking twenty minutes, with results explained there
              and then.
            - Direct referral to the GP practice for raised blood pressure or cholesterol, with
              a follow-up call.
            - Staff recruited from the communities they work in.
        """),
        outcomes=_md("""
            Checks completed by men aged 40 to 74 rose from {before0} to {after0} a year, and
            referrals for raised blood pressure from {before1} to {after1}. Most of those
            referred had not seen a GP for over two years.

            The barbers were the surprise: regulars brought their friends.
        """),
        cost=_md("""
            The outreach contract costs £190,000 a year from the public health grant, partly
            paid for by sending fewer invitation letters.
        """),
        lessons=_md("""
            - Go where men already are, and do not ask them to book.
            - Follow up every referral by phone; a letter is not enough.
            - Pay venues a small fee; it keeps the sessions on their calendar.
        """),
    ),
    PracticeStory(
        title="Stop smoking support offered at the housing front door",
        earlier_title="Stop smoking support for tenants",
        service_area=Area.PUBLIC_HEALTH,
        topics=("public health", "homelessness prevention"),
        measures=(
            Measure("Referrals from housing staff per year", 40, 520, "referrals"),
            Measure("Four-week quits among social housing tenants per year", 60, 185, "quits"),
        ),
        summary="{organisation} trained housing officers to offer stop smoking support during "
        "tenancy visits and homelessness assessments. Referrals from housing rose more than "
        "tenfold and quits tripled.",
        challenge=_md("""
            Smoking among social housing tenants was more than double the local average, and
            tenants rarely used the stop smoking service. Money spent on tobacco was a common
            factor in rent arrears.

            Housing officers saw these tenants regularly but had never been asked to mention
            smoking.
        """),
        approach=_md("""
            We made a brief conversation part of routine housing work.

            - Half-day training for housing officers in very brief advice: ask, advise, act.
            - A referral button in the housing management system, straight to the stop smoking
              service.
            - Advisers call back within two working days and offer home visits.
            - Free nicotine replacement and vapes for tenants who set a quit date.
        """),
        outcomes=_md("""
            Referrals from housing staff rose from {before0} to {after0} a year, and four-week
            quits among tenants from {before1} to {after1}. Several tenants in arrears told
            officers the money saved went on rent.

            Officers feared the question would damage relationships; tenants did not seem to
            mind.
        """),
        cost=_md("""
            Training and system changes cost about £12,000. Products and adviser time come to
            roughly £95,000 a year from the public health grant.
        """),
        lessons=_md("""
            - A button in the system officers already use beats a leaflet.
            - Call back quickly; motivation fades within days.
            - Share quit stories with housing staff, so they see the point of asking.
        """),
    ),
    PracticeStory(
        title="An income-banded council tax support scheme",
        earlier_title="Banded council tax support",
        service_area=Area.REVENUES,
        topics=("council tax support",),
        measures=(
            Measure("Reassessments after small income changes per month", 4100, 1600, ""),
            Measure("Claims processed within 14 days", 62, 91, "%"),
        ),
        summary="{organisation} replaced its means-tested council tax support scheme with simple "
        "income bands. Small changes in earnings no longer trigger new bills, and claims are "
        "processed much faster.",
        challenge=_md("""
            Universal credit brought a stream of small income changes, each of which triggered a
            reassessment of council tax support and a new bill. Some households received a dozen
            bills a year and gave up paying.

            Processing times grew as staff spent their days on reassessments.
        """),
        approach=_md("""
            We designed and consulted on a banded scheme.

            - Five income bands with a fixed discount for each, adjusted for household size.
            - Reassessment only when income moves into a different band.
            - Universal credit data accepted automatically, without a separate claim form.
            - Modelling of the effect on every current claimant, shared in the consultation.
        """),
        outcomes=_md("""
            Reassessments fell from {before0} to {after0} a month, and claims processed within
            fourteen days rose from {before1}% to {after1}%. Collection from working-age
            claimants improved.

            The consultation drew few objections once the modelling showed who would gain and
            who would lose.
        """),
        cost=_md("""
            Software changes cost about £40,000 and the consultation £8,000. The scheme was
            designed to cost the same as the one it replaced.
        """),
        lessons=_md("""
            - Model the effect on every claimant before consulting, not after.
            - Keep bands wide enough that ordinary ups and downs do not cross them.
            - Accepting universal credit data automatically is where most of the savings are.
        """),
    ),
    PracticeStory(
        title="A fair debt protocol before enforcement agents are instructed",
        earlier_title="Fair debt recovery protocol",
        service_area=Area.REVENUES,
        topics=("fair debt recovery", "council tax support"),
        measures=(
            Measure("Council tax accounts passed to enforcement agents per year", 5400, 2900, ""),
            Measure("In-year council tax collection", 95.1, 95.6, "%"),
        ),
        summary="{organisation} added a breathing-space step before enforcement: a phone call, a "
        "benefits check and an affordable arrangement. Fewer accounts go to enforcement agents, "
        "and collection has held up.",
        challenge=_md("""
            Missed council tax payments moved quickly to a summons and then to enforcement
            agents, adding fees that made debts harder to clear. Many of the households involved
            were entitled to support they were not claiming.

            Advice agencies described the council as one of the most aggressive creditors their
            clients dealt with.
        """),
        approach=_md("""
            We wrote a fair debt protocol with local advice agencies.

            - A phone call and a text before any summons, offering an arrangement.
            - A check for benefits and discounts on every account in arrears, with claims made
              there and then.
            - Affordable arrangements based on a standard financial statement.
            - Referral to debt advice, with recovery paused while advice is under way.
        """),
        outcomes=_md("""
            Accounts passed to enforcement agents fell from {before0} to {after0} a year, while
            in-year collection moved from {before1}% to {after1}%. Hundreds of households turned
            out to be entitled to council tax support.

            Advice agencies now send clients to us early instead of waiting for the bailiff's
            letter.
        """),
        cost=_md("""
            Two additional officers for the phone work, about £70,000 a year, covered by better
            collection and lower write-offs.
        """),
        lessons=_md("""
            - Check entitlement before pursuing debt; much of the arrears is unclaimed support.
            - Write the protocol with advice agencies, and publish it.
            - Report collection alongside enforcement, so nobody thinks fairness costs income.
        """),
    ),
    PracticeStory(
        title="Household support paid automatically to families we already knew",
        earlier_title="Automatic household support payments",
        service_area=Area.REVENUES,
        topics=("household support fund", "housing benefit"),
        measures=(
            Measure("Days from eligibility to payment", 21, 2, "days"),
            Measure("Share of the fund paid without an application", 0, 64, "%"),
        ),
        summary="{organisation} used its own benefits data to pay household support directly to "
        "eligible families, keeping an application route for everyone else. Most of the fund "
        "reached households within days, without a form.",
        challenge=_md("""
            Our first round of the household support fund used an application form. The
            families in greatest need applied least, and staff spent weeks checking
            applications.

            We already held data showing which households received housing benefit or council
            tax support, had children and had low incomes.
        """),
        approach=_md("""
            We paid automatically where our data showed eligibility.

            - A data protection impact assessment and privacy notice covering the use of
              benefits data.
            - Supermarket vouchers or bank payments sent to eligible households, with a letter
              explaining why.
            - An application route through advice agencies for households we did not know.
            - A reserve for crisis cases referred by schools and social workers.
        """),
        outcomes=_md("""
            The time from eligibility to payment fell from {before0} days to {after0}, and
            {after1}% of the fund reached households without an application. Advice agencies
            could concentrate on people outside our data.

            Very few households queried the payment; the letter explaining it mattered.
        """),
        cost=_md("""
            Administration took under four per cent of the fund, mostly data work and the
            voucher provider's fees.
        """),
        lessons=_md("""
            - Do the data protection work once, properly, and reuse it every round.
            - Keep an application route; automatic payments miss people.
            - A clear letter prevents most calls.
        """),
    ),
    PracticeStory(
        title="Private rented sector inspections led by data, not complaints",
        earlier_title="Data-led private rented sector inspections",
        service_area=Area.ENVIRONMENTAL_HEALTH,
        topics=("private rented sector", "damp and mould"),
        measures=(
            Measure("Category 1 hazards found per 100 inspections", 14, 31, "hazards"),
            Measure("Homes improved after inspection per year", 180, 410, "homes"),
        ),
        summary="{organisation} combined council tax, benefits, complaints and energy data to "
        "find the private rented homes most likely to have serious hazards. Officers now find "
        "far more category 1 hazards per inspection.",
        challenge=_md("""
            Inspections of private rented homes were driven almost entirely by complaints.
            Tenants in the worst conditions, often afraid of eviction, rarely complained.

            Officers spent much of their time on disputes that turned out not to involve a
            serious hazard.
        """),
        approach=_md("""
            We built a simple risk model with our data team.

            - Property age, energy performance, benefit claims, complaints and past enforcement
              combined into a score for each known rented home.
            - Inspections of the highest-scoring streets, with letters to landlords in advance.
            - Complaints still inspected, but triaged by the same risk factors.
            - Landlord forums explaining the approach and the most common failings.
        """),
        outcomes=_md("""
            Category 1 hazards found per hundred inspections rose from {before0} to {after0},
            and homes improved after inspection from {before1} to {after1} a year. Excess cold
            and damp were the most common hazards.

            Some landlords improved their properties as soon as the advance letter arrived.
        """),
        cost=_md("""
            Three months of a data analyst's time and a £15,000 energy data licence. Inspection
            staffing did not change.
        """),
        lessons=_md("""
            - Complaints measure tenants' confidence, not conditions.
            - Explain the approach to landlords before inspecting; it reduces hostility.
            - Refresh the model every six months as the data changes.
        """),
    ),
    PracticeStory(
        title="First-month visits that help new food businesses start well",
        earlier_title="Advisory visits for new food businesses",
        service_area=Area.ENVIRONMENTAL_HEALTH,
        topics=("public health",),
        measures=(
            Measure("New businesses rated 3 or above at first inspection", 71, 88, "%"),
            Measure("Requests for a rescore visit per year", 95, 40, "requests"),
        ),
        summary="{organisation} offers every newly registered food business an advisory visit "
        "within a month of opening, before its first hygiene inspection. More new businesses now "
        "achieve a good rating first time.",
        challenge=_md("""
            New food businesses often had their first hygiene inspection months after opening,
            by which time poor habits were established. Many received a low rating, which hurt
            trade and led to requests for a rescore.

            Officers spent time on rescores that a little early advice would have avoided.
        """),
        approach=_md("""
            We introduced a light-touch first visit.

            - A free advisory visit within a month of registration, separate from the
              inspection.
            - A short checklist of the common failings: allergen information, cleaning schedules
              and temperature records.
            - Guidance translated into the five languages most common among new owners.
            - A follow-up email with templates the business can use straight away.
        """),
        outcomes=_md("""
            New businesses rated 3 or above at first inspection rose from {before0}% to
            {after0}%, and rescore requests fell from {before1} to {after1} a year. Several
            owners said the visit was the first time anyone had explained what the rating meant.

            Allergen information remains the weakest area.
        """),
        cost=_md("""
            About one officer day a week, released by the fall in rescore visits. Translation
            cost £3,000.
        """),
        lessons=_md("""
            - Keep advisory visits clearly apart from enforcement, or owners will not ask
              questions.
            - Translated templates get used; translated leaflets less so.
            - Register new businesses promptly; the visit depends on knowing they exist.
        """),
    ),
    PracticeStory(
        title="Library device lending with a digital buddy",
        earlier_title="Device lending in libraries",
        service_area=Area.LIBRARIES,
        topics=("digital inclusion",),
        measures=(
            Measure("Devices on loan", 0, 420, "devices"),
            Measure("Borrowers able to complete a task online unaided", 18, 58, "%"),
        ),
        summary="{organisation} lends tablets with data from its libraries, paired with weekly "
        "sessions with a volunteer digital buddy. Borrowers gain skills, not just a device.",
        challenge=_md("""
            Around one in eight adults in the area had not used the internet recently, while
            more services moved online. Donated devices had ended up unused in drawers because
            nobody helped people get started.

            Libraries were trusted and local but had never lent anything except books and media.
        """),
        approach=_md("""
            We built a lending scheme around support.

            - Tablets with a data allowance, lent for three months and renewable.
            - Weekly drop-in sessions with volunteer digital buddies in every library.
            - A starter guide to email, video calls, repeat prescriptions and council services.
            - Referrals from social prescribers, job centres and housing officers.
        """),
        outcomes=_md("""
            {after0} devices are on loan, and borrowers able to complete a task online unaided
            rose from {before1}% to {after1}% over their loan. Many went on to buy their own
            device.

            Volunteers are the limit: every new library session fills at once.
        """),
        cost=_md("""
            Devices and data cost about £90,000 in the first year, from a charitable grant.
            Coordinating volunteers takes half of one library officer's time.
        """),
        lessons=_md("""
            - A device without support is a drawer ornament.
            - Recruit volunteers before you advertise the scheme.
            - Make returning easy; a device that comes back can be lent again.
        """),
    ),
    PracticeStory(
        title="Warm spaces that became year-round community hubs",
        earlier_title="Library warm spaces",
        service_area=Area.LIBRARIES,
        topics=("public health", "household support fund"),
        measures=(
            Measure("Weekly visits to the hubs", 900, 2300, "visits"),
            Measure("Referrals to advice services per month", 15, 120, "referrals"),
        ),
        summary="{organisation} kept its winter warm spaces open all year as community hubs, "
        "with advice surgeries, health checks and employment support. Visits more than doubled, "
        "and the hubs connect residents to help they had not asked for.",
        challenge=_md("""
            Libraries opened as warm spaces during a winter of high energy prices, and many
            visitors came back daily. When spring came, regulars asked what would happen next.

            Staff noticed that many visitors were struggling with debt, isolation or their
            health but had not contacted any service.
        """),
        approach=_md("""
            We turned the warm spaces into hubs.

            - A weekly timetable of surgeries from advice, housing, health and employment
              services.
            - Free hot drinks and a host at the door, paid from the household support fund in
              winter.
            - Library staff trained to have a short conversation and refer on.
            - One simple referral form shared by all partners.
        """),
        outcomes=_md("""
            Weekly visits rose from {before0} to {after0}, and referrals to advice services from
            {before1} to {after1} a month. Partners say hub referrals arrive earlier, before
            problems become crises.

            Loneliness, not warmth, was the most common reason for visiting.
        """),
        cost=_md("""
            About £60,000 a year for drinks, hosts and longer opening hours, with partners
            covering their own staff time.
        """),
        lessons=_md("""
            - A host at the door matters more than the timetable.
            - Partners keep coming when the room is full; book them at the busiest times.
            - Count conversations and referrals, not just visits.
        """),
    ),
    PracticeStory(
        title="Fixing the fifty most visited pages for accessibility",
        earlier_title="Website accessibility sprints",
        service_area=Area.DIGITAL,
        topics=("web accessibility", "service design"),
        measures=(
            Measure("Top fifty pages failing WCAG 2.2 AA", 50, 6, "pages"),
            Measure("PDFs on the website", 3400, 900, "PDFs"),
        ),
        summary="{organisation} audited its fifty most visited pages against WCAG 2.2 AA and "
        "fixed them in two-week sprints with the services that own them. Most now pass, and "
        "thousands of old PDFs were replaced or removed.",
        challenge=_md("""
            Our accessibility statement listed hundreds of known failures and promised fixes
            that never came. An audit by disabled residents found that some of the most used
            tasks, such as reporting a missed bin and paying council tax, could not be completed
            with a screen reader.

            Content was owned by dozens of services, each of which assumed the web team would
            fix it.
        """),
        approach=_md("""
            We prioritised by use, not by page count.

            - Analytics to find the fifty most visited pages and the tasks behind them.
            - An audit with disabled testers, not just an automated checker.
            - Two-week sprints pairing a content designer with each owning service.
            - PDFs replaced with web pages where they were forms or guidance, and archived
              otherwise.
        """),
        outcomes=_md("""
            Top pages failing WCAG 2.2 AA fell from {before0} to {after0}, and PDFs on the
            website from {before1} to {after1}. The accessibility statement is now short and
            honest.

            Services that went through a sprint now ask the web team to review new content
            before it goes live.
        """),
        cost=_md("""
            Testing with disabled people cost about £18,000. Content design came from the web
            team, with one temporary content designer for six months.
        """),
        lessons=_md("""
            - Test with disabled people; automated checks found fewer than half our failures.
            - Work with services, not for them, or the problems come back.
            - Start with the most used tasks, not the oldest pages.
        """),
    ),
    PracticeStory(
        title="A ransomware exercise for the whole leadership team",
        earlier_title="Cyber incident exercise",
        service_area=Area.DIGITAL,
        topics=("cyber security",),
        measures=(
            Measure("Hours to restore priority systems in the exercise", 72, 20, "hours"),
            Measure("Critical vulnerabilities open over fourteen days", 37, 5, ""),
        ),
        summary="{organisation} ran a day-long ransomware exercise with directors, "
        "communications, legal and service leads, not just IT. It exposed gaps in our plans "
        "that we have since closed, and recovery in the repeat exercise was far faster.",
        challenge=_md("""
            Our incident response plan was written by the IT team and tested only by the IT
            team. Nobody outside IT knew which services would be restored first, who would speak
            to the media, or how to pay suppliers without the finance system.

            Councils hit by ransomware elsewhere had taken months to recover.
        """),
        approach=_md("""
            We ran an exercise on a realistic scenario.

            - An external facilitator, and a scenario drawn from public accounts of incidents.
            - Directors, service leads, communications, legal, finance and emergency planning in
              the room for a full day.
            - A new development every thirty minutes: a ransom note, a press enquiry, a data
              leak, a care provider unable to get paid.
            - An action plan agreed before anyone left, with owners and dates.
        """),
        outcomes=_md("""
            A year later the repeat exercise restored priority systems in {after0} hours instead
            of {before0}, mainly because the order of restoration had been agreed in advance.
            Critical vulnerabilities open over fourteen days fell from {before1} to {after1}.

            Services now keep paper fallbacks for their most critical processes.
        """),
        cost=_md("""
            The facilitator cost £9,000. The actions that followed, including offline backups,
            cost about £120,000 over two years.
        """),
        lessons=_md("""
            - Put the decision-makers in the room; ransomware is a business problem.
            - Agree the order of restoration before an incident, not during one.
            - Repeat the exercise; the second one shows whether anything changed.
        """),
    ),
    PracticeStory(
        title="Callbacks instead of queues at the contact centre",
        earlier_title="Contact centre callbacks",
        service_area=Area.CUSTOMER_SERVICES,
        topics=("service design",),
        measures=(
            Measure("Average wait to speak to an adviser", 14, 3, "minutes"),
            Measure("Calls abandoned", 22, 6, "%"),
        ),
        summary="{organisation} offers callers a callback at a time they choose instead of a "
        "wait in the queue, and moved staff hours to match demand. Waits and abandoned calls "
        "both fell.",
        challenge=_md("""
            Callers to the contact centre waited up to half an hour at peak times, and more than
            one in five hung up. Many called again and again, adding to the queue.

            Rotas had not changed in years and did not match when people actually called.
        """),
        approach=_md("""
            We changed how calls are handled and when staff work.

            - A callback option after one minute in the queue, at the next free slot or a chosen
              time.
            - Demand analysed by hour and day, and rotas rebuilt around it with staff.
            - The top reasons for calling fixed at source: chasing bins, council tax bills and
              parking permits.
            - A short message at the start of the call about known service problems.
        """),
        outcomes=_md("""
            The average wait fell from {before0} to {after0} minutes, and abandoned calls from
            {before1}% to {after1}%. About a third of callers at peak times choose a callback.

            Fixing the top reasons for calling reduced demand more than any change to the queue.
        """),
        cost=_md("""
            The callback module costs £14,000 a year. Rota changes needed three months of
            consultation with staff and unions.
        """),
        lessons=_md("""
            - Find out why people call before you optimise the queue.
            - Design rotas with staff; flexibility has to work both ways.
            - Keep every callback appointment, or people stop choosing it.
        """),
    ),
    PracticeStory(
        title="Blue badge applications redesigned from user research",
        earlier_title="Blue badge service redesign",
        service_area=Area.CUSTOMER_SERVICES,
        topics=("service design", "web accessibility"),
        measures=(
            Measure("Applications returned for missing evidence", 41, 13, "%"),
            Measure("Weeks to a decision", 9, 3, "weeks"),
        ),
        summary="{organisation} redesigned its blue badge application after watching disabled "
        "residents and carers apply. Fewer applications come back for missing evidence, and "
        "decisions are much faster.",
        challenge=_md("""
            Four in ten blue badge applications were returned for missing or unsuitable
            evidence, and a decision took nine weeks on average. Applicants and their carers
            found the form confusing, and many phoned for help.

            Staff spent most of their time chasing evidence instead of making decisions.
        """),
        approach=_md("""
            We watched people apply and redesigned around what we saw.

            - Research sessions with disabled residents, carers and staff, including people
              applying on paper.
            - An online form asking one thing per page, with examples of acceptable evidence.
            - Automatic eligibility for people receiving qualifying benefits, checked by us.
            - Photo upload from a phone, with help for people who cannot provide one.
        """),
        outcomes=_md("""
            Applications returned for missing evidence fell from {before0}% to {after0}%, and the
            time to a decision from {before1} to {after1} weeks. Calls about blue badges halved.

            Carers applying for someone else were the largest group we had not designed for.
        """),
        cost=_md("""
            About £55,000 for research and design, and a small yearly licence for the form
            platform.
        """),
        lessons=_md("""
            - Watch real applications, including paper ones.
            - Show examples of acceptable evidence; missing evidence causes most returns.
            - Design for the carer applying on someone else's behalf.
        """),
    ),
    PracticeStory(
        title="Spending data published weekly, in plain English",
        earlier_title="Weekly spending data",
        service_area=Area.FINANCE,
        topics=("open data",),
        measures=(
            Measure("Freedom of information requests about spending per year", 240, 110, ""),
            Measure("Downloads of the spending data per month", 90, 1400, "downloads"),
        ),
        summary="{organisation} moved from a monthly spreadsheet of spending over £500 to a "
        "weekly open dataset that describes every line in plain English. Requests about spending "
        "fell, and residents and local journalists use the data.",
        challenge=_md("""
            We published spending over £500 monthly in a spreadsheet full of ledger codes that
            nobody outside finance understood. Residents and journalists asked about spending
            through freedom of information requests instead.

            Each request took officer time, often to send data that was already published.
        """),
        approach=_md("""
            We treated the spending data as a product.

            - An automated weekly export from the finance system, with personal data removed.
            - Plain-English descriptions for every service and type of expense.
            - An open dataset with a simple search page and a downloadable file.
            - A named contact for questions about the data.
        """),
        outcomes=_md("""
            Freedom of information requests about spending fell from {before0} to {after0} a
            year, and downloads rose from {before1} to {after1} a month. A local news site runs
            a regular feature built from the data.

            Finance officers now check descriptions before publication, which improved coding.
        """),
        cost=_md("""
            About £20,000 of developer time to automate the export, and a few hours a week of a
            finance officer's time to check descriptions.
        """),
        lessons=_md("""
            - The plain-English descriptions are the product; the file is the easy part.
            - Automate publication, or it slips.
            - Expect questions once people can read the data, and welcome them.
        """),
    ),
    PracticeStory(
        title="A budget consultation residents actually answered",
        earlier_title="Budget simulator consultation",
        service_area=Area.FINANCE,
        topics=("service design", "council tax support"),
        measures=(
            Measure("Budget consultation responses", 420, 2900, "responses"),
            Measure("Responses from people under 35", 8, 27, "%"),
        ),
        summary="{organisation} replaced its budget questionnaire with an online budget "
        "simulator and pop-up sessions in town centres. Responses rose nearly sevenfold and came "
        "from a much wider range of residents.",
        challenge=_md("""
            Our budget consultation received a few hundred responses a year, mostly from older
            residents who always respond. It asked people to rank services without explaining
            the trade-offs.

            Councillors gave the results little weight, and residents felt their views made no
            difference.
        """),
        approach=_md("""
            We asked residents to balance the budget themselves.

            - An online simulator where residents adjust spending and council tax and see the
              effect on services.
            - Pop-up sessions in town centres, the college and two supermarkets, with tablets
              and staff.
            - Plain-English explanations of what each budget line pays for.
            - A published response saying what we changed because of the consultation.
        """),
        outcomes=_md("""
            Responses rose from {before0} to {after0}, and the share from people under 35 from
            {before1}% to {after1}%. Councillors debated the results in detail, and two proposed
            cuts were reduced.

            Residents were more willing to accept a council tax rise than we had assumed.
        """),
        cost=_md("""
            The simulator licence cost £8,000, and the pop-up sessions about fifteen staff days.
        """),
        lessons=_md("""
            - Show the trade-offs; ranking exercises tell you little.
            - Go where people are, especially younger residents.
            - Publish what changed, or next year's response falls again.
        """),
    ),
    PracticeStory(
        title="Growing our own social workers through an apprenticeship",
        earlier_title="Social work degree apprenticeship",
        service_area=Area.HR,
        topics=("adult social care", "safeguarding children"),
        measures=(
            Measure("Agency social workers", 46, 19, "social workers"),
            Measure("Vacancy rate in social work teams", 24, 13, "%"),
        ),
        summary="{organisation} funds a social work degree apprenticeship for support staff who "
        "know the area and want to qualify. Three cohorts later, our reliance on agency social "
        "workers has more than halved.",
        challenge=_md("""
            We relied heavily on agency social workers at nearly twice the cost of permanent
            staff, and turnover disrupted relationships with children and adults. Recruitment
            campaigns attracted few experienced applicants.

            Many of our family support workers and care assistants had the skills and
            commitment to become social workers but could not afford to stop work for a degree.
        """),
        approach=_md("""
            We grew our own.

            - A degree apprenticeship with a local university, funded from the apprenticeship
              levy.
            - Apprentices keep their salary and have protected study time every week.
            - Practice educators trained in every team to supervise placements.
            - A commitment to stay two years after qualifying, with no repayment in hardship.
        """),
        outcomes=_md("""
            Agency social workers fell from {before0} to {after0}, and the vacancy rate from
            {before1}% to {after1}%. Apprentices who qualified have stayed, and several now
            supervise the next cohort.

            Apprentices brought a knowledge of local communities that experienced recruits often
            lacked.
        """),
        cost=_md("""
            The levy pays the tuition. Backfilling study time costs about £9,000 per apprentice a
            year, far less than agency premiums.
        """),
        lessons=_md("""
            - Protect study time; without it apprentices fall behind and drop out.
            - Train practice educators before the first cohort starts.
            - Recruit from within; your support staff know the area.
        """),
    ),
    PracticeStory(
        title="What planners' exit interviews taught us about hiring",
        earlier_title="Planner retention review",
        service_area=Area.HR,
        topics=("local plan", "planning enforcement"),
        measures=(
            Measure("Planning officer turnover", 21, 9, "%"),
            Measure("Time to fill a planning vacancy", 16, 9, "weeks"),
        ),
        summary="{organisation} analysed two years of exit interviews with planning officers and "
        "changed its offer: a career grade, lower caseloads and hybrid working. Turnover more "
        "than halved.",
        challenge=_md("""
            Planning officers were leaving for consultancies and neighbouring councils so fast
            that the team was permanently short. Applications waited, and the local plan
            timetable slipped.

            We assumed the problem was pay but had never asked the people who left.
        """),
        approach=_md("""
            We read every exit interview and spoke to recent leavers. Pay mattered, but career
            progression and caseloads mattered more.

            - A career grade from planning officer to senior planner, with progression on
              competencies.
            - Caseload caps, and support staff to handle validation and administration.
            - Hybrid working with two team days a week, and a mentor for every new planner.
        """),
        outcomes=_md("""
            Turnover fell from {before0}% to {after0}%, and the time to fill a vacancy from
            {before1} to {after1} weeks. Two planners who had left for consultancies came back.

            The career grade was what leavers mentioned most when asked what would have kept
            them.
        """),
        cost=_md("""
            The career grade added about £45,000 a year to the pay bill. Less agency cover saved
            more than that.
        """),
        lessons=_md("""
            - Ask the people who leave; your assumptions about why may be wrong.
            - A visible career path can matter more than the starting salary.
            - Take administration off planners so they can plan.
        """),
    ),
    PracticeStory(
        title="Councillor casework in one shared inbox",
        earlier_title="Member enquiries system",
        service_area=Area.DEMOCRATIC,
        topics=("service design",),
        measures=(
            Measure("Councillor enquiries answered within ten working days", 57, 89, "%"),
            Measure("Enquiries sent to the wrong service", 18, 4, "%"),
        ),
        summary="{organisation} replaced councillors' emails to individual officers with a "
        "shared casework route run by a small member support team. Enquiries are answered "
        "faster, and councillors can see where each one stands.",
        challenge=_md("""
            Councillors emailed officers they knew, who might have moved on or be on leave.
            Enquiries were lost or answered slowly, and councillors chased by emailing more
            people.

            Senior managers spent time answering routine questions meant for a service.
        """),
        approach=_md("""
            We built a simple casework route.

            - One address and form for all councillor enquiries.
            - A member support team routing each enquiry to the right service within a day.
            - Target response times by type, with automatic reminders to services.
            - A page for each councillor showing their open enquiries and where each stands.
        """),
        outcomes=_md("""
            Enquiries answered within ten working days rose from {before0}% to {after0}%, and
            enquiries sent to the wrong service fell from {before1}% to {after1}%. Councillors
            use their page more than we expected.

            Common enquiries, such as highways faults, now go straight to online reporting.
        """),
        cost=_md("""
            Casework software costs £12,000 a year, and the member support team grew by one
            officer.
        """),
        lessons=_md("""
            - Agree the process with group leaders before launch.
            - Showing where each enquiry stands stops most chasing.
            - Look for patterns in enquiries; they point to services in trouble.
        """),
    ),
    PracticeStory(
        title="Committee meetings the public can follow from home",
        earlier_title="Webcasting committee meetings",
        service_area=Area.DEMOCRATIC,
        topics=("digital inclusion", "web accessibility"),
        measures=(
            Measure("People watching planning committee live", 40, 310, "viewers"),
            Measure("Public speakers joining remotely", 0, 35, "%"),
        ),
        summary="{organisation} webcasts its main committees with live captions and lets public "
        "speakers address planning committee remotely. Many more residents now follow the "
        "decisions that affect them.",
        challenge=_md("""
            Committees met on weekday evenings in the civic centre, and few residents came.
            People affected by planning applications took time off work to speak for three
            minutes.

            Recordings, where they existed, were long and hard to find your way around.
        """),
        approach=_md("""
            We opened meetings up without changing how they are run.

            - Webcasts of full council, cabinet and planning committee, with live captions.
            - Remote participation for public speakers at planning committee.
            - Recordings indexed by agenda item and linked from the minutes.
            - A connection test for speakers the day before.
        """),
        outcomes=_md("""
            Live viewers of planning committee rose from {before0} to {after0}, and {after1}% of
            public speakers now join remotely. Councillors report better-prepared speakers.

            Captions are used far more than expected, including by people watching in noisy
            places.
        """),
        cost=_md("""
            Cameras, microphones and the webcasting service cost about £60,000 in the first year
            and £20,000 a year since.
        """),
        lessons=_md("""
            - Index recordings by agenda item; nobody watches three hours.
            - Test connections with speakers in advance.
            - Captions are for everyone, not only deaf viewers.
        """),
    ),
    PracticeStory(
        title="Problem-solving meetings for repeat antisocial behaviour",
        earlier_title="Antisocial behaviour problem-solving",
        service_area=Area.COMMUNITY_SAFETY,
        topics=("community safety",),
        measures=(
            Measure("Repeat calls about the same addresses per quarter", 180, 70, "calls"),
            Measure("Cases closed with the problem resolved", 44, 69, "%"),
        ),
        summary="{organisation} and its partners meet monthly to work through the addresses and "
        "places that generate the most antisocial behaviour reports, agreeing one plan for each. "
        "Repeat calls fell substantially.",
        challenge=_md("""
            A small number of addresses and places generated a large share of antisocial
            behaviour reports. The police, housing providers and the council each responded
            separately, often without knowing what the others had done.

            Residents reported the same problems again and again and lost faith that anything
            would change.
        """),
        approach=_md("""
            We set up monthly problem-solving meetings.

            - One list of the top locations by reports, across all partners.
            - A lead agency for each location and a written plan covering victims, perpetrators
              and the place itself.
            - Support for perpetrators whose needs drive their behaviour, alongside enforcement.
            - Residents told what is being done, within data protection limits.
        """),
        outcomes=_md("""
            Repeat calls about the top addresses fell from {before0} to {after0} a quarter, and
            cases closed with the problem resolved rose from {before1}% to {after1}%. Partners
            know each other's work far better.

            Several cases were resolved through support rather than enforcement, which surprised
            partners.
        """),
        cost=_md("""
            Mostly partners' time. A coordinator shared by the council and the police costs about
            £38,000 a year.
        """),
        lessons=_md("""
            - Use one list across partners, or each brings their own priorities.
            - Name a lead for every location.
            - Tell residents what is happening, even when you cannot say much.
        """),
    ),
    PracticeStory(
        title="Street lighting and CCTV decided on women's safety walks",
        earlier_title="Women's safety walks",
        service_area=Area.COMMUNITY_SAFETY,
        topics=("community safety", "active travel"),
        measures=(
            Measure("Women who feel safe walking after dark in the town centre", 38, 55, "%"),
            Measure("Routes improved after a walk", 0, 14, "routes"),
        ),
        summary="{organisation} walked the town centre after dark with women and girls to find "
        "where they feel unsafe, and spent its safety budget on what they showed us. Feelings "
        "of safety improved measurably.",
        challenge=_md("""
            Surveys showed that most women felt unsafe walking in the town centre after dark,
            but not where or why. Safety budgets went on measures chosen by officers.

            Girls from local schools described routes they avoided altogether.
        """),
        approach=_md("""
            We asked women and girls to show us.

            - Evening walks with residents, students, night-time workers and councillors.
            - A simple map where participants marked places and reasons.
            - Spending decided from the map: lighting, cutting back vegetation, CCTV and closing
              an underpass.
            - Repeat walks a year later to check whether the changes worked.
        """),
        outcomes=_md("""
            Women who feel safe walking after dark rose from {before0}% to {after0}%, and
            {after1} routes were improved. The walks have become a regular event supported by
            the business improvement district.

            Lighting and clear sightlines mattered more than cameras.
        """),
        cost=_md("""
            About £240,000 of capital over two years, redirected from existing safety budgets.
        """),
        lessons=_md("""
            - Walk the routes at the time people use them.
            - Include night-time workers; their journeys are different.
            - Walk again afterwards to check whether the changes worked.
        """),
    ),
    PracticeStory(
        title="Whole-house retrofit with ventilation designed in from the start",
        earlier_title="Retrofit pilot in council homes",
        service_area=Area.CLIMATE,
        topics=("net zero retrofit", "damp and mould"),
        measures=(
            Measure("Pilot homes rated EPC D or below", 68, 21, "%"),
            Measure("Damp complaints after works", 9, 1, "complaints"),
        ),
        summary="{organisation} retrofitted a pilot group of council homes with insulation, heat "
        "pumps and ventilation designed together. Energy ratings improved without the "
        "condensation an earlier scheme caused.",
        challenge=_md("""
            An earlier insulation scheme made some homes warmer but also caused condensation and
            mould, because ventilation was not improved. Tenants were wary of more work.

            We needed to raise the energy performance of our homes to meet our climate
            commitment and reduce fuel poverty.
        """),
        approach=_md("""
            We planned each home as a whole.

            - A retrofit assessment and design for every home, following recognised standards.
            - Ventilation designed alongside insulation, with extract fans running continuously
              at low speed.
            - Tenant liaison officers explaining the works and visiting after completion.
            - Temperature and humidity monitored in a sample of homes for a year.
        """),
        outcomes=_md("""
            Pilot homes rated EPC D or below fell from {before0}% to {after0}%, and there were
            {after1} damp complaints after the works, against {before1} after the earlier
            scheme. Tenants report lower bills and warmer homes.

            Explaining the continuous fans mattered; some tenants had switched them off to save
            money.
        """),
        cost=_md("""
            An average of £24,000 a home, part-funded by a government decarbonisation grant.
        """),
        lessons=_md("""
            - Design ventilation with the insulation, never after it.
            - Show tenants how the new systems work, and visit again.
            - Monitor humidity; it tells you whether the design works before mould appears.
        """),
    ),
    PracticeStory(
        title="Property flood resilience through one survey and one contractor",
        earlier_title="Property flood resilience scheme",
        service_area=Area.CLIMATE,
        topics=("flood resilience",),
        measures=(
            Measure("Homes with flood resilience measures", 40, 260, "homes"),
            Measure("Weeks from survey to installation", 30, 11, "weeks"),
        ),
        summary="{organisation} offers flooded households one survey, a framework contractor "
        "and a caseworker to manage the grant. Far more homes now have flood doors, airbricks "
        "and pumps fitted.",
        challenge=_md("""
            After repeated flooding, grants for property flood resilience were available, but
            few households used them. Applicants had to find surveyors and contractors and
            manage the paperwork while recovering from a flood.

            Many of the installations that did happen were poor.
        """),
        approach=_md("""
            We took the work off households.

            - One independent survey per home, paid for by the council.
            - A framework of approved installers, with prices agreed in advance.
            - A caseworker for each household, from survey to sign-off.
            - A community flood group in each area to share information and encourage take-up.
        """),
        outcomes=_md("""
            Homes with resilience measures rose from {before0} to {after0}, and the time from
            survey to installation fell from {before1} to {after1} weeks. In the next flood most
            protected homes stayed dry or recovered quickly.

            Community flood groups were the best way to reach households.
        """),
        cost=_md("""
            Grants covered installation. The caseworker and surveys cost about £150,000 over two
            years.
        """),
        lessons=_md("""
            - Run the process for households; they are recovering from a trauma.
            - Use a framework, so quality is consistent.
            - Work through community flood groups.
        """),
    ),
    PracticeStory(
        title="Meanwhile leases that filled empty shops on the high street",
        earlier_title="Meanwhile use of empty shops",
        service_area=Area.ECONOMIC_DEVELOPMENT,
        topics=("high street regeneration", "business rates"),
        measures=(
            Measure("Empty ground-floor units on the high street", 34, 19, "units"),
            Measure("Meanwhile tenants who took a full lease", 0, 7, "tenants"),
        ),
        summary="{organisation} brokers short, cheap leases of empty shops between landlords and "
        "new local businesses, with business rates relief and a standard lease. Vacancies fell, "
        "and several meanwhile tenants have stayed on.",
        challenge=_md("""
            A third of the ground-floor units on the high street were empty, many for years.
            Landlords were waiting for national tenants who were not coming back.

            Local makers and start-ups wanted space but could not commit to long leases.
        """),
        approach=_md("""
            We acted as broker between landlords and tenants.

            - A standard meanwhile lease of six to eighteen months, agreed with local agents.
            - Business rates relief for the period, and a small grant for fitting out.
            - A register of interested tenants, matched to units by size and use.
            - Help for tenants with marketing, opening hours and footfall figures.
        """),
        outcomes=_md("""
            Empty units fell from {before0} to {after0}, and {after1} meanwhile tenants have
            taken full leases. Footfall rose in the streets with the most new tenants.

            Landlords who had refused short leases changed their minds once neighbouring units
            were let.
        """),
        cost=_md("""
            Grants totalled £75,000, and brokering takes about half of one officer's time.
        """),
        lessons=_md("""
            - A standard lease removes most of the legal cost and delay.
            - Start with willing landlords; others follow.
            - Support tenants after they open, not just before.
        """),
    ),
    PracticeStory(
        title="Opening council contracts to small local suppliers",
        earlier_title="Local supplier portal",
        service_area=Area.ECONOMIC_DEVELOPMENT,
        topics=("high street regeneration",),
        measures=(
            Measure("Council spending with local small businesses", 18, 31, "%"),
            Measure("Local businesses registered to bid", 120, 640, "businesses"),
        ),
        summary="{organisation} split larger contracts into lots, shortened its tender documents "
        "for low-value work and held supplier days across the area. The share of its spending "
        "with local small businesses rose substantially.",
        challenge=_md("""
            Council contracts were large and the tender documents long, so most small local firms
            never bid. Our spending with local small businesses was among the lowest in the
            region.

            Local business groups asked why council money left the area when local firms could
            do the work.
        """),
        approach=_md("""
            We changed how we buy low-value work.

            - Contracts split into lots where that made sense, especially maintenance and
              catering.
            - A short tender form with standard questions for contracts under the threshold.
            - Supplier days in market towns, with buyers explaining how to bid.
            - Upcoming opportunities published every quarter.
        """),
        outcomes=_md("""
            Spending with local small businesses rose from {before0}% to {after0}%, and local
            businesses registered to bid from {before1} to {after1}. Prices in the split lots
            were close to those of the single contracts they replaced.

            The supplier days were valued most; many firms had never spoken to a buyer before.
        """),
        cost=_md("""
            Mostly buyers' time. Supplier days cost about £5,000 a year.
        """),
        lessons=_md("""
            - Publish upcoming opportunities early; small firms need time to prepare.
            - Keep the short form genuinely short.
            - Watch prices in the split lots, so finance stays on side.
        """),
    ),
]

# Evidence the authors link to. URLs stay on the organisation's .gov.example domain or on
# example.org, so no demo link leads anywhere real.
EVIDENCE_LINKS = [
    ("Cabinet report: {subject}", "https://{domain}/democracy/reports/{slug}"),
    ("Evaluation summary (PDF)", "https://{domain}/documents/{slug}-evaluation.pdf"),
    ("What residents are told", "https://{domain}/{slug}"),
    ("Independent evaluation", "https://research.example.org/evaluations/{place}-{slug}"),
    ("Templates and process maps", "https://files.example.org/{place}/{slug}"),
]

ENDORSEMENT_NOTES = [
    "Clear about what went wrong as well as what worked, and the figures are all there.",
    "We are about to start something similar; this saved us months.",
    "Shared with our head of service. The cost section is exactly what a business case needs.",
    "An honest write-up. The lessons match what we found in our own pilot.",
    "The templates alone make this worth reading.",
    "Heard about this at a regional meeting, and it holds up in writing.",
    "Simple, cheap and properly measured. More of this, please.",
    "We visited to see it running; it works as described.",
]

REPEAT_OUTCOMES = {
    "planning": [
        "Business case goes to our leadership team next month, built largely on this post.",
        "Scoping it for next year's service plan; we will adapt it for a two-tier area.",
        "Agreed in principle. Waiting for the budget decision before we start.",
    ],
    "trying": [
        "Three months into a pilot in two wards. Our early figures move the same way as yours.",
        "Running it with one team first. Freeing up staff time has been the hardest part.",
        "Pilot under way. We changed the order of the steps to fit our systems.",
    ],
    "adopted": [
        "Now part of how we work. Our results were smaller than yours but clearly positive.",
        "Adopted after a six-month pilot. We kept almost everything and added a monthly review.",
        "Rolled out across the whole service. Thanks for answering our questions along the way.",
    ],
    "stopped": [
        "Paused after four months: we could not protect the staff time. We would try again "
        "with a dedicated post.",
        "Stopped when the grant ended. The approach worked; the funding did not last.",
        "Stopped because our systems could not produce the data. Worth trying if yours can.",
    ],
}

# A reader's question and the answer an author gives to it.
PRACTICE_QUESTIONS = [
    (
        "How did you get finance to agree the upfront cost?",
        "We showed them the cost of doing nothing over three years and promised to report the "
        "savings every quarter. The second part is what won them over.",
    ),
    (
        "Could you share the templates you used with residents?",
        "Happy to. They are on our shared drive, and I will add the link to the evidence.",
    ),
    (
        "How many staff does this take to run day to day?",
        "About one and a half posts now that it is running; more in the first three months.",
    ),
    (
        "Has the improvement held up since the first year?",
        "Mostly. We dipped a little over the winter, but we are still well ahead of where we "
        "started.",
    ),
    (
        "Did this need a councillor decision, or could officers make the change?",
        "An officer decision under delegated powers, but we briefed the portfolio holder early, "
        "which helped when questions came in.",
    ),
    (
        "What would you do differently if you started again?",
        "Involve frontline staff from the first week. We brought them in late and lost a month "
        "winning them round.",
    ),
    (
        "Did you do an equality impact assessment? We have been asked for one for something "
        "similar.",
        "Yes, at the start, and we updated it after six months. I can send it to you.",
    ),
    (
        "Which system did you use for the figures? Ours cannot report at that level.",
        "Nothing special: a weekly export from our case management system into a spreadsheet. "
        "It was enough to start with.",
    ),
]

PRACTICE_REMARKS = [
    "We tried something similar two years ago and stalled at procurement. Good to see it done.",
    "Really useful. The lessons are going on our next team meeting agenda.",
    "The point about involving frontline staff early matches our experience exactly.",
    "It would be great to see the figures again in a year's time.",
    "We are a small district and wonder whether this scales down. Has anyone tried it at our size?",
    "Thank you for being open about the costs. Most case studies leave them out.",
]

PRACTICE_PEER_REPLIES = [
    "We have the same question, so following this.",
    "Same for us: the second year was easier than the first.",
    "We are a similar size, and it worked for us with a part-time post.",
    "Agreed. It is the part most write-ups skip.",
]

PROMOTION_REASONS = [
    "Several members asked for exactly this at our last meeting, and the evaluation is thorough, "
    "so I am promoting it while it is still new to the network.",
    "Clear costs and figures that other councils can repeat quickly. Promoting it while peers "
    "catch up.",
    "Reviewed with the authors at our quarterly session; the evidence is strong and the "
    "templates are shared.",
    "Our practice of the quarter: it answers the question members raise most often here.",
]


# Conversations: what a community's members say to each other live. In a line's text, {0} to
# {3} are mentions of the conversation's speakers, {topic} the community's first topic.


@dataclass(frozen=True)
class ConversationLine:
    speaker: int  # index into the conversation's speakers: 0 is the community's owner
    text: str
    reply_to: int | None = None  # index of the line it answers
    reactions: tuple[int, ...] = ()  # speakers who give it a thumbs up
    # What the line first said, before its author edited it into ``text``.
    first_draft: str = ""


@dataclass(frozen=True)
class ConversationScript:
    title: str
    lines: tuple[ConversationLine, ...]
    pinned: tuple[int, ...] = ()  # lines a facilitator pinned


MEASURES_CONVERSATION = ConversationScript(
    "How are you measuring {topic}?",
    (
        ConversationLine(
            0,
            "We report on {topic} to our board in January and I'm not happy with our measures. "
            "We count activity (visits, referrals) but not what changes for residents. What are "
            "others using?",
        ),
        ConversationLine(
            1,
            "We moved from counts to three outcome measures last year:\n\n"
            "1. repeat contacts within 90 days\n"
            "2. time from first contact to resolution\n"
            "3. a quarterly survey of about 200 residents\n\n"
            "Happy to share the definitions.",
            reply_to=0,
            reactions=(0, 2, 3),
        ),
        ConversationLine(
            2,
            "Repeat contacts is the one that convinced our members. It's cheap to pull from the "
            "CRM if your case categories are clean; ours weren't, so we spent a month tidying "
            "them first.",
        ),
        ConversationLine(
            0,
            "{1} yes please, the definitions would save us weeks. Did the survey need ethics "
            "sign-off?",
            reply_to=1,
        ),
        ConversationLine(
            1,
            "No ethics panel, but our information governance team reviewed the privacy notice. "
            "The definitions and the notice are in our practice write-up, out this week.",
            reply_to=3,
            first_draft="No ethics panel, but our information governance team reviewed the "
            "privacy notice. The definitions and the notice are in our practice write-up, out "
            "next month.",
        ),
        ConversationLine(
            3,
            "One caution: time to resolution went **up** for us at first, because we stopped "
            "closing cases early. Explain that to the board before they see the chart.",
            reactions=(0, 2),
        ),
        ConversationLine(2, "Exactly what happened to us. Worth a line in the report.", reply_to=5),
        ConversationLine(
            0,
            "Thanks all. {3}, could I borrow 20 minutes before our board meets? I'll draft the "
            "narrative and share it here first.",
        ),
        ConversationLine(3, "Of course. Send me a slot.", reply_to=7, reactions=(0,)),
    ),
    pinned=(1,),
)

PEER_REVIEW_CONVERSATION = ConversationScript(
    "Peer review before cabinet: our {topic} plan",
    (
        ConversationLine(
            1,
            "Before our cabinet signs off the {topic} plan, we'd welcome two or three peers "
            "reading it critically. It's 12 pages; the risks section is the weakest part.",
        ),
        ConversationLine(
            0,
            "I can take the risks section. We had an audit finding on the same thing last spring.",
            reply_to=0,
        ),
        ConversationLine(2, "Count me in for the delivery timeline.", reply_to=0, reactions=(1,)),
        ConversationLine(
            1,
            "Thank you {0} and {2}. It comes by email on Monday; comments by Friday if you can.",
            reactions=(0, 2),
        ),
    ),
    pinned=(0,),
)

INTRODUCTIONS_TITLE = "Introductions"
INTRODUCTIONS_OPENING = (
    "Welcome to {community}. Say hello: who you are, where you work and what you're working "
    "on just now."
)
INTRODUCTION_FORMATS = [
    "Hello all. I'm {name}, {job} at {organisation}. Keen to learn how others approach {topic}.",
    "Hi, {name} here ({job}, {organisation}). Happy to share what we've tried on {topic}.",
    "Hello from {organisation}. I'm {name}, {job}; we're just starting on {topic}, so mostly "
    "here to listen.",
    "{name}, {job} at {organisation}. Ask me about our {topic} data: we publish it monthly.",
    "Hi everyone. {name}, {job}, {organisation}. We've a small team and a big backlog on "
    "{topic}; any shortcuts welcome.",
]
# The most members who introduce themselves in one community.
INTRODUCTIONS_MAX = 60
