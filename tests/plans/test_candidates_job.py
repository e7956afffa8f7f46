"""The candidate job (plans.services.candidates.candidates_flag): who is flagged, with which reasons, and
what a second run or a correction does."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from assessments.models import Classification
from cells.models import Organization
from cells.runs import run_here
from plans.models import Candidate, JobRun
from plans.services import reasons as candidates_reasons
from plans.services.candidates import candidates_flag, candidates_run_work
from tests.assessments.factories import classify
from tests.conftest import make_org


def vi(text):
    """The sentence as the job writes it: in the site's language, Vietnamese."""
    with translation.override("vi"):
        return translation.gettext(text)


def candidates(year):
    return {c.organization.code: c for c in Candidate.objects.filter(year=year).select_related("organization")}


@pytest.mark.vietnamese  # the reasons are stored in the default language
def test_flags_complete_and_incomplete_with_their_reasons(tree):
    classify(tree.a, 2018, "complete")
    classify(tree.b, 2018, "good")
    classify(tree.y, 2018, "incomplete")
    classify(tree.a1, 2018, "incomplete")  # a cell: not a grassroots candidate
    result = candidates_flag(year=2018)
    found = candidates(2019)
    assert set(found) == {"D-A", "X-Y"}
    assert found["D-A"].level == "complete"
    assert found["D-A"].reasons[0] == vi("Classification for %(year)s: %(label)s") % {
        "year": 2018,
        "label": "Hoàn thành nhiệm vụ",
    }
    assert found["D-A"].classification.year == 2018
    assert (result.flagged, result.created) == (2, 2)


def test_draft_results_are_not_flagged(tree):
    classify(tree.a, 2018, "complete", state=Classification.State.DRAFT)
    candidates_flag(year=2018)
    assert not Candidate.objects.exists()


@pytest.mark.vietnamese  # the reasons are stored in the default language
def test_three_weak_years_and_a_fall_are_reasons(tree):
    for year in (2016, 2017, 2018):
        classify(tree.a, year, "complete")
    classify(tree.b, 2017, "excellent")
    classify(tree.b, 2018, "complete")
    candidates_flag(year=2018)
    found = candidates(2019)
    streak = vi("Rated complete or worse %(count)s years running (%(first)s–%(last)s).")
    assert streak % {"count": 3, "first": 2016, "last": 2018} in found["D-A"].reasons
    fall = vi("Down from “%(label)s” in %(year)s.") % {"label": "Trong sạch, vững mạnh", "year": 2017}
    assert found["D-B"].reasons[1:] == [fall]


def test_running_twice_changes_nothing(tree):
    classify(tree.a, 2018, "complete")
    candidates_flag(year=2018)
    before = list(Candidate.objects.values())
    second = candidates_flag(year=2018)
    assert (second.created, second.updated, second.withdrawn, second.unchanged) == (0, 0, 0, 1)
    assert list(Candidate.objects.values()) == before


def test_a_correction_withdraws_with_the_reason_and_a_new_weak_unit_is_added(tree):
    a = classify(tree.a, 2018, "complete")
    b = classify(tree.b, 2018, "good")
    candidates_flag(year=2018)
    a.level, a.label = "good", "Hoàn thành tốt nhiệm vụ"
    a.save()
    b.level, b.label = "incomplete", "Không hoàn thành nhiệm vụ"
    b.save()
    result = candidates_flag(year=2018)
    found = candidates(2019)
    assert found["D-A"].status == Candidate.Status.WITHDRAWN
    assert "Hoàn thành tốt nhiệm vụ" in found["D-A"].withdrawn_reason
    assert found["D-B"].status == Candidate.Status.PROPOSED
    assert (result.withdrawn, result.created) == (1, 1)
    # Corrected back: proposed again, with no withdrawal reason left over.
    a.level, a.label = "complete", "Hoàn thành nhiệm vụ"
    a.save()
    result = candidates_flag(year=2018)
    assert result.reproposed == 1
    assert candidates(2019)["D-A"].status == Candidate.Status.PROPOSED
    assert candidates(2019)["D-A"].withdrawn_reason == ""


