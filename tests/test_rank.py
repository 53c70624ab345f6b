"""Rank: the same fact from several outlets is merged; different facts stay apart."""

from __future__ import annotations

from dataclasses import replace

from briefgen.models import Sentence
from briefgen.stages import rank
from briefgen.stages.features import (
    anchors,
    content_terms,
    document_frequencies,
    name_terms,
    negated_terms,
    tfidf,
)

FILLER = [f"Routine wire item {i} covered an unrelated local matter today." for i in range(20)]


def candidates(texts: list[tuple[int, str]]) -> list[rank.Candidate]:
    all_texts = [t for _, t in texts] + FILLER
    terms = [content_terms(t) for t in all_texts]
    df, n = document_frequencies(terms)
    names = name_terms(all_texts)
    cands = []
    for i, (source, text) in enumerate(texts):
        sentence = Sentence(
            source=source, start=0, end=len(text), text=text, position=i, paragraph=0
        )
        cands.append(
            rank.Candidate(
                sentence=sentence,
                terms=terms[i],
                vector=tfidf(terms[i], df, n, names),
                anchors=anchors(terms[i], names),
            )
        )
    return cands


def groups_of(texts: list[tuple[int, str]]) -> list[set[int]]:
    cands = candidates(texts)
    groups = rank.group_facts(cands, rank.similar_pairs(cands), [True] * len(cands))
    return sorted(({m.sentence.position for m in g.members} for g in groups), key=min)


def test_same_fact_in_other_words_is_merged():
    """'agreed not to disclose' reported by two outlets with different wording is one fact."""
    found = groups_of([
        (1, "The Kremlin stated that both sides have agreed not to disclose the details of the talks."),
        (2, "Analysts noted the Kremlin statement that the delegations agreed not to disclose the essence of the talks."),
    ])  # fmt: skip
    assert found == [{0, 1}]


def test_shared_number_pins_the_same_fact():
    """Two outlets giving 'almost five hours' for the talks report one fact."""
    found = groups_of([
        (1, "On Tuesday the delegation held talks with the president for almost five hours."),
        (2, "The negotiations with the president lasted almost five hours, officials said."),
    ])  # fmt: skip
    assert found == [{0, 1}]


def test_opposite_reports_are_not_one_fact():
    """'unlikely to meet the mayor' and 'will meet the mayor' share their words but say
    opposite things: no source is cited for what it contradicts."""
    found = groups_of([
        (1, "Because the trip is private, the envoy is unlikely to meet the mayor of Lisbon."),
        (2, "Reports suggest the envoy will meet the mayor of Lisbon during the trip."),
    ])  # fmt: skip
    assert found == [{0}, {1}]


def test_the_same_denial_in_other_words_is_one_fact():
    """Both negate the same word ('not a target'), so the negation is no difference; a
    later word of one sentence ('probe') is outside the negation's reach."""
    found = groups_of([
        (1, "A source said the deputy minister assured Ann Reyes she was not a target of the tax probe."),
        (2, "The deputy minister told Ann Reyes she is not the target of the tax probe, a source said."),
    ])  # fmt: skip
    assert found == [{0, 1}]


def test_a_negation_governs_the_next_words_of_its_clause():
    assert negated_terms("He is unlikely to meet Queen Anne, aides said.") >= {"meet", "queen"}
    assert "said" not in negated_terms("He is unlikely to meet Queen Anne, aides said.")
    assert negated_terms("She won’t attend the summit.") == {"attend"}
    assert negated_terms("He did not name them, but the list is long.") == {"name"}
    assert negated_terms("The talks went well.") == frozenset()
    # "not only ... but also" negates nothing.
    assert negated_terms("She not only met the mayor but also toured the port.") == frozenset()
    assert negated_terms("It is no longer sustainable.") == {"longer", "sustain"}


def test_same_people_different_facts_stay_apart():
    """Sentences that only share names (Rubio, Secretary of State) are different facts."""
    found = groups_of([
        (1, "Secretary of State Marco Rubio said the end of the war depends on one person."),
        (2, "Secretary of State Marco Rubio described the previous round of talks as productive."),
    ])  # fmt: skip
    assert found == [{0}, {1}]


def test_chain_of_loose_links_does_not_collapse():
    """A middle sentence loosely like two others does not glue them into one fact."""
    found = groups_of([
        (1, "The delegation agreed not to disclose the details of the peace proposal."),
        (2, "Officials agreed not to disclose the details and discussed the peace proposal at length."),
        (3, "The budget was discussed at length by officials in Paris."),
    ])  # fmt: skip
    assert {0, 1} in found and not any({0, 2} <= g for g in found)


