"""The words of the demo network that ``manage.py seed_demo`` builds: places, names, service
areas, job titles and communities. Everything here is fictional: no place is a real council
and every domain uses the reserved ``.example`` top-level domain, so no demo email can reach
anyone."""

from __future__ import annotations

from dataclasses import dataclass

from groups.models import Visibility
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