def test_a_decided_candidate_is_never_deleted_and_keeps_its_decision(tree, standing):
    a = classify(tree.a, 2018, "complete")
    candidates_flag(year=2018)
    Candidate.objects.filter(organization=tree.a).update(
        decision=Candidate.Decision.SELECTED, decision_number="Số 45-KH/HU", decided_by=standing
    )
    a.level, a.label = "good", "Hoàn thành tốt nhiệm vụ"
    a.save()
    candidates_flag(year=2018)
    candidate = Candidate.objects.get(organization=tree.a)
    assert candidate.status == Candidate.Status.WITHDRAWN
    assert candidate.decision == Candidate.Decision.SELECTED and candidate.decision_number == "Số 45-KH/HU"
    assert candidate.withdrawn_reason


def test_a_candidate_added_by_staff_is_left_alone(tree):
    classify(tree.a, 2018, "good")
    Candidate.objects.create(organization=tree.a, year=2019, source=Candidate.Source.MANUAL, reasons=["Đơn thư"])
    candidates_flag(year=2018)
    candidate = Candidate.objects.get()
    assert (candidate.status, candidate.reasons) == (Candidate.Status.PROPOSED, ["Đơn thư"])


def test_a_scoped_run_touches_only_its_subtree(tree):
    classify(tree.a, 2018, "complete")
    classify(tree.y, 2018, "complete")
    candidates_flag(year=2018, scope=tree.d)
    assert set(candidates(2019)) == {"D-A"}


def test_progress_is_recorded_on_the_run(tree):
    classify(tree.a, 2018, "complete")
    run = JobRun.objects.create(year=2018, scope=tree.d)
    run = run_here(run=run, work=candidates_run_work)
    assert (run.state, run.progress) == (JobRun.State.DONE, 100)
    assert run.counts["created"] == 1 and run.started_at and run.finished_at


def test_reason_providers_plug_in(tree, monkeypatch):
    calls = []

    def few_meetings(year, organization_ids):
        calls.append((year, sorted(organization_ids)))
        return {tree.a.pk: ["Chi bộ Nặm Bao sinh hoạt 6 lần"], tree.b.pk: ["not a candidate: ignored"]}

    monkeypatch.setattr(candidates_reasons, "REASON_PROVIDERS", [*candidates_reasons.REASON_PROVIDERS, few_meetings])
    monkeypatch.setattr("plans.services.candidates.REASON_PROVIDERS", candidates_reasons.REASON_PROVIDERS)
    classify(tree.a, 2018, "complete")
    classify(tree.b, 2018, "good")
    candidates_flag(year=2018)
    assert calls == [(2018, [tree.a.pk])]
    assert candidates(2019)["D-A"].reasons[-1] == "Chi bộ Nặm Bao sinh hoạt 6 lần"


def _add_units(tree, start, count):
    for n in range(start, start + count):
        unit = make_org(f"D-G{n}", f"Đảng bộ xã Thêm {n}", Organization.Kind.GRASSROOTS_COMMITTEE, tree.d, "commune")
        classify(unit, 2016, "complete")
        classify(unit, 2017, "good" if n % 2 else "complete")
        classify(unit, 2018, "complete" if n % 3 else "incomplete")


def _queries_of_a_run(*, rerun):
    if rerun:
        candidates_flag(year=2018)
    else:
        Candidate.objects.all().delete()
    with CaptureQueriesContext(connection) as context:
        candidates_flag(year=2018, run=JobRun.objects.create(year=2018))
    return len(context.captured_queries)