def test_select_skips_near_duplicates_and_respects_k():
    """MMR picks at most k groups and never two that say nearly the same thing."""
    cands = candidates([
        (1, "The bridge reopened to traffic on Monday after repairs."),
        (1, "The bridge reopened to traffic on Monday after long repairs."),
        (2, "The mayor promised a new budget for schools."),
        (3, "Flood warnings were lifted across the valley."),
    ])  # fmt: skip
    groups = [
        rank.FactGroup(members=[c], score=1.0 - i / 10, sources={c.sentence.source})
        for i, c in enumerate(cands)
    ]
    picked = rank.select(groups, k=3)
    texts = [g.lead.sentence.text for g in picked]
    assert len(picked) == 3
    assert not ("after repairs" in " ".join(texts) and "after long repairs" in " ".join(texts))


def test_sparse_pair_search_finds_what_the_index_finds(monkeypatch):
    """similar_pairs on a large input (sparse products) returns the pairs, and cosines,
    that the inverted index's own neighbour search returns."""
    from briefgen.stages.features import SimilarityIndex

    topics = ["bridge", "budget", "storm", "strike", "election", "vaccine"]
    texts = [
        (k % 9, f"The {topics[k % 6]} talks in town {k % 7} ended with a deal on item {k % 5} "
                f"after {k % 4 + 2} hours, officials said on day {k % 3}.")
        for k in range(120)
    ]  # fmt: skip
    cands = candidates(texts)
    index = SimilarityIndex([c.vector for c in cands])
    expected = [(i, j, s) for i in range(len(cands)) for j, s in index.neighbours(i, 0.2) if j > i]
    monkeypatch.setattr(rank, "SPARSE_MIN", 0)
    monkeypatch.setattr(rank, "PAIR_CHUNK", 7)  # several chunks, rows split across them
    found = rank.similar_pairs(cands)
    assert len(expected) > 100
    assert [(i, j) for i, j, _ in found] == [(i, j) for i, j, _ in expected]
    assert all(abs(a[2] - b[2]) < 1e-12 for a, b in zip(found, expected, strict=True))


def _select_by_definition(groups, k, weight=0.7, taken=()):
    """Maximal marginal relevance as defined: every round, each group's overlap is its
    highest cosine with anything taken or chosen so far."""
    from briefgen.stages.features import cosine

    chosen, vecs = [], list(taken)
    pool = sorted(groups, key=lambda g: (-g.score, g.lead.sentence.source, g.lead.sentence.start))
    while pool and len(chosen) < k:
        best, best_value = None, float("-inf")
        for group in pool:
            overlap = max((cosine(group.lead.vector, v) for v in vecs), default=0.0)
            if (
                overlap < rank.REDUNDANT
                and weight * group.score - (1 - weight) * overlap > best_value
            ):
                best, best_value = group, weight * group.score - (1 - weight) * overlap
        if best is None:
            break
        chosen.append(best)
        vecs.append(best.lead.vector)
        pool.remove(best)
    return chosen


def test_select_keeps_overlaps_up_to_date_as_the_definition_computes_them():
    """``select`` updates each group's overlap with the one vector a round adds; it picks
    what the definition picks, whatever was taken before and however many are asked for."""
    topics = ["ferry", "bridge", "council", "harbour", "strike", "budget"]
    texts = [
        (i % 7, f"The {topics[i % 6]} vote on the {topics[(i * 5) % 6]} plan passed {i} times.")
        for i in range(40)
    ]
    cands = candidates(texts)
    groups = [rank.FactGroup(members=[c], sources={c.sentence.source}) for c in cands]
    for i, group in enumerate(groups):
        group.score = 1.0 - (i * 37 % 40) / 40
    for taken in ([], [cands[0].vector], [cands[3].vector, cands[11].vector]):
        for k in (1, 4, 40):
            expected = _select_by_definition(groups, k, taken=taken)
            assert rank.select(groups, k, taken=taken) == expected, (taken, k)
            assert len(expected) >= 1


def test_a_sentence_pointing_back_does_not_stand_alone():
    """Read alone as a bullet, a sentence opening on a pronoun, a conjunction or a word
    such as "Other" refers to text the reader does not see."""
    texts = [
        (1, "Other memos add new details to the exchanges."),
        (1, "And the mayor said the bridge would reopen."),
        (1, "Both leaders said the talks had gone well."),
        (1, "Otherwise the council kept its budget for the year."),
        (1, "Others on the council voted against the plan."),
        (1, "The mayor said the bridge would reopen in May."),
        (1, "For example, the mayor said the bridge would reopen."),
        (1, "Rather, the council said it would wait."),
        (1, "Rather than wait, the council voted on Monday."),
        (1, "Instead of waiting, the council voted on Monday."),
    ]
    alone = [rank.stands_alone(c) for c in candidates(texts)]
    assert alone == [False, False, False, True, True, True, False, False, True, True]


