"""Classify: seed terms plus words learned from the corpus place sentences under themes."""

from briefgen.config import Theme
from briefgen.stages.classify import ThemeModel, assign, build_models
from briefgen.stages.features import content_terms

THEMES = [
    Theme("land", "Land", "Who holds which land.", ("territory", "territorial")),
    Theme("money", "Money", "Who pays.", ("budget", "funding")),
]
CORPUS = [
    "Negotiators argued over territory in Donbas for hours.",
    "The territory of Donbas remains contested after the offensive.",
    "Territorial control of Donbas is the central demand.",
    "Officials discussed the budget for reconstruction.",
    "Funding for the reconstruction budget was approved.",
    "The weather in the capital was cold.",
    "Ceding Donbas would reward the invasion, officials warned.",
    # Ordinary reporting around the themes, as in any real story.
    "The delegation arrived late on Tuesday evening.",
    "Reporters waited outside the building all afternoon.",
    "The foreign minister gave a short statement.",
    "Talks are expected to continue next week.",
    "Both sides described the meeting as useful.",
    "A second round is planned for the spring.",
    "The president thanked the mediators.",
] + [f"Routine item number {i} from the wires was filed without comment." for i in range(20)]


def models():
    return build_models(THEMES, [content_terms(s) for s in CORPUS])


def test_seed_terms_place_sentences():
    """A sentence with a theme's configured term lands under that theme."""
    assert assign(models(), content_terms("The territory question is open."))[0] == "land"
    assert assign(models(), content_terms("The budget is short."))[0] == "money"


def test_learned_terms_place_sentences_without_seed_words():
    """'Ceding Donbas' fits the land theme though it never says 'territory'."""
    sentence = "Ceding Donbas would reward the invasion, officials warned."
    assert sentence in CORPUS
    terms = content_terms(sentence)
    built = models()
    # No seed word of any theme: only what was learned from the corpus can place it.
    assert not any(m.has_seed(terms) for m in built)
    land = next(m for m in built if m.id == "land")
    assert "donba" in land.learned and "donba" in terms
    assert assign(built, terms)[0] == "land"
    # The same models without their learned words leave the sentence unplaced.
    unlearned = [ThemeModel(m.id, m.seeds, {}) for m in built]
    assert assign(unlearned, terms) == (None, 0.0)


def test_off_topic_sentence_fits_no_theme():
    """A sentence with nothing of any theme is left unassigned."""
    assert assign(models(), content_terms("The weather in the capital was cold.")) == (None, 0.0)


def test_context_counts_half():
    """A short quote with no theme words is placed by the paragraph around it."""
    quote = content_terms("We will not give it up")
    assert assign(models(), quote)[0] is None
    context = content_terms("He spoke about the territory.")
    assert assign(models(), quote, context=context)[0] == "land"
