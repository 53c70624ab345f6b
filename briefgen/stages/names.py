"""The one home of the word lists that tell people, organisations and places apart.

people.py still holds the lists the quote code was built on (titles, role nouns,
organisation words, stopwords, nationalities); this module holds what the entity
recogniser needs on top of them, so that both read one vocabulary. It imports
nothing from briefgen, so people.py can later move its own lists here and import
them back without a cycle.
"""

from __future__ import annotations

# Countries, regions and cities common in news copy. A name here is a place whatever
# surrounds it ("Moscow said" is metonymy, not a person). Multi-word entries are matched
# on the whole name.
PLACE_NAMES = frozenset(
    """Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan
    Bahrain Bangladesh Belarus Belgium Bolivia Bosnia Brazil Britain Bulgaria Burma Cambodia
    Cameroon Canada Chad Chile China Colombia Congo Croatia Cuba Cyprus Czechia Denmark Ecuador
    Egypt England Eritrea Estonia Ethiopia Europe Finland France Gaza Georgia Germany Ghana
    Greece Greenland Guatemala Haiti Honduras Hungary Iceland India Indonesia Iran Iraq Ireland
    Israel Italy Japan Jordan Kazakhstan Kenya Kosovo Kuwait Kyrgyzstan Laos Latvia Lebanon
    Libya Lithuania Luxembourg Malaysia Mali Malta Mexico Moldova Mongolia Montenegro Morocco
    Mozambique Myanmar Nepal Netherlands Nicaragua Niger Nigeria Norway Oman Pakistan
    Palestine Panama Paraguay Peru Philippines Poland Portugal Qatar Romania Russia Rwanda
    Scotland Senegal Serbia Singapore Slovakia Slovenia Somalia Spain Sudan Sweden Switzerland
    Syria Taiwan Tajikistan Tanzania Thailand Tunisia Turkey Turkmenistan Uganda Ukraine
    Uruguay Uzbekistan Venezuela Vietnam Wales Yemen Zambia Zimbabwe
    Africa Asia America Antarctica Arctic Balkans Baltics Caucasus Crimea Donbas Donbass
    Donetsk Luhansk Kherson Zaporizhzhia Zaporizhzhya Kharkiv Odesa Odessa Mariupol
    Bakhmut Avdiivka Pokrovsk Kursk Belgorod Lviv Dnipro Sumy Chernihiv Mykolaiv Kyiv Kiev
    Moscow Washington Beijing London Paris Berlin Brussels Rome Madrid Warsaw Vienna Geneva
    Istanbul Ankara Tehran Baghdad Damascus Beirut Cairo Riyadh Doha Dubai Jerusalem Kabul
    Islamabad Delhi Mumbai Tokyo Seoul Pyongyang Taipei Minsk Tbilisi Baku Yerevan Budapest
    Prague Bucharest Sofia Belgrade Athens Lisbon Dublin Amsterdam Stockholm Oslo Helsinki
    Copenhagen Tallinn Riga Vilnius Bratislava Ottawa Toronto Havana Caracas Lagos Nairobi
    Johannesburg Khartoum Tripoli Gaza Ramallah Alaska Florida Texas California Ohio Michigan
    Pennsylvania Arizona Nevada Virginia Missouri Iowa Illinois Wisconsin Minnesota Oregon
    Montana Utah Colorado Kansas Kentucky Tennessee Alabama Mississippi Louisiana Arkansas
    Oklahoma Indiana Maine Vermont Maryland Delaware Connecticut Massachusetts Idaho Wyoming
    Nebraska Hawaii Miami Chicago Boston Atlanta Houston Dallas Seattle Vatican""".split()
) | frozenset(
    {
        "New York", "Los Angeles", "San Francisco", "New Jersey", "New Mexico",
        "North Carolina", "South Carolina", "North Dakota", "South Dakota", "West Virginia",
        "Rhode Island", "New Hampshire", "United States", "United Kingdom", "Saudi Arabia",
        "South Africa", "South Korea", "North Korea", "New Zealand", "Sri Lanka",
        "Hong Kong", "Tel Aviv", "Abu Dhabi", "Latin America", "Middle East", "Gaza Strip",
        "West Bank", "Russian Federation", "Soviet Union", "Czech Republic", "Ivory Coast",
        "Capitol Hill", "Red Square", "Black Sea", "Baltic Sea", "Mar-a-Lago",
    }
)  # fmt: skip

# Last words that make a capitalised run a place ("Independence Square", "Baltic Sea").
# Not "Park" or "Hill": they are surnames as often (Bo Park, Anita Hill).
PLACE_HEADS = frozenset(
    """Square Street Road Avenue Boulevard Sea Ocean River Lake Gulf Strait Island Islands
    Region Oblast Province County District City Peninsula Coast Bay Valley Mountains
    Heights Desert Airport Bridge Canal Korea York Arabia Africa America Kingdom
    States""".split()
)

# Lowercase nouns that make "the <noun> of X" a place ("the port of Bandar Abbas").
PLACE_NOUNS = frozenset(
    "city town village port region province state island republic capital district".split()
)