def test_a_sentence_that_points_back_inside_does_not_stand_alone():
    """ "those conversations", "such talks", "at the time", "in that case", "officials
    there": read alone, the reader cannot tell what they mean."""
    dangling = [
        "The minister has since admitted lying about those conversations to the council.",
        "News of the visit came days after the mayor said such talks would help.",
        "The paper reported at the time that the mayor was angry.",
        "A ruling in that case is expected in May.",
        "Officials there said they would share the data with the council.",
        "The council said that was a clerical error in the budget.",
        "On Tuesday, a newspaper reported that the two ports were negotiating a merger.",
    ]
    alone = [
        "Those who stayed said the water rose fast.",
        "Ports such as Lisbon will face a new levy.",
        "The council said that officials would meet the engineers.",
        "At the time of the flood, the bridge was closed.",
        "Officials said there is no plan to close the port.",
        # What "such a visit" points to is named before it in the same sentence.
        "A state visit was proposed in May, but protests put such a visit on ice.",
        "Ann Reyes and Tom Ware met in Lisbon, and the two mayors signed the port deal.",
    ]
    cands = candidates([(1, t) for t in dangling + alone])
    assert [rank.stands_alone(c) for c in cands] == [False] * len(dangling) + [True] * len(alone)
    # A pronoun the brief resolves in brackets points back no more.
    he = replace(
        cands[0],
        sentence=replace(cands[0].sentence, text="He said he would resign."),
        display="[Tom Reyes] said he would resign.",
        alone=None,
    )
    assert rank.stands_alone(he)


def test_a_theme_takes_facts_that_read_alone_before_those_that_point_back():
    from briefgen.stages.selection import _standalone_first

    cands = candidates([
        (1, "Divers found those cracks in the old lighthouse stairs last winter."),
        (2, "The council approved a budget of four million for the harbour wall."),
        (3, "Engineers expect the harbour wall to reopen to walkers in May."),
    ])  # fmt: skip
    groups = [rank.FactGroup(members=[c], sources={c.sentence.source}) for c in cands]
    for group, score in zip(groups, (3.0, 2.0, 1.0), strict=True):
        group.score = score
    assert _standalone_first(groups, 2, taken=[]) == groups[1:]
    # With room for all three, the one that points back fills what is left.
    assert _standalone_first(groups, 3, taken=[]) == [groups[1], groups[2], groups[0]]


def test_pairs_from_one_phrase_are_one_piece_of_evidence():
    """ "federal district court" yields two overlapping pairs: one phrase, counted once;
    pairs from separate phrases count apart, and a phrase with a number twice."""
    assert rank.anchor_weight({"court district", "district feder"}) == 1
    assert rank.anchor_weight({"dinner state", "even host"}) == 2
    assert rank.anchor_weight({"2016 elect", "2016 meddl"}) == 2
    assert rank.anchor_weight({"court district", "district feder", "five hour"}) == 3
    found = groups_of([
        (1, "The council filed its claim for the flooded warehouses in the federal district court."),
        (2, "A judge of the federal district court set a hearing on the fishing quota dispute."),
    ])  # fmt: skip
    assert found == [{0}, {1}]


def test_same_fact_pairs_agree_with_the_pairwise_test():
    """The array filter behind grouping keeps exactly the pairs ``reports_same_fact``
    keeps, between eligible sentences, most alike first: high cosines, pairs alike only
    through a shared number, and opposite reports (one negated) all decided as one by one."""
    texts = [
        (1, "The president will meet the queen at Windsor Castle on Tuesday."),
        (2, "The president will meet the queen at Windsor Castle on Tuesday, aides said."),
        (3, "The president will not meet the queen at Windsor Castle on Tuesday."),
        (4, "On Tuesday the delegation held talks with the president for almost five hours."),
        (
            5,
            "The delegation stayed almost five hours, far longer than the schedule foresaw, aides to both governments said.",
        ),
        (6, "The delegation held talks with the president for almost five hours on Tuesday."),
        (7, "The president will meet the queen at Windsor Castle on Tuesday evening."),
    ]
    cands = candidates(texts)
    pairs = rank.similar_pairs(cands)
    eligible = [True, True, True, True, True, True, False]
    expected = [
        (i, j)
        for _, i, j in sorted(
            (-sim, i, j)
            for i, j, sim in pairs
            if eligible[i] and eligible[j] and rank.reports_same_fact(cands[i], cands[j], sim)
        )
    ]
    kept = rank._same_fact_pairs(cands, pairs, eligible)
    assert kept == expected
    assert (0, 1) in kept and (0, 2) not in kept and (1, 2) not in kept  # negated: apart
    assert all(6 not in pair for pair in kept)  # an ineligible sentence pairs with none
    # alike below SAME_FACT only through the shared "five hours"
    assert any(i == 3 and j == 4 and sim < rank.SAME_FACT for i, j, sim in pairs)
    assert (3, 4) in kept
    assert rank._same_fact_pairs(cands, [], eligible) == []
