"""English: every word list and English-specific pattern the stages read.

A language module is data: frozensets of words, dicts, and regex *fragments* (strings the
stages compile into their own patterns; each one's comment says what it must match). The
rules that use them live in the stages. ``briefgen/lang/__init__.py`` lists the names a
language module must define (``REQUIRED``); to add a language, copy this file, translate
it, and register it there.

Word lists are matched case-sensitively unless their comment says otherwise.
"""

from __future__ import annotations

# --- people, organisations, places ------------------------------------------------------

# Honorifics carry no information worth showing as a role, so they are dropped.
HONORIFICS = frozenset({"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Mx", "Mx."})

# Capitalised words that make a title in front of a name ("US Secretary of State Marco Rubio").
TITLE_WORDS = (
    frozenset(
        """President Vice Prime Minister Secretary State Foreign Defence Defense Interior Finance
    Affairs Home Health Economy Trade Justice Chancellor Senator Sen. Rep. Representative
    Congressman Congresswoman Governor Mayor King Queen Prince Princess Pope General Gen.
    Colonel Col. Lieutenant Lt. Major Maj. Admiral Adm. Commander Marshal Ambassador Envoy
    Spokesman Spokeswoman Spokesperson Director Chairman Chairwoman Chair Chief Judge Professor
    Prof. Dr Dr. Sir Dame Lord Lady Speaker Leader Premier Deputy Special Senior Former Acting
    Adviser Advisor Aide Attorney Sheikh Crown Emperor Patriarch Archbishop Bishop Cardinal
    Rabbi Imam Ayatollah Supreme Head Officer Secretary-General CEO Councillor Councilor
    Sergeant Sgt. Captain Capt. Inspector Detective Agent Coach Manager Duke Duchess Counsel
    Baron Baroness Countess Commissioner Superintendent Rev. Reverend Del. Delegate Gov. Lt Gen Sen Rep Gov Reps.
    Sens. Retired Ret. Pastor Father Sister Brother""".split()
    )
    | HONORIFICS
)

# Lowercase nouns that end a role phrase written before a name ("Putin aide Yuri Ushakov").
ROLE_NOUNS = frozenset(
    """aide adviser advisor envoy negotiator spokesman spokeswoman spokesperson minister
    secretary official leader chief analyst commander ambassador president director chairman engineer
    chairwoman head economist lawyer general diplomat son-in-law daughter-in-law wife husband
    son daughter brother sister deputy premier chancellor governor mayor senator lawmaker
    mp emissary representative assistant counsellor counselor prosecutor judge researcher
    professor expert correspondent reporter editor founder owner ceo executive lady""".split()
)

# Lowercase modifiers allowed inside a role phrase before its noun ("special envoy").
# A title written as no longer held ("former FBI Director", "ex-minister"), lower case.
FORMER_ROLE = ("former {}", "ex-{}", "ex {}")

ROLE_MODIFIERS = frozenset(
    """special senior chief top policy economic foreign presidential former deputy acting
    national security press military close longtime long-time key personal political
    defence defense interior finance trade prime vice foreign-policy investment
    international regional local state federal first""".split()
)

# Words ending a capitalised run that is an organisation rather than a person.
ORG_WORDS = frozenset(
    """Kremlin Institute Ministry Department Agency Office Council Commission Committee
    Parliament Government Administration Army Forces Union Party Bank Fund Organisation
    Organization Association University Service Services News Times Post Journal Reuters
    Tass TASS Bloomberg Press Network Television Radio Pentagon Congress Senate Court Group
    Company Corporation Corp Inc Ltd Foundation Center Centre Embassy House Police Navy
    Command Staff Cabinet Duma Rada Assembly Federation League Club Studies Monitor
    Observatory Watch Sputnik Interfax Ukrinform Kyiv-Independent NATO""".split()
)

# Capitalised words that never start a person's name (sentence openers, weekdays, months).
# (The statistics' lower-case function words are STOPWORDS, at the end.)
NAME_STOPWORDS = frozenset(
    """The A An In On At When While After Before But And Or If As For From With Without Despite
    Although Though However Yet So This That These Those It Its His Her Their Our We I He She
    They There Here What Which Who Why How Where According Asked Coinciding Crucially Firstly
    Secondly Meanwhile Also Still Even Both Some Many Most All Any Each Various Not No Only
    Just Now Then Today Yesterday Tomorrow Since Until During Under Over Among Between By To
    Of Updated Share Watch Read Story Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    Mon Tue Tues Wed Thu Thurs Fri Sat Sun January February March April June July August
    September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    Image Photo Video Getty AFP AP Pool Top Dignified Like Unlike Instead Indeed Last Next
    Earlier Later Speaking Asked Responding Whether Once Officials Analysts Sources Experts
    Critics Residents Witnesses Diplomats Observers Reports Negotiators Leaders Lawmakers
    Another Other Others Several Few Every Either Neither Such Much More Less Following
    Including Citing Given Amid Throughout Whereas Upon Within Against Across Behind Beyond
    Through Because Unless Whilst Whenever Wherever Whatever Whoever Whichever Lest Till
    Thus Hence Therefore Otherwise Nevertheless Nonetheless Moreover Furthermore Besides
    Likewise Similarly Accordingly Consequently""".split()
)

# Places that open many sentences in news copy; never a person, but may speak ("Moscow said").
PLACES = frozenset(
    "Ukraine Russia Europe Moscow Kyiv Washington Beijing London Paris Berlin Brussels".split()
)

# Last words that make a two-word capitalised run a place or a thing, not a person.
NON_PERSON_LAST = frozenset(
    """Square Street Road Avenue Today Korea York Arabia Africa America Kingdom States
    Sea Ocean River Island Islands Region Oblast City Peninsula Coast Bay Valley Mountains
    Plan Deal Peace War Talks Summit Agreement Accord Day Week Year Era""".split()
)