# Prepositions after which a name is a place unless it reads as something else
# ("in Kyiv", "at the Vatican"; but "in the Duma" is an organisation first).
LOCATIVES = frozenset(
    """in to from at near across around into outside inside on through via toward towards
    over throughout""".split()
)

# Names of bodies that carry no organisation word (people.ORG_WORDS covers "Ministry",
# "Duma", "Rada", "Pentagon"...): parliaments, armed movements, agencies known by one word.
ORG_NAMES = frozenset(
    """Bundestag Knesset Sejm Storting Riksdag Majlis Politburo Hamas Hezbollah Taliban
    Houthis Wagner Europol Interpol Frontex Rosatom Roscosmos Mossad Eurostat Ofcom
    Rosneft""".split()
)

# Words that make a capitalised run an organisation, beyond people.ORG_WORDS; plurals of
# either list count too ("National Institutes of Health").
ORG_WORDS_EXTRA = frozenset(
    """Church Academy Treasury Reserve Bureau Authority Board Guard International Airlines
    Tribunal Secretariat Brigade Regiment Fleet Corps Chiefs Bloc Alliance Coalition
    Movement Directorate Inspectorate Chamber Exchange Monde Guardian Telegraph Economist
    Independent Gazette Herald Tribune Kommersant Izvestia Vedomosti""".split()
)

# Adjectives of nationality, region, faith and party beyond people.NATIONALITIES: on their
# own they name no entity ("Saudi officials", "Qatari mediators", "met Democrats").
DEMONYMS = frozenset(
    """Afghan Albanian Algerian Arab Armenian Austrian Azerbaijani Belgian Brazilian Bulgarian
    Chechen Chilean Colombian Croatian Cuban Czech Danish Egyptian Emirati Estonian
    Ethiopian Georgian Greek Iraqi Irish Jordanian Kazakh Kenyan Kurdish Latvian Lebanese
    Libyan Lithuanian Mexican Moldovan Nigerian Norwegian Pakistani Palestinian Portuguese
    Qatari Romanian Saudi Scottish Serbian Slovak Somali Sudanese Swiss Syrian Taiwanese
    Thai Tunisian Venezuelan Vietnamese Welsh Yemeni Western Eastern Northern Southern
    Soviet Baltic Nordic Asian African Arctic Atlantic Jewish Muslim Christian Catholic
    Orthodox Sunni Shia Shiite Democrat Democrats Republican Republicans Conservative
    Conservatives Labour Liberal Liberals""".split()
)

# Acronyms that name no body ("VIP", "GDP").
NOT_ORG_ACRONYMS = frozenset("VIP TV GDP PM AM CEO ID OK DNA AI IT PR HQ UTC GMT".split())

# Words that precede a title or an organisation's name without being part of either
# ("Senior Kremlin officials", "Retired Lt. Gen. ...", "Former Pentagon adviser").
RANK_WORDS = frozenset("Senior Former Acting Deputy Top Retired Then Veteran Longtime".split())

# Capitalised words that belong to the title right after them, not to an organisation
# before it ("White House | Press Secretary").
TITLE_QUALIFIERS = frozenset({"Press"})

# Abbreviations that keep their full stop inside a name ("Martin Luther King Jr.").
NAME_ABBREVIATIONS = frozenset({"Jr.", "Sr.", "St.", "Mt.", "Ft.", "Gov.", "Rev.", "Sgt."})

# Verbs of saying and writing, in the forms news copy uses ("said", "says", "tweeted"):
# the quote attributor's cues and the entity recogniser's sign of a speaking person.
SAY_VERBS = """
say tell state claim add note explain insist warn write argue ask reply answer respond
declare announce confirm continue conclude comment remark observe acknowledge admit stress
emphasize emphasise suggest tweet post recall vow promise predict concede complain caution
urge quip joke boast counter retort describe call report demand charge proclaim blast sing
shout yell chant whisper plead muse wonder text email testify rule estimate read lament
scoff snap maintain contend assert allege accuse criticize criticise praise hail label
brand dub liken characterize characterise dismiss deride mock tout pledge thank interject
condemn denounce decry slam attack defend reject welcome applaud question challenge cite
rate assure
""".split()
_IRREGULAR_SAY = "said says told tells wrote writes sang sings read reads".split()


def _forms(verb: str) -> list[str]:
    """Past and third-person forms of a regular verb: claim -> claimed, claims."""
    if verb.endswith("e"):
        past = verb + "d"
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        past = verb[:-1] + "ied"
    elif verb in ("snap", "dub"):
        past = verb + verb[-1] + "ed"
    else:
        past = verb + "ed"
    if verb.endswith(("s", "sh", "ch", "x")):
        third = verb + "es"
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        third = verb[:-1] + "ies"
    else:
        third = verb + "s"
    return [past, third]


# Finite forms only, as a regex alternation (longest first): a participle ("..., arguing
# that") takes its sentence's subject, so "Tulsa, Oklahoma, arguing" makes no speaker.
CUES = "|".join(
    sorted(
        {*_IRREGULAR_SAY, *(f for v in SAY_VERBS for f in _forms(v)), "say", "put it"},
        key=len,
        reverse=True,
    )
)
