"""Aggregation and ranking on fixed scores: weighted totals per judge, their mean and median,
competition ranks with ties flagged, and missing or incomplete scorecards shown, never read as 0.

Criteria: Team (weight 2), Market (weight 1); a judge's total is (2 × Team + Market) / 3."""

from fractions import Fraction

import pytest

from meetup.program import selectors
from meetup.program.models import Assignment
from tests.factories import UserFactory
from tests.program.conftest import make_application, make_call, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(db):
    return UserFactory.create_batch(3)


@pytest.fixture
def call3(organiser, panel):
    return make_call(organiser, judges=panel, winners=2)


def by_name(result):
    return {row.application.startup_name: row for row in result.rows}


def test_a_judges_total_is_the_weighted_mean_of_their_scores():
    assert selectors.weighted_total({1: 9, 2: 3}, {1: 2, 2: 1}) == Fraction(7)
    assert selectors.weighted_total({1: 9}, {1: 2, 2: 1}) is None  # a criterion unscored


def test_applications_rank_by_weighted_mean_with_the_median_beside_it(call3, panel):
    a, b = make_application(call3, name="A"), make_application(call3, name="B")
    j1, j2, j3 = panel
    score(a, j1, 9, 3)   # 7
    score(a, j2, 6, 6)   # 6
    score(a, j3, 3, 3)   # 3
    score(b, j1, 5, 5)   # 5
    score(b, j2, 5, 8)   # 6
    score(b, j3, 5, 5)   # 5

    rows = by_name(selectors.ranking(call3))

    assert (rows["A"].mean, rows["A"].median) == (Fraction(16, 3), Fraction(6))
    assert (rows["B"].mean, rows["B"].median) == (Fraction(16, 3), Fraction(5))
    # Equal means share the rank and are flagged; the median does not silently break the tie.
    assert (rows["A"].rank, rows["A"].tied) == (1, True)
    assert (rows["B"].rank, rows["B"].tied) == (1, True)


def test_ranks_skip_after_a_tie_and_unscored_applications_come_last_unranked(call3, panel):
    apps = {name: make_application(call3, name=name) for name in "ABCDE"}
    j1 = panel[0]
    score(apps["A"], j1, 10, 10)  # 10
    score(apps["B"], j1, 8, 5)    # 7
    score(apps["C"], j1, 7, 7)    # 7
    score(apps["D"], j1, 4, 4)    # 4

    result = selectors.ranking(call3)

    assert [(r.application.startup_name, r.rank, r.tied) for r in result.rows] == [
        ("A", 1, False), ("B", 2, True), ("C", 2, True), ("D", 4, False), ("E", None, False)]
    assert result.tie_at_cutoff  # two winners: place 2 is shared by B and C


def test_missing_and_incomplete_scorecards_are_counted_as_such_not_as_zero(call3, panel):
    a = make_application(call3, name="A")
    j1, j2, j3 = panel
    score(a, j1, 8, 8)
    score(a, j2, 2)  # Market unscored: an incomplete scorecard

    row = by_name(selectors.ranking(call3))["A"]

    assert row.mean == Fraction(8)  # not (8 + 0 + 0) / 3
    assert (row.counted, row.expected, row.missing, row.incomplete) == (1, 3, 2, 1)


def test_a_conflicted_judges_scores_are_left_out_of_the_aggregate(call3, panel):
    from meetup.program import services

    a = make_application(call3, name="A")
    j1, j2, _ = panel
    score(a, j1, 9, 9)
    score(a, j2, 1, 1)

    services.conflict_declare(application=a, judge=j2, reason="I advise them.")
    row = by_name(selectors.ranking(call3))["A"]

    assert row.mean == Fraction(9)
    assert (row.counted, row.expected, row.excluded) == (1, 2, 1)


def test_with_assignments_only_the_assigned_judges_are_expected(call3, panel):
    a = make_application(call3, name="A")
    j1, j2, j3 = panel
    Assignment.objects.create(application=a, judge=j1)
    score(a, j1, 6, 6)
    score(a, j3, 1, 1)  # not assigned: does not count

    row = by_name(selectors.ranking(call3))["A"]

    assert (row.mean, row.expected, row.missing, row.excluded) == (Fraction(6), 1, 0, 1)


def test_withdrawn_and_draft_applications_are_not_ranked(call3, panel):
    make_application(call3, name="Draft", status="draft")
    make_application(call3, name="Gone", status="withdrawn")

    assert selectors.ranking(call3).rows == []


def test_each_judges_progress_counts_full_scorecards_and_conflicts(call3, panel):
    from meetup.program import services

    a, b, c = (make_application(call3, name=n) for n in "ABC")
    j1, j2, j3 = panel
    score(a, j1, 5, 5)
    score(b, j1, 5)  # incomplete
    services.conflict_declare(application=c, judge=j2)

    progress = {p.judge: p for p in selectors.judge_progress(call3)}

    assert (progress[j1].scored, progress[j1].expected) == (1, 3)
    assert (progress[j2].scored, progress[j2].expected, progress[j2].conflicts) == (0, 2, 1)
    assert progress[j3].percent == 0


def test_the_ranking_reads_a_fixed_number_of_queries(call3, panel, django_assert_max_num_queries):
    for name in "ABCDEFGH":
        application = make_application(call3, name=name)
        for judge in panel:
            score(application, judge, 5, 6)

    with django_assert_max_num_queries(10):
        result = selectors.ranking(call3)
        assert len(result.rows) == 8