# Place-like tokens that look like acronyms but are not organisations.
PLACE_ACRONYMS = frozenset({"US", "U.S.", "UK", "U.K.", "USA", "U.S.A.", "UAE"})

# Role head nouns that mean the same job ("the Russian leader" ~ "Russian President").
ROLE_SYNONYMS: tuple[frozenset[str], ...] = (
    frozenset({"aide", "adviser", "advisor", "assistant", "counsellor", "counselor"}),
    frozenset({"leader", "president", "premier", "chancellor", "head"}),
    frozenset({"spokesman", "spokeswoman", "spokesperson"}),
    frozenset({"envoy", "negotiator", "representative", "emissary"}),
    frozenset({"minister", "secretary"}),
)

# Adjectives of nationality that open role phrases ("Russian President").
NATIONALITIES = frozenset(
    """Russian Ukrainian American British French German Chinese European Polish Italian Spanish
    Turkish Indian Israeli Iranian Japanese Korean Belarusian Hungarian Dutch Swedish Finnish
    Canadian Australian""".split()
)

NAME_CONNECTORS = frozenset(
    {
        "of",
        "for",
        "the",
        "and",
        "de",
        "del",
        "da",
        "di",
        "du",
        "van",
        "von",
        "der",
        "den",
        "al",
        "bin",
        "ibn",
        "la",
        "le",
    }
)

PARTICLES = frozenset(
    {"de", "del", "da", "di", "du", "van", "von", "der", "den", "al", "bin", "ibn", "la", "le"}
)

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
    States Palace Castle Cathedral Abbey Basilica Chapel Mosque Synagogue Minster Monastery
    Convent Tower Fortress Citadel Stadium Arena Museum""".split()
)
# Last words of buildings that are surnames as often (Carnegie Hall, Tony Hall): a place
# when the name has three words or more ("Royal Albert Hall") or opens on a PLACE_NOUNS
# word ("City Hall", "Town Hall").
PLACE_HEADS_IF_LONG = frozenset("Hall Church Temple".split())

# Lowercase nouns that make "the <noun> of X" a place ("the port of Bandar Abbas").
PLACE_NOUNS = frozenset(
    "city town village port region province state island republic capital district".split()
)
# Regex: the word between such a noun and the place's name ("the port | of | Bandar Abbas").
PLACE_OF = r"of"
# Lowercase nouns that make a place only right after its name ("Kherson oblast"), beyond
# PLACE_NOUNS.
PLACE_AFTER_NOUNS = frozenset({"oblast"})

# Prepositions after which a name is a place unless it reads as something else
# ("in Kyiv", "at the Vatican"; but "in the Duma" is an organisation first).
LOCATIVES = frozenset(
    """in to from at near across around into outside inside on through via toward towards
    over throughout""".split()
)

# Names of bodies that carry no organisation word (ORG_WORDS covers "Ministry",
# "Duma", "Rada", "Pentagon"...): parliaments, armed movements, agencies known by one word.
ORG_NAMES = frozenset(
    """Bundestag Knesset Sejm Storting Riksdag Majlis Politburo Hamas Hezbollah Taliban
    Houthis Wagner Europol Interpol Frontex Rosatom Roscosmos Mossad Eurostat Ofcom
    Rosneft""".split()
)

# Words that make a capitalised run an organisation, beyond ORG_WORDS; plurals of
# either list count too ("National Institutes of Health").
ORG_WORDS_EXTRA = frozenset(
    """Church Academy Treasury Reserve Bureau Authority Board Guard International Airlines
    Tribunal Secretariat Brigade Regiment Fleet Corps Chiefs Bloc Alliance Coalition
    Movement Directorate Inspectorate Chamber Exchange Monde Guardian Telegraph Economist
    Independent Gazette Herald Tribune Kommersant Izvestia Vedomosti""".split()
)

# Adjectives of nationality, region, faith and party beyond NATIONALITIES: on their
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

# Spelling rules behind a surname's transliteration-insensitive key (people.skeleton), on
# lower-case ASCII letters: letter groups read alike, replaced in this order
# (Zelenskyy/Zelensky, Witkoff/Witkof); a regex for the final vowels that transliterations
# vary ("-y", "-yy", "-iy"), replaced by "i"; and the stricter one for the transliterated
# endings alone (Zelensky / Zelenskyy / Zelenskiy), replaced by "i" too.
SPELLING_EQUIVALENTS: tuple[tuple[str, str], ...] = (
    ("kh", "h"), ("wh", "w"), ("tz", "ts"), ("ij", "i"), ("ph", "f"), ("ck", "k"),
    ("w", "v"), ("j", "y"),
)  # fmt: skip
SPELLING_FINAL_VOWELS = r"(?<=[^aeiouy])[iy]+$"
TRANSLITERATED_ENDING = r"(?<=[^aeiouy])(?:iy|yy|ij|i|y)$"

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
rate assure fume beam gush exclaim marvel laugh sigh chuckle grumble gripe growl recount
reiterate elaborate clarify interrupt gasp opine posit speculate concur object admonish chide
scold berate tease intone murmur mutter sneer taunt rave exult implore beg
advise inform summarize summarise press react surmise bark snarl thunder bellow roar cry
""".split()
_IRREGULAR_SAY = "said says told tells wrote writes sang sings read reads".split()


def _forms(verb: str) -> list[str]:
    """Past and third-person forms of a regular verb: claim -> claimed, claims."""
    if verb.endswith("e"):
        past = verb + "d"
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        past = verb[:-1] + "ied"
    elif verb in ("snap", "dub", "beg"):
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
        {
            *_IRREGULAR_SAY,
            *(f for v in SAY_VERBS for f in _forms(v)),
            "say",
            "put it",
            "went on",
            "goes on",
            "shot back",
            "fired back",
            "hit back",
        },
        key=len,
        reverse=True,
    )
)

