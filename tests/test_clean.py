"""Clean: general debris rules keep the body and drop web furniture."""

from pathlib import Path

import pytest

from briefgen.pipeline import analyse
from briefgen.stages.clean import clean, debris_reason
from briefgen.stages.ingest import read_article


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Share", "label"),
        ("Share this article", "label"),
        ("Watch video below :", "label"),
        ("Story Continues", "label"),
        ("Most Read", "label"),
        ("Follow us on social media for breaking news", "promotion"),
        ("Mayor Jones at the opening ceremony (Photo: City Council)", "caption"),
        ("Flood waters in the town centre (John Smith/AFP via Getty Images)", "caption"),
        ("In this file photo, the bridge is seen from the river.", "caption"),
        (
            "Sign up to our newsletter and we will email you the top stories every morning.",
            "promotion",
        ),
        ("We use cookies to improve your experience. Read our privacy notice.", "promotion"),
        ("© 2024 The Daily Planet Ltd. All rights reserved.", "copyright"),
        ("Distributed by Example Content Agency, LLC.", "copyright"),
        ("14:05, Mon, Jan 6, 2025 | Updated: 15:10, Mon, Jan 6, 2025", "dateline"),
        ("* * *", "separator"),
        ("___", "separator"),
    ],
)
def test_debris_rules(line, reason):
    """Typical debris from many sites is recognised with its reason."""
    assert debris_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "The council voted to rebuild the bridge by next spring.",
        "Kyiv has repeatedly rejected that demand.",
        "“We will not give up,” the mayor said.",
        "Officials said the cookie factory would reopen after the flood, and workers returned.",
    ],
)
def test_body_sentences_are_kept(line):
    """Ordinary article sentences, even short ones, are body."""
    assert debris_reason(line) is None


def test_clean_records_metadata_and_keeps_offsets():
    """Datelines and copyright lines feed metadata; kept blocks are exact source spans."""
    raw = (
        "Bridge to reopen after floods\n"
        "09:15, Tue, Mar 4, 2025\n"
        "The old bridge will reopen next week, the council said.\n"
        "Share\n"
        "Engineers checked every pillar.\n"
        "© 2025 Riverside Post Ltd. Distributed by Wire Co.\n"
    ).encode()
    source = read_article(raw, "a.txt")
    source = clean(source)
    body = [source.text[b.start : b.end] for b in source.body]
    assert body == [
        "The old bridge will reopen next week, the council said.",
        "Engineers checked every pillar.",
    ]
    assert source.published == "2025-03-04T09:15"
    assert source.outlet == "Riverside Post"
    assert {r.reason for r in source.removed} == {"headline", "dateline", "label", "copyright"}


SAMPLE_DEBRIS = [
    "Invalid email",
    "Privacy Policy",
    "Watch video below",
    "Story Continues",
    "(Image: Getty)",
    "Getty Images/TNS",
    "Distributed by Tribune",
    "Share this article",
    "Top NewsVideo",
    "Russian blogger reflects",
    "Updated: 06:48",
    "Dignified peace",
    "VIP Treatment but No Compromise",
]


def test_no_sample_debris_in_body():
    """None of the sample's web debris survives cleaning."""
    result = analyse(Path("seeds"))
    assert len(result.sources) == 5
    for source in result.sources:
        body = "\n".join(source.text[b.start : b.end] for b in source.body)
        for debris in SAMPLE_DEBRIS:
            assert debris not in body, (source.path, debris)