@pytest.mark.parametrize("rerun", [False, True], ids=["first run", "second run"])
def test_a_run_costs_the_same_few_queries_for_3_or_40_units(tree, rerun):
    _add_units(tree, 0, 3)
    small = _queries_of_a_run(rerun=rerun)
    _add_units(tree, 3, 37)
    large = _queries_of_a_run(rerun=rerun)
    # The run's row and its progress (one update per step and per reason provider), weak results
    # (1), one query per reason provider (4: weak years, weak cells, meetings, admissions), stored candidates
    # (1), current results (1), the bulk writes and the transaction, the new rows' keys (1), their
    # audit entries (organizations, entries, their organizations: 3 per action written): the same
    # whatever the number of units.
    assert small == large
    assert large <= 24


@pytest.mark.vietnamese  # the reasons are stored in the default language
def test_a_fall_from_complete_to_incomplete_is_a_reason(tree):
    classify(tree.a, 2017, "complete")
    classify(tree.a, 2018, "incomplete")
    candidates_flag(year=2018)
    fall = vi("Down from “%(label)s” in %(year)s.") % {"label": "Hoàn thành nhiệm vụ", "year": 2017}
    assert candidates(2019)["D-A"].reasons[-1] == fall


@pytest.mark.vietnamese  # the reasons are stored in the default language
def test_meeting_and_admission_signals_are_reasons(tree):
    import datetime

    from tests.cells.factories import make_admission, make_meeting

    for month in range(1, 7):
        make_meeting(tree.a1, date=datetime.date(2018, month, 5))  # Nặm Bao: 6 of 12
    make_admission(tree.b1, decision=datetime.date(2014, 5, 5))  # Pò Cại: none since 2014
    classify(tree.a, 2018, "complete")
    classify(tree.b, 2018, "incomplete")
    candidates_flag(year=2018)
    found = candidates(2019)
    assert any("Nặm Bao" in reason and "6/12" in reason for reason in found["D-A"].reasons)
    assert any("Pò Cại" in reason for reason in found["D-B"].reasons)


# ---------------------------------------------------------------- life spans: Trùng Quán → Bắc Hùng


def commune(tree, code, name, **life):
    return make_org(code, f"Đảng bộ xã {name}", Organization.Kind.GRASSROOTS_COMMITTEE, tree.d, "commune", **life)


def merger(tree):
    """Trùng Quán, dissolved on 31/12/2019 and merged into Bắc Hùng, founded on 01/01/2020."""
    bac_hung = commune(tree, "D-BH", "Bắc Hùng", founded=datetime.date(2020, 1, 1))
    trung_quan = commune(tree, "D-TQ", "Trùng Quán", dissolved=datetime.date(2019, 12, 31), successor=bac_hung)
    return trung_quan, bac_hung


@pytest.mark.vietnamese  # the reasons are stored in the default language
def test_a_dissolved_weak_unit_is_not_proposed_its_successor_is_with_the_reason(tree):
    trung_quan, bac_hung = merger(tree)
    result = classify(trung_quan, 2019, "complete")
    candidates_flag(year=2019)
    found = candidates(2020)
    assert set(found) == {"D-BH"}
    successor = found["D-BH"]
    assert successor.reasons[0] == "Kế thừa Đảng bộ xã Trùng Quán, xếp loại “Hoàn thành nhiệm vụ” năm 2019"
    assert (successor.classification, successor.level, successor.status) == (result, "complete", "proposed")
    # The year before, Trùng Quán still lived on 1 January 2019: it is proposed itself.
    classify(trung_quan, 2018, "complete")
    candidates_flag(year=2018)
    assert set(candidates(2019)) == {"D-TQ"}


@pytest.mark.vietnamese  # the reasons are stored in the default language
def test_a_successor_carries_the_predecessors_weak_cells(tree):
    trung_quan, bac_hung = merger(tree)
    cell = make_org("D-TQ-1", "Chi bộ Bản Chang", Organization.Kind.CELL, trung_quan)
    classify(trung_quan, 2019, "incomplete")
    classify(cell, 2019, "complete")
    candidates_flag(year=2019)
    assert candidates(2020)["D-BH"].reasons == [
        "Kế thừa Đảng bộ xã Trùng Quán, xếp loại “Không hoàn thành nhiệm vụ” năm 2019",
        "Chi bộ Bản Chang xếp loại Hoàn thành nhiệm vụ năm 2019",
    ]