# Regex alternation: a saying verb behind a verb of intention, plan or continuation and
# "to" ("planned to ask", "went on to say", "is expected to tell", "wanted to know"), or
# behind "would"/"will" ("would later say"): the subject still says the words. Not "declined
# to", "refused to" or "would not": those tell of words not said.
_INTENT = (
    r"(?:plan|planned|plans|want|wanted|wants|went\s+on|goes\s+on|go\s+on|continued|continues|"
    r"expected|intended|intends|hoped|hopes|prepared|prepares|set|scheduled|going|used|"
    r"decided|decides|sought|seeks|tried|tries|is\s+about|was\s+about)"
)
# Only verbs that are nothing but saying: "continue", "admit", "describe" or "call" after
# "to" are as often something else ("will continue to be", "wanted to admit refugees").
_BASE_SAY = (
    "say|tell|ask|know|add|write|state|claim|insist|warn|argue|reply|answer|respond|declare|"
    "announce|explain|testify|tweet|stress|emphasize|emphasise|remark|comment|assert|quip|"
    "joke|predict|recall|note"
)
INTENT_CUES = (
    rf"{_INTENT}\s+to\s+(?:{_BASE_SAY})|"
    rf"(?:would|will)\s+(?:(?:also|later|then|again|[a-z]+ly)\s+)?(?:{_BASE_SAY})"
)
# Regex: a saying verb refused or negated, on a question ("declined to say whether", "would
# not say who"): the words after it are the question's, not the subject's.
REFUSED_CUES = (
    r"\b(?:declined|declines|refused|refuses|(?:would|could|did|does|do|will)\s+not|"
    rf"(?:would|could|did|does|do|wo)n[\u2019']t)\s+(?:to\s+)?(?:{_BASE_SAY})\s+"
    r"(?:(?:reporters|us|me|him|her|them)\s+)?(?:whether|if|what|who|whom|how|why|when|where)\b"
)

# Lower-case words that may sit inside a name run ("Institute for the Study of War").
NAME_JOINERS = frozenset({"of", "for", "the"})
# A company's legal suffix: after a comma it ends a name ("Acme Holdings, Inc."), and alone it
# names nothing.
CORPORATE_SUFFIXES = frozenset({"Inc", "Corp", "Ltd", "LLC", "Co", "PLC", "plc", "LLP"})
# Lowercase words inside one organisation's name between two of its words ("Department of
# Health and Human Services", "House Ways and Means Committee").
ORG_CONJUNCTIONS = frozenset({"and", "&"})

# Articles, dropped before names ("The Kremlin") and appositives (", a senior adviser").
ARTICLES = frozenset({"the", "a", "an"})

# Words after a person's name that introduce what they are of, for or at ("Charles B. Rangel
# of New York", "Cameron Easley for Morning Consult").
OF_WORDS = ("of", "for", "at")

# Regex splitting a role after its head noun: "senior adviser | to Putin".
ROLE_SPLIT = r"\s(?:to|of|for|in|at|on|and)\s|,"

# Regex: the possessive ending ("Putin’s"); and the same anchored at the end of a word.
POSSESSIVE_SUFFIX = r"[\u2019']s"
POSSESSIVE = POSSESSIVE_SUFFIX + "$"

# Regex: endings of a hyphenated word's last part that make it an adjective, not a
# given name ("Kremlin-backed", "Iowa-based"; but "Geun-hye").
COMPOUND_ADJECTIVE = (
    r"(?:ed|ing|ish|style|like|wide|born|run|held|made|owned|friendly|free|only|era|"
    r"type|class|level|scale|size|term|year|time|era)$"
)

# Regex: nationality-like words standing alone ("Croatian", "Europeans", "Chinese"): plural
# forms, or a singular -ian/-ean of seven letters or more, so that names such as Dean,
# Sean, Brian or Adrian are not read as adjectives.
ADJECTIVAL = r"(?:ians|eans|ese|ish)$|^\w{4,}(?:ian|ean)$"

# Endings of nationality and party words ("Americans", "Chinese", "Islamic", "Democrats").
GROUP_ENDINGS = ("ans", "ese", "ish", "ic", "ics", "ats", "ists")

# Prepositions that put a full name in a place; "to", "from", "on" also take people
# ("called on Howard Dean", "a letter from Ann Reyes").
STRICT_LOCATIVES = frozenset("in at near across around inside outside throughout".split())

# --- saying: quote attribution ----------------------------------------------------------

# Participles of saying verbs (", saying …"): they take their sentence's subject.
PARTICIPLES = frozenset(
    "saying calling describing adding noting telling stating claiming insisting warning declaring "
    "arguing asking writing explaining urging vowing".split()
)

# Regex: a subject pronoun that can say something.
PRONOUN = r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t)\b"
# What each pronoun (lower case) refers to: "m"/"f" a person of that gender, "org" the last
# organisation named, None nobody the attributor can tell.
PRONOUN_REFERENTS: dict[str, str | None] = {"he": "m", "she": "f", "it": "org", "they": None}
# Regex: a sentence opening on he/she/his/her (it continues a pronoun chain).
HE_SHE_OPEN = r"[\s\u201c\"(]*(?:He|She|His|Her)\b"

# Regex: the definite article, capitalised or not, opening a description ("the report").
DEFINITE = r"[Tt]he"
# Regex: an article opening an appositive (", a senior adviser to Putin,").
APPOSITIVE_ARTICLE = r"(?:a|an|the)"
# Regex: "and" between two names ("Obama and Clinton call ...").
AND = r"and"

# Regex alternations: nouns of things that speak for their authors ("the report says"), and
# bodies that speak as such ("the commission says", "the campaign said").
REPORT_HEADS = (
    "report|statement|study|analysis|assessment|survey|document|release|update|communiqu\u00e9|memo|"
    "suit|lawsuit|complaint|filing|indictment|letter|ruling|petition|affidavit"
)
ORG_HEADS = (
    "commission|committee|campaign|agency|company|group|department|ministry|council|court|"
    "board|network|organization|organisation|union|party|government|administration|bank|"
    "firm|university|institute|foundation|newspaper|paper|website|magazine|station|channel"
)

