"""The checks behind every event (procedures.lifecycle), on literal records: status, dates, repeats, undo."""

from __future__ import annotations

import dataclasses

from procreg.procedures import lifecycle
from procreg.procedures.scope import live_events
from procreg.registry.models import Event

TODAY = "2023-12-31"
PUBLISHED = Event(kind="published", on="2023-03-15", evidence="45/QĐ-SNgV", id=1, origin="ingest")
SUBJECT = lifecycle.Subject(
    kind="procedure",
    id=7,
    label="QT.NV.01",
    handle="QT.NV.01",
    status="active",
    issued_on="2023-03-15",
    issued_by="45/QĐ-SNgV",
    events=(PUBLISHED,),
    publications=(("2023-03-15", "45/QĐ-SNgV"),),
)


def test_status_allows_only_what_it_should() -> None:
    assert lifecycle.status_refusal(SUBJECT, "reviewed") is None
    withdrawn = dataclasses.replace(SUBJECT, status="withdrawn")
    assert "takes no event but `procreg restore QT.NV.01`" in str(
        lifecycle.status_refusal(withdrawn, "reviewed")
    )
    assert lifecycle.status_refusal(withdrawn, "restored") is None
    assert "not withdrawn" in str(lifecycle.status_refusal(SUBJECT, "restored"))
    abolished = dataclasses.replace(SUBJECT, status="abolished")
    assert lifecycle.status_refusal(abolished, "reviewed") is None
    assert "abolished" in str(lifecycle.status_refusal(abolished, "publicized"))


def test_dates_future_before_issue_and_publicize_before_publish() -> None:
    def reasons(kind: str, on: str, **kw: object) -> list[str]:
        return lifecycle.date_refusals(SUBJECT, Event(kind=kind, on=on), today=TODAY, **kw)  # type: ignore[arg-type]

    assert reasons("reviewed", "2023-06-01") == []
    assert reasons("reviewed", "2024-01-01") == ["2024-01-01 is in the future (today is 2023-12-31)"]
    assert reasons("reviewed", "1999-01-01")[0].startswith("1999-01-01 is before QT.NV.01 was issued")
    assert reasons("publicized", "2023-03-15") == []  # the same day is on or after
    assert reasons("publicized", "2023-03-14") == [
        "2023-03-14 is before QT.NV.01 was issued (45/QĐ-SNgV, 2023-03-15): nothing can happen to it "
        "before it exists",
        "công khai on 2023-03-14 comes before its công bố on 2023-03-15 by 45/QĐ-SNgV",
    ]
    unpublished = dataclasses.replace(SUBJECT, publications=())
    found = lifecycle.date_refusals(unpublished, Event(kind="publicized", on="2023-05-01"), today=TODAY)
    assert found and "no công bố is recorded for QT.NV.01" in found[0]
    late = reasons("published", "2023-03-01", decision=("52/QĐ-SNgV", "2023-09-10"))
    assert "công bố on 2023-03-01 is before decision 52/QĐ-SNgV was issued (2023-09-10)" in late


def test_a_repeat_is_the_same_fact_whoever_typed_it() -> None:
    again = Event(kind="published", on="2023-03-15", evidence="45/QD-SNgV")
    assert lifecycle.repeat_of(SUBJECT, again) == PUBLISHED
    review = Event(kind="reviewed", on="2023-06-30", by="Văn phòng Sở", id=2)
    reviewed = dataclasses.replace(SUBJECT, events=(PUBLISHED, review))
    assert lifecycle.repeat_of(reviewed, Event(kind="reviewed", on="2023-06-30", by="VĂN PHÒNG SỞ")) == review
    assert lifecycle.repeat_of(reviewed, Event(kind="reviewed", on="2023-06-30", by="Thanh tra Sở")) is None
    undone = dataclasses.replace(
        reviewed, events=(PUBLISHED, review, Event(kind="cancelled", on="2023-07-01", cancels=2, id=3))
    )
    assert lifecycle.repeat_of(undone, Event(kind="reviewed", on="2023-06-30", by="Văn phòng Sở")) is None


def test_undo_only_a_users_standing_review_publication_or_publicizing() -> None:
    review = Event(kind="reviewed", on="2023-06-30", id=2)
    cancel = Event(kind="cancelled", on="2023-07-01", cancels=2, id=3)
    assert lifecycle.undo_refusal(review, [PUBLISHED, review]) is None
    assert "undone already (by event #3)" in str(lifecycle.undo_refusal(review, [review, cancel]))
    assert "itself an undo" in str(lifecycle.undo_refusal(cancel, [review, cancel]))
    assert "came with the document 45/QĐ-SNgV" in str(
        lifecycle.undo_refusal(PUBLISHED, [PUBLISHED], "45/QĐ-SNgV")
    )
    withdrawal = Event(kind="withdrawn", on="2023-08-01", id=4)
    assert "procreg restore" in str(lifecycle.undo_refusal(withdrawal, [withdrawal]))
    assert live_events([PUBLISHED, review, cancel]) == [PUBLISHED]