def test_no_successor_alive_on_1_january_means_no_candidate(tree):
    trung_quan, bac_hung = merger(tree)
    bac_hung.founded = datetime.date(2020, 3, 1)  # not yet there on 1 January
    bac_hung.save()
    gone = commune(tree, "D-TL", "Tân Lang", dissolved=datetime.date(2019, 6, 30))
    classify(trung_quan, 2019, "complete")
    classify(gone, 2019, "incomplete")
    result = candidates_flag(year=2019)
    assert not Candidate.objects.exists()
    assert (result.flagged, result.created) == (2, 0)


def test_a_successor_outside_the_scope_or_not_grassroots_is_not_proposed(tree):
    trung_quan, bac_hung = merger(tree)
    bac_hung.parent = tree.x  # moved to the other district
    bac_hung.save()
    classify(trung_quan, 2019, "complete")
    candidates_flag(year=2019, scope=tree.d)
    assert not Candidate.objects.exists()
    upper = make_org("P-NEW", "Đảng bộ xã mới", Organization.Kind.UPPER_COMMITTEE, tree.province)
    trung_quan.successor = upper
    trung_quan.save()
    candidates_flag(year=2019)
    assert not Candidate.objects.exists()


@pytest.mark.vietnamese  # the reasons are stored in the default language
def test_a_successor_weak_itself_keeps_its_result_and_adds_the_inherited_reason(tree):
    trung_quan, bac_hung = merger(tree)
    bac_hung.founded = None  # it existed in 2019 already and took Trùng Quán over
    bac_hung.save()
    own = classify(bac_hung, 2019, "complete")
    classify(trung_quan, 2019, "incomplete")
    candidates_flag(year=2019)
    candidate = candidates(2020)["D-BH"]
    assert candidate.classification == own
    assert candidate.reasons[-1] == "Kế thừa Đảng bộ xã Trùng Quán, xếp loại “Không hoàn thành nhiệm vụ” năm 2019"


def test_a_candidate_whose_unit_was_dissolved_since_is_withdrawn_with_the_reason(tree):
    trung_quan, bac_hung = merger(tree)
    trung_quan.dissolved, trung_quan.successor = None, None
    trung_quan.save()
    classify(trung_quan, 2019, "complete")
    candidates_flag(year=2019)
    assert set(candidates(2020)) == {"D-TQ"}
    trung_quan.dissolved, trung_quan.successor = datetime.date(2019, 12, 31), bac_hung
    trung_quan.save()
    result = candidates_flag(year=2019)
    found = candidates(2020)
    assert found["D-TQ"].status == Candidate.Status.WITHDRAWN
    assert "1 January 2020" in found["D-TQ"].withdrawn_reason or "01/01/2020" in found["D-TQ"].withdrawn_reason
    assert found["D-BH"].status == Candidate.Status.PROPOSED
    assert (result.withdrawn, result.created) == (1, 1)


def test_the_successor_is_withdrawn_when_the_predecessors_result_is_corrected(tree):
    trung_quan, bac_hung = merger(tree)
    result = classify(trung_quan, 2019, "complete")
    candidates_flag(year=2019)
    result.level, result.label = "good", "Hoàn thành tốt nhiệm vụ"
    result.save()
    candidates_flag(year=2019)
    successor = Candidate.objects.get(organization=bac_hung)
    assert successor.status == Candidate.Status.WITHDRAWN
    assert "predecessor" in successor.withdrawn_reason or "tiền thân" in successor.withdrawn_reason


# ---------------------------------------------------------------- weak cells