# Regex: up to three auxiliaries and adverbs between a subject and its saying verb
# ("has also said"); and the shorter set the name recogniser allows.
FILLER = (
    r"(?:(?:has|had|have|was|is|also|then|later|earlier|previously|once|again|[a-z]+ly)\s+){0,3}"
)
NAME_FILLER = r"(?:(?:has|had|have|also|then|later|earlier)\s+){0,2}"

# Regex alternation: words that may follow "said X" and end the speaker's name ("said Putin
# in Moscow", "said Putin on Monday").
AFTER_NAME = (
    r"in|on|at|during|after|before|via|from|with|about|when|while|"
    r"last|this|earlier|later|to|of|who"
)

# Regex: a party-and-state tag set off by commas after a lawmaker's name (", R-Va.").
PARTY_TAG = r",\s[A-Z]-[A-Z][A-Za-z.]{0,6}"
# Regex: "and" joining the last name of a list ("Reyes, Ware and Lind"); and the word that
# joins them when a list is written as one speaker.
LIST_AND = r"(?:and|&)"
AND_WORD = "and"


def _plural(noun: str) -> str:
    """chairman -> chairmen, secretary -> secretaries, aide -> aides."""
    if noun.endswith("man"):
        return noun[:-3] + "men"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith("wife"):
        return noun[:-2] + "ves"
    if noun.endswith(("s", "sh", "ch", "x")):
        return noun + "es"
    return noun + "s"


# Plural nouns for the people of a list named before ("the chairmen said", "the two men
# said"), each with its singular: the plurals of ROLE_NOUNS, and "men", "women".
GROUP_NOUNS: dict[str, str] = {
    **{_plural(n): n for n in ROLE_NOUNS if "-" not in n},
    "men": "man",
    "women": "woman",
}
# Regex: a number or "both" before such a noun ("the two chairmen", "both men").
GROUP_COUNT = r"(?:two|three|four|five|both)"

# Regex: "according to" (its cue group is the whole phrase).
ACCORDING = r"[Aa]ccording to"
# Regex pair: "quoted X as saying": the verb, then what follows the speaker.
QUOTED_AS = (r"quoted", r"as\s+(?:saying|calling|describing)")
# Regex: the words opening an unnamed speaker ("one official said", "a spokeswoman said").
UNNAMED = r"(?:a|an|one|another|some|several|many|two|three|other)"
# Regex: what may stand between a quote and the attribution after it (", as", "while").
TAIL_LEAD = r"[\s,;:\u2014\u2013-]*(?:(?:as|while)\s+)?"
# Regex: a tail lead that turns to another speaker ("…,” while Y said that ...").
CONTRAST_LEAD = r"[\s,;]*while\b"
# Regex: "that" introducing reported speech ("Trump said ... that Clinton described ...").
THAT = r"\bthat\b"
# Regex: a lowercase verb right after a name: "has", "endorsed", "tangled" (not "of", "and").
VERB_NEXT = r"\s+(?:has|had|is|was|will|would|[a-z]+ed|[a-z]+s)\b"
# Regex: a verb after a subject that only a plural takes ("Protesters have said").
PLURAL_VERB_NEXT = (
    r"\s+(?:(?:also|still|now|previously|long)\s+)?(?:have|are|were|say|do|warn|fear|want)\b"
)

# Regex: a sentence opening on a prepositional or participial phrase up to its comma: its
# names are not the subject ("After meeting Putin, Obama said ...").
OPENING_PHRASE = (
    r"[\s\u201c\"]*(?:(?:In|At|On|After|Before|During|With|Without|Despite|Following|Like|"
    r"Unlike|Asked|Speaking|Preceded|Joined|Flanked|Introduced|Standing|Responding|Addressing|"
    r"Meeting|For|From|Since|Under|Over|Among|Alongside|Beside|Behind)\b)[^,\n]{0,120},"
)
# Regex: a subordinating word right before a cue ("…,” when Clinton blasted him): that
# clause says what happened around the words, not who said them. Case-insensitive.
SUBORDINATE = r"\b(?:when|after|before|while|because|since|if|until|as|although|though)\s+$"

# Regex alternation: nouns for someone's words ("Trump’s statement about “…”"), and regex
# for what may follow them before the quote.
SPEECH_NOUNS = (
    r"statement|claim|remark|"
    r"comment|words|assertion|promise|pledge|description|warning|vow|tweet|post|message|"
    r"speech|line|phrase|slogan|quip|boast|question|answer|reply|response"
)
# Regex alternation: more nouns of written or asked words that speak for an author, not as
# one ("one question asks", "a sign read"): with REPORT_HEADS and SPEECH_NOUNS.
DOCUMENT_NOUNS = (
    r"question|passage|section|page|paragraph|chapter|email|e-mail|text|note|headline|"
    r"caption|sign|banner|poster|placard|ad|advertisement|slide|entry|item|clause|provision"
)
SPEECH_NOUN_TAIL = r"(?:\s+(?:about|that|of|on|calling|describing))?"

# Regex alternation: title abbreviations that keep their stop inside a name ("Rep.", "Lt.").
# Abbreviations written before a name (a title, or "Ft." for Fort, "Mt.", "St."): never
# the end of a sentence, whatever capital follows ("said Rev. Kyev Tatum").
TITLE_ABBREVIATIONS = frozenset(
    "Rep Reps Sen Sens Gov Govs Gen Lt Col Capt Cpt Sgt Cpl Dr Mr Mrs Ms Rev Prof Adm Maj "
    "Cmdr Amb Pres Supt Insp Det Atty Hon Ft Mt St".split()
)
# Regex: a title abbreviation of a name ("Rep.", "Lt.", "Gen."), and the suffixes after one.
TITLE_ABBREV = (
    r"(?:"
    + "|".join(sorted(TITLE_ABBREVIATIONS | {"Del", "Jr", "Sr"}, key=len, reverse=True))
    + r")\."
)
# Regex alternation: lower-case words that may join the parts of a name.
NAME_PARTICLES = r"(?:of|for|the|de|del|da|di|du|van|von|der|den|al|bin|ibn|la|le)"

# Words whose full stop ends no sentence ("Mr.", "Jan.", "vs.").
SENTENCE_ABBREVIATIONS = TITLE_ABBREVIATIONS | frozenset(
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec No vs Inc Ltd Co Jr Sr".split()
)

# Regex (case-insensitive): pronouns that tell a person's gender.
MALE_PRONOUNS = r"\b(?:he|him|his|himself)\b"
FEMALE_PRONOUNS = r"\b(?:she|her|hers|herself)\b"
# Regex: a gendered title or role word right before a name ("Mrs. Clinton", "congressman").
MALE_WORDS = (
    r"\b(?:Mr\.?|[Cc]hairman|[Cc]ongressman|[Ss]pokesman|husband|father|son|brother|"
    r"[Kk]ing|[Pp]rince|widower|businessman|boyfriend)\s*$|^(?:Mr\.?)\b"
)
FEMALE_WORDS = (
    r"\b(?:Mrs\.?|Ms\.?|Miss|[Cc]hairwoman|[Cc]ongresswoman|[Ss]pokeswoman|wife|mother|"
    r"daughter|sister|[Qq]ueen|[Pp]rincess|widow|businesswoman|girlfriend|actress)\s*$"
)

# Regex (case-insensitive): words that announce a title in quote marks: "the documentary
# “13th”", "CNN's “State of the Union”", "a column headlined “...”", "on “Face the Nation”".
TITLE_CUES = (
    r"(?:[\u2019']s|\b(?:on|show|program|programme|documentary|film|movie|book|memoir|"
    r"novel|series|episode|broadcast|ad|advert|spot|song|album|play|article|column|"
    r"commentary|op-ed|editorial|essay|headline|titled|entitled|headlined|act|law|bill|"
    r"doctrine|forum|hashtag))[\s,]*$"
)
# Words a title may leave lower case ("State of the Union").
TITLE_MINOR_WORDS = frozenset("a an and at by for from in of on or the to with vs v. de la".split())

# --- numbers and dates ------------------------------------------------------------------

# Regex alternation: numbers written as words, as the entity recogniser reads them.
NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    "forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen"
)
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "dozen": 12, "hundred": 100, "thousand": 1000,
    "million": 1_000_000, "billion": 1_000_000_000,
}  # fmt: skip
# Regex: a hedge before a number ("almost five hours").
HEDGE = (
    r"(?:(?:almost|nearly|about|around|some|more than|less than|over|under|at least|roughly)\s+)?"
)
# Regex alternations: units of time, plural or not; and their compound forms ("28-day").
DURATION_UNITS = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)"
DURATION_COMPOUNDS = r"(?:hour|day|week|month|year)"
# Regex alternation: lower-case words that are no unit after a number ("20 of them").
NOT_UNITS = r"of|and|or|to|in|on|at|the|a"
# Regex: a day and month in running text ("3 December", "Dec. 3"), optionally with its year.
DAY_MONTH = (
    r"\b(?:\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})\b"
    r"(?:,?\s+(?:19|20)\d{2})?"
)
# Month names and abbreviations (lower case) -> month number.
MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
# Regex: a month name as dates write it, in a group named "month".
MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
# Regex: ordinal suffixes after a day number ("3rd").
ORDINAL = r"(?:st|nd|rd|th)?"
# Regex (case-insensitive): a weekday name or abbreviation with its punctuation.
WEEKDAY = r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?"
# Regex alternation (case-insensitive): the words a dateline line holds besides its date and
# time ("06:29, Wed, Dec 3, 2025 Updated: ...", "Published on ... GMT").
DATELINE_WORDS = r"updated|published|posted|last|modified|on|at|GMT|UTC|BST|CET|EST|ET"

# --- values compared across sources (discrepancies.py) -----------------------------------