@pytest.mark.vietnamese  # the reasons are stored in the default language
def test_weak_cells_are_named_in_their_grassroots_candidacy(tree):
    classify(tree.a, 2018, "complete")
    classify(tree.a1, 2018, "complete")  # Nặm Bao
    classify(tree.a2, 2018, "good")  # Bản Làn
    classify(tree.b, 2018, "complete")
    classify(tree.b1, 2018, "incomplete", state=Classification.State.DRAFT)  # a draft says nothing
    candidates_flag(year=2018)
    found = candidates(2019)
    assert "Chi bộ Nặm Bao xếp loại Hoàn thành nhiệm vụ năm 2018" in found["D-A"].reasons
    assert not any("Bản Làn" in reason for reason in found["D-A"].reasons)
    assert not any("Pò Cại" in reason for reason in found["D-B"].reasons)


@pytest.mark.vietnamese  # the reasons are stored in the default language
def test_a_weak_cell_under_a_section_committee_counts_for_its_grassroots(tree):
    section = make_org("D-A-S", "Đảng bộ bộ phận Thôn Trên", Organization.Kind.SECTION_COMMITTEE, tree.a)
    deep = make_org("D-A-S-1", "Chi bộ Khòn Nà", Organization.Kind.CELL, section)
    classify(tree.a, 2018, "complete")
    classify(deep, 2018, "incomplete")
    candidates_flag(year=2018)
    assert "Chi bộ Khòn Nà xếp loại Không hoàn thành nhiệm vụ năm 2018" in candidates(2019)["D-A"].reasons


# ---------------------------------------------------------------- the job's other branches


def test_a_candidate_added_by_staff_for_a_weak_unit_is_kept_as_staff_wrote_it(tree):
    classify(tree.a, 2018, "complete")
    Candidate.objects.create(organization=tree.a, year=2019, source=Candidate.Source.MANUAL, reasons=["Đơn thư"])
    result = candidates_flag(year=2018)
    candidate = Candidate.objects.get()
    assert (candidate.source, candidate.reasons, candidate.classification) == (
        Candidate.Source.MANUAL,
        ["Đơn thư"],
        None,
    )
    assert (result.unchanged, result.created, result.updated) == (1, 0, 0)


def test_a_corrected_weak_result_updates_the_proposal(tree):
    result = classify(tree.a, 2018, "complete")
    candidates_flag(year=2018)
    result.level, result.label = "incomplete", "Không hoàn thành nhiệm vụ"
    result.save()
    outcome = candidates_flag(year=2018)
    candidate = Candidate.objects.get()
    assert outcome.updated == 1
    assert candidate.level == "incomplete"
    assert "Không hoàn thành nhiệm vụ" in candidate.reasons[0]


def test_a_final_result_that_disappeared_withdraws_the_candidate(tree):
    result = classify(tree.a, 2018, "complete")
    candidates_flag(year=2018)
    Classification.objects.filter(pk=result.pk).update(state=Classification.State.DRAFT)
    outcome = candidates_flag(year=2018)
    candidate = Candidate.objects.get()
    assert outcome.withdrawn == 1
    assert candidate.status == Candidate.Status.WITHDRAWN
    assert "no final 2018 result" in candidate.withdrawn_reason or "2018" in candidate.withdrawn_reason
    # A second run leaves a withdrawn candidate as it is.
    assert candidates_flag(year=2018).withdrawn == 0


def test_a_failed_run_is_recorded_with_its_error_and_writes_nothing(tree, monkeypatch):
    classify(tree.a, 2018, "complete")

    def broken(year, organization_ids):
        raise RuntimeError("the meeting records cannot be read")

    monkeypatch.setattr("plans.services.candidates.REASON_PROVIDERS", [broken])
    with pytest.raises(RuntimeError):  # the service itself raises; the run records it
        candidates_flag(year=2018, scope=tree.d)
    run = run_here(run=JobRun.objects.create(year=2018, scope=tree.d), work=candidates_run_work)
    assert run.state == JobRun.State.FAILED
    assert "cannot be read" in run.error and run.finished_at
    assert not Candidate.objects.exists()