# Numbers written as words -> their value, as the discrepancy finder reads counts.
COUNT_WORDS: dict[str, float] = {
    w: float(i)
    for i, w in enumerate(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split(),
        1,
    )
} | {
    "ninety": 90.0, "thirty": 30.0, "forty": 40.0, "fifty": 50.0, "sixty": 60.0,
    "seventy": 70.0, "eighty": 80.0,
}  # fmt: skip
# Words that multiply the number before them ("two million") -> the factor.
COUNT_SCALES: dict[str, float] = {
    "dozen": 12.0, "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9,
}  # fmt: skip
# Regex alternations (case-insensitive), each matched right before a number: a lower bound
# ("more than 100" agrees with 150), an upper bound, "nearly"; and every hedge word the
# value as shown starts from ("about 150" is just 150).
HEDGE_LOWER_BOUND = r"more than|over|at least|upwards of|in excess of"
HEDGE_UPPER_BOUND = r"less than|fewer than|under|up to|at most"
HEDGE_NEARLY = r"nearly|almost|close to|just under"
HEDGE_WORDS = (
    r"almost|nearly|about|around|some|roughly|approximately|an estimated|more than|"
    r"less than|fewer than|over|under|at least|up to|close to"
)
# Regex alternation (case-insensitive): what makes the number before it a share.
PERCENT_WORDS = r"%|percent|per cent|percentage"
# Regex: what right before a number makes it part of a date or a label ("May 12", "No. 3").
NOT_A_COUNT_BEFORE = (
    r"(?:\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?|\d-|\bNo\.?|#|Number)\s*$"
)
# Regex alternations (case-insensitive): words after or before a time that make it say
# when, not how long ("three years ago", "in the past two months").
RELATIVE_AFTER = r"ago|later|earlier|before|after|since|from now|old"
RELATIVE_BEFORE = r"in|within|after|past|last|next|first|coming|previous|every|each"
# Units of time (singular, lower case) -> days.
DURATION_DAYS: dict[str, float] = {
    "second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0,
    "month": 30.0, "year": 365.0, "decade": 3650.0,
}  # fmt: skip
# Words after a unit that make a number an age or a length, not a duration ("45-year-old").
NOT_DURATION = ("old", "long")
# Regex: "of (the) <noun>" after a duration: what the time is spent on ("three years of talks").
DURATION_OF = r"\s+of\s+(?:the\s+)?([a-z]+)"
# Plural nouns without an -s: the usual heads of a count in news copy.
IRREGULAR_PLURALS = frozenset(
    "people children men women police personnel staff troops cattle livestock aircraft "
    "crew feet teeth mice geese".split()
)
# Endings that make a word not a plural noun although it ends in -s ("status", "his").
NOT_PLURAL_ENDINGS = ("ss", "us", "is", "'s", "\u2019s")
# Heads that only say "persons": "400 people, most of them migrants" counts migrants.
GENERIC_HEADS = ("people", "persons", "individuals", "others")
# Words that end an apposition after a count (verbs, relative pronouns, conjunctions):
# "Five people were hurt when missiles hit" does not make the people missiles.
APPOSITION_VERBS = frozenset(
    "is are was were be been being has have had will would can could may might must shall "
    "should do does did who which that".split()
)
CONJUNCTIONS = frozenset("and or but while when because after before as if than".split())
# Words that announce an apposition ("400 people, most of them migrants").
APPOSITION_CUES = frozenset(
    "mostly mainly largely primarily predominantly many most all some including among them "
    "of whom".split()
)
# Porter stems (as the stemmer gives them) of time words that tell no event from another.
CALENDAR_STEMS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow week "
    "month year day hour minute time januari februari march april june juli august septemb "
    "octob novemb decemb".split()
)
# Regex: endings of a capitalised word that make it an adjective, not a surname
# ("Central American").
ADJECTIVE_NAME = r"(?:an|ese|ish|ic)$"
# Regexes (case-insensitive): a determiner, and a locative preposition, before the noun in
# group 1: the words that name a disputed event or place ("the border", "at the border").
TOPIC_DETERMINER = r"\b(?:the|a|an|its|their|this)\s+([a-z][a-z\-]+)"
TOPIC_LOCATIVE = r"\b(?:at|in|on|near|outside|inside|along|across)\s+(?:the\s+)?([a-z][a-z\-]+)"
# Lower-case titles and honorifics seen with a surname: two spellings with the same title
# may be one person.
SURNAME_TITLES = frozenset(
    "president minister secretary envoy spokesman spokeswoman spokesperson negotiator leader "
    "senator general chancellor adviser advisor aide director ambassador judge governor mayor "
    "chairman chief prince king queen premier representative official lawyer".split()
)
SURNAME_HONORIFICS = frozenset("mr mrs ms dr sir dame lord lady rev".split())

# --- statistics -------------------------------------------------------------------------

# Lower-case function words the term statistics (summaries, similarity, themes) ignore.
STOPWORDS = frozenset(
    """
    a about above after again against all almost also although always am among an and another
    any anyone anything are around as at be became because become been before being below
    between both but by can cannot could did do does doing done down during each either else
    enough even ever every few for from further get gets got had has have having he her here
    hers herself him himself his how however i if in into is it its itself just least less
    like made make many may me might more most much must my myself neither never no nor not
    now of off often on once one only or other others our ours ourselves out over own per
    perhaps quite rather really s said same say says shall she should since so some something
    still such than that the their theirs them themselves then there these they this those
    though through thus to too toward towards under until up upon us very via was we well
    were what whatever when where whether which while who whom whose why will with within
    without would yet you your yours yourself yourselves mr mrs ms t
    """.split()
)

# Reporting words that say nothing about an article's content (added to STOPWORDS for the
# terms that compare sentences and themes).
REPORTING_WORDS = frozenset(
    """said say says saying told according mr mrs ms dr also however""".split()
)

# Words that negate what follows them in their clause ("unlikely to meet the queen", "will
# not negotiate"); a word ending in "n't" does too. Two sentences that share words, one
# negating them and one not, report opposite things, not the same fact (rank.py).
NEGATIONS = frozenset("not never no none nor neither without unlikely cannot".split())
# Words right after a negation that make it negate nothing: "not only ... but also".
NEGATION_UNDONE = frozenset("only just merely simply least".split())

# Number words that make a two-word term an anchor ("28-point plan", "five hours").
ANCHOR_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
    "hundred thousand million billion".split()
)

# --- references back (reference.py) ------------------------------------------------------

# Regex: a sentence opening on a pronoun for a person, in a group named "word" ("He", "Her").
PERSON_REFERENCE = r"(?P<word>He|She|His|Her)\b"
# Regex: a sentence opening on a word pointing at things or groups the brief cannot name.
OTHER_REFERENCE = (
    r"(?:It|Its|They|Their|Them|This|These|Those|That|Such|Both|Neither)\b"
    r"|Another\s+(?=[a-z])"  # "Another asks ...": another of what the article just listed
    # "Among them are ...", "Many of those ...": a part of a group named before
    r"|(?:Among|(?:Many|Some|Most|All|None|Each|Several|One|Two|Three|Few) of)"
    r"\s+(?:them|those|these)\b"
    r"|At the time\b(?!\s+of\b)"  # the time of what the article just told
    r"|The\s+(?:majority|rest|remainder|latter)\b(?!\s+of\b)"
    # "The two leaders also said ...": a number of people or things counted before
    r"|The\s+(?:two|three|four|five)\s+(?:[a-z]+\s+)?[a-z]+s\b"
)
# Regex: a sentence opening on a group of people named before ("The chairmen said ...",
# "The Republican officials noted ..."), not one it names ("The leaders of France ...").
GROUP_REFERENCE = (
    r"The\s+(?:[A-Z]?[a-z]+\s+)?(?:"
    + "|".join(sorted(GROUP_NOUNS, key=len, reverse=True))
    + r")\b(?!\s+(?:of|from|for|in|at|who|with|to)\b)"
)
# Regex: a person's pronoun opening a clause inside a sentence, before anyone is named in
# it ("In the evening, he hosted ...", "Even if she loses, ..."): group "word".
PERSON_REFERENCE_INSIDE = (
    r"(?:,\s+|\b(?i:if|when|as|because|after|before|while|since|although|though|once|until"
    r"|unless)\s+)(?P<word>he|she)\b"
)
# Regex: "The move ...", "This decision ...": a definite noun that refers back to an event
# named in the sentence before, and says nothing of which one.
BARE_EVENT = (
    r"(?:The|This|That|Such a|Such)\s+(?:latest\s+|new\s+|surprise\s+)?"
    r"(?:move|step|decision|announcement|development|measure|remarks?|comments?|"
    r"statement|incident|episode|proposal|request|plan|deal|news|claim|claims|"
    r"allegations?|latest|appointment|call|conversations?|exchange|"
    r"account|decisions|moves|reports?|revelations?)"
    r"\b(?!\s+(?:of|to|by|from|for|on|that|which|between|with|in|at)\b)"
)
# Regex (case-blind): a sentence opening on a pronoun or connective that points back to
# text a reader of a bullet does not see ("And he said ...", "For example, ...").
DANGLING_START = (
    r"^(?:he|she|it|they|this|that|these|those(?!\s+who\b)|his|her|their|its|but|and|so|yet|also|"
    r"however|still|then|meanwhile|other|another|such|both|for example|for instance|"
    r"likewise|similarly|moreover|furthermore|thus|therefore|nonetheless|nevertheless|"
    r"as a result|rather(?!\s+than)|instead(?!\s+of)|in addition(?!\s+to))\b"
)
# Regex: words inside a sentence that point back to what the article told before: "those
# conversations", "such talks", "at the time", "of that section", "officials there".
POINTS_BACK = (
    r"\b(?:[Tt]hose|[Tt]hese)\s+(?!who\b|which\b|that\b|of\b|in\b|with\b|are\b|were\b|"
    r"at\b|on\b|for\b|from\b|and\b|or\b)[a-z]"
    r"|\b[Ss]uch\s+(?:an?\s+)?(?!as\b)[a-z]"
    r"|\b[Aa]t the time\b(?!\s+of\b)"
    # after a preposition "that" is a determiner: "in that case", "of that section"
    r"|\b(?:[Oo]f|[Ii]n|[Tt]o|[Aa]bout|[Ff]rom|[Oo]n|[Ff]or|[Bb]y|[Oo]ver|[Aa]fter)\s+that\s+"
    r"(?!is\b|was\b|are\b|were\b|the\b|an?\b|this\b|it\b|he\b|she\b|they\b|we\b|"
    r"there\b|his\b|her\b|its\b|their\b)[a-z]"
    # "that" right before a verb is a pronoun: "officials said that was an error"
    r"|\b(?:said|says|added|noted|argued|insisted)\s+that\s+(?:was|is|would be|will be)\b"
    # "the two countries were negotiating": two or more named before, elsewhere
    r"|\b[Tt]he\s+(?:two|three|four)\s+(?:[a-z]+\s+)?[a-z]+s\b"
    # "officials there said": there as a place named before, not "there is"
    r"|\b[A-Za-z]+s there\b(?!\s+(?:is|are|was|were|will|would|has|have|had|may|might|could|"
    r"seems?)\b)"
)
# Lower-case strings one of which is in every text POINTS_BACK matches: texts without
# any are passed over without running it.
POINTS_BACK_HINTS = (
    "those ", "these ", "such ", "the time", "that ", " there", "the two ", "the three ",
    "the four ",
)  # fmt: skip
# Regex: an honorific opening a name ("Mr. ").
LEADING_HONORIFIC = r"^(?:Mr|Mrs|Ms|Dr|Sir|Dame)\.?\s+"

# --- finite verbs, without a tagger (structure.py) ---------------------------------------

AUXILIARIES = frozenset(
    "is are was were am has have had do does did will would can could may might must shall "
    "should isn't aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't won't "
    "wouldn't can't couldn't mustn't shouldn't ain't".split()
)
# Irregular past and present forms common in news copy ("met", "told", "says"). Forms that
# are also position words in captions ("left") are read after those are taken out.
IRREGULAR_VERBS = frozenset(
    "said says told tells met meets made makes took takes gave gives went goes came comes "
    "got gets saw sees knew knows thought thinks became becomes began begins brought brings "
    "bought built chose drew drove fell felt found fled flew forgot held holds hit kept "
    "keeps led leads left lost meant paid put ran rose sent set sold spoke spent stood "
    "struck swore taught threw understood won wrote writes sought fought caught slept "
    "wore shook sang sat lay laid let rang beat bore broke hid hung shot shut split spread "
    "stole stuck swept tore woke wants seems appears remains agreed agrees warns warned "
    "vows vowed plans urges calls asks heard grew quit hurt dealt rode sank swam swung "
    "withdrew overtook undertook forgave froze lent bent dug spun wept withheld upheld "
    "overcame oversaw shrank sprang slid strode arose awoke bled clung crept flung "
    "mistook rebuilt rewrote sped underwent ate".split()
)
# Base forms that are finite after a plural subject ("Officials fear ...", "Britons plan
# to ..."), and past forms that are nouns too ("cut the ribbon", "a tax cut"); read as
# verbs only when no determiner or "to" comes first ("the plan", "the cut").
BASE_VERBS = frozenset(
    "fear say want plan hope expect believe need agree face remain seem continue support "
    "oppose call urge warn claim deny insist argue accuse reject accept demand seek hold "
    "take make give see know think feel tell ask try use keep show help allow include "
    "follow meet vote protest gather march wait stand live work fight flee die open close "
    "begin end start rise fall cut cost bid cast upset burst".split()
)
# Words ending in -ed or -s that are not verbs in the sentences where it matters.
NOT_VERBS = frozenset(
    "hundred red bed shed speed need feed seed breed creed indeed embed sacred naked wicked "
    "beloved rugged aged united limited his this its thus as us plus less unless across "
    "news series species always perhaps towards afterwards besides whereas yes was "
    "various famous previous serious dangerous numerous enormous anonymous".split()
)
# Words after which an -s word is a plural noun, not a verb ("the tariffs", "two years").
NOUN_CONTEXT = frozenset(
    "the a an his her its their our your my this these those that of in on for with by to "
    "at from and or many several some few two three four five six seven eight nine ten "
    "both all other such new more most no any each".split()
)

# Endings that make an -s word no verb ("boss", "status", "crisis", "politics").
NOT_VERB_ENDINGS = ("ss", "us", "is", "ics")

# --- the structure of news copy: captions, notes, decks, headlines (structure.py) ---------

# Regex (case-insensitive): where people stand in a picture's frame (", left,", "(right)",
# "second from left", "pictured").
CAPTION_POSITION = (
    r"(?:,\s*|\()(?:(?:second|third|far|centre|center|top|bottom|front|back)\s+)?"
    r"(?:left|right|center|centre|top|above|below|foreground|background)"
    r"(?:\s+to\s+right)?(?:,|\))|\bfrom (?:left|right)\b|\bpictured\b"
)
# Regex: an agency caption's full date ("Sunday, July 29, 2018").
CAPTION_DATE = (
    r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|"
    r"Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s+(?:19|20)\d{2}\b"  # agencies give the year
)
# Regex (case-insensitive): a past-tense or modal verb: news copy tells what happened in it,
# a caption shows it in the present.
PAST_TENSE = (
    r"\b(?:said|told|was|were|had|did|would|could|will|has|have|went|came|met|made|took|gave|"
    r"got|saw|knew|became|began|brought|held|left|led|lost|paid|ran|rose|sent|spoke|stood|"
    r"won|wrote|fled|fell|flew|fought|sought|[a-z]{3,}ed)\b"
)
# Regex (case-insensitive), matched at a paragraph's start: a note about the text itself
# ("First paragraph (index) is missing.", "This story has been updated.", "Editor's note:").
TEXT_NOTE = (
    r"^(?:editor'?s?’?s? note\b|correction\b|update\b:|"
    r"(?:(?:the|this|first|second|last|next|previous)\s+)*"
    r"(?:paragraph|article|story|text|page|video|image|photo|index|section|transcript)s?"
    r"\b[^.]{0,40}\b(?:is|are|was|were|has been|have been)\s+"
    r"(?:missing|omitted|removed|unavailable|not available|truncated|updated|corrected|"
    r"cut|edited))"
)
# Regex: headline-style present tense ("X says ...", "Y warns ..."), in which decks and video
# captions summarise; and the past reporting verbs ledes report in ("said").
PRESENT_ATTRIBUTION = (
    r"\b(?:says|say|warns|reports|claims|agree|agrees|insists|vows|urges|reveals|admits|"
    r"denies|confirms|announces)\b"
)
PAST_REPORTING = r"\b(?:said|told|added|stated|wrote|reported)\b"
# Regex: the day named in a lede, which headlines leave out ("on Monday", "yesterday").
HEADLINE_DAY = r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today)\b"


# --- theme discovery (stages/discover.py) ----------------------------------------------

# Words that say when, who or how it was reported in every thread of any story, so they
# tell one thread from another badly: days, months, time words, reporting and filler words.
THREAD_GENERIC = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december week weeks month months year
    years day days today yesterday tomorrow time times hour hours minute minutes morning
    evening night weekend earlier later recently ago percent people person official
    officials president report reports reported reporting statement statements told tell
    news according also including include includes included former new first last next
    early late many several number part way thing things lot made make makes making
    going get gets got take taken took give given came come comes went go goes say says
    said saying spokesman spokeswoman spokesperson interview asked ask asks added adding
    called call calls know known think thought want wanted wants need needs well just
    still even much more most whether""".split()
)
# Words a title may hold between its content words ("tariffs on steel").
TITLE_LINKS = frozenset("of at in on for to and from over with against".split())
# Words after which the next word is a verb ("to expire", "will meet", "he filed", "was
# delayed"): a word the articles use after them is no noun to end a title on.
VERB_MARKERS = frozenset(
    """to will would could should can might must not did does do he she they we i who
    is are was were be been being has have had""".split()
)
# Words after which the next word is a noun or an adjective ("the exemption"); before them,
# the word is a verb ("filed a lawsuit").
DETERMINERS = frozenset("the a an its his her their this these those".split())
# Prepositions: the next word is a noun or an adjective ("of protests", "on steel").
NOUN_MARKERS = frozenset("of at in on for from over with against about into by".split())
# Words after which the word before names a speaker ("the county engineer said"): a title
# ending on it names who spoke, not what happened.
SPEAKER_CUES = frozenset("said says say told tells added warned wrote".split())


# --- credit lines and money (metadata.py, discrepancies.py) ------------------------------

# Words that open a copyright line, and the company endings a holder's name may carry.
COPYRIGHT_OPEN = r"©|\(c\)|copyright\b"
COMPANY_ENDINGS = r"L\.?P\.?|Ltd\.?|LLC|Inc\.?|plc|GmbH|S\.A\.|Limited|Corporation|Corp\.?"
RIGHTS_RESERVED = r"all rights"  # what follows a holder's name on a copyright line
ALL_RIGHTS_RESERVED = r"\ball rights reserved\b"
DISTRIBUTED_BY = r"\bdistributed by"  # an agency credit line: "distributed by Tribune"
# Currency codes written before an amount ("US 5 million", "EUR 40").
CURRENCY_CODES = r"US|USD|EUR"
