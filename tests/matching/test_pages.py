"""The curator's review pages: start a run, review, decide, swap, publish; query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nastavnik.matching import services
from nastavnik.matching.models import MatchingRun, Proposal, ProposalState
from nastavnik.mentorships.models import Mentorship
from tests.conftest import login
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


def _program(tenant: Any, n_mentees: int = 2) -> Any:
    program = matching_program(tenant.organization)
    mentor(
        program,
        capacity=n_mentees,
        last_name="Шахматова",
        interests="шахматы турниры",
        competencies={"formative-assessment": 3},
    )
    for _ in range(n_mentees):
        mentee(program, interests="шахматы", deficits=["formative-assessment"])
    return program


def test_the_curator_starts_a_run_from_the_program_page(tenant_a: Any) -> None:
    program = _program(tenant_a)
    client = login(tenant_a.curator)
    response = client.post(
        reverse("matching:program", kwargs={"program_id": program.pk}),
        {"prefer": "coverage", "top_k": "10", "same_class": "indifferent", "w_interests": "2"},
    )
    run = MatchingRun.objects.get(program=program)
    assert response.headers["Location"] == reverse("matching:run", kwargs={"run_id": run.pk})
    assert (run.parameters["prefer"], run.parameters["weights"]["interests"]) == ("coverage", 2.0)


def test_the_review_explains_pairs_in_russian(tenant_a: Any) -> None:
    program = _program(tenant_a)
    run = services.run_start(actor=tenant_a.curator, program=program)
    page = login(tenant_a.curator).get(reverse("matching:run", kwargs={"run_id": run.pk}))
    text = page.content.decode()
    assert "закрывает дефицит: формирующее оценивание" in text
    assert "общие интересы: шахматы" in text


def test_a_wrong_parameter_is_explained(tenant_a: Any) -> None:
    program = _program(tenant_a)
    page = login(tenant_a.curator).post(
        reverse("matching:program", kwargs={"program_id": program.pk}), {"top_k": "0"}
    )
    assert "от 1 до 500" in page.content.decode()


def test_a_mentor_cannot_open_the_review(tenant_a: Any) -> None:
    run = services.run_start(actor=tenant_a.curator, program=_program(tenant_a))
    response = login(tenant_a.mentor).get(reverse("matching:run", kwargs={"run_id": run.pk}))
    assert response.status_code == 404


def test_accepting_through_htmx_returns_the_row(tenant_a: Any) -> None:
    run = services.run_start(actor=tenant_a.curator, program=_program(tenant_a))
    proposal = run.proposals.first()
    assert proposal is not None
    response = login(tenant_a.curator).post(
        reverse("matching:decide", kwargs={"proposal_id": proposal.pk}),
        {"state": "accepted"},
        HTTP_HX_REQUEST="true",
    )
    assert f'id="proposal-{proposal.pk}"' in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.ACCEPTED


def test_deciding_through_htmx_updates_the_figures_out_of_band(tenant_a: Any) -> None:
    run = services.run_start(actor=tenant_a.curator, program=_program(tenant_a))
    first, second = run.proposals.order_by("id")
    client = login(tenant_a.curator)

    def decide(proposal: Proposal, state: str) -> str:
        response = client.post(
            reverse("matching:decide", kwargs={"proposal_id": proposal.pk}),
            {"state": state},
            HTTP_HX_REQUEST="true",
        )
        text = response.content.decode()
        assert f'id="proposal-{proposal.pk}"' in text
        assert '<div class="stats" id="run-stats" hx-swap-oob="true">' in text
        assert "принято / оставлено при пересчёте" in text
        return text

    assert "<b>1 / 0</b>" in decide(first, "accepted")
    assert "<b>1 / 1</b>" in decide(second, "locked")
    assert "<b>0 / 1</b>" in decide(first, "rejected")


def test_publishing_leads_to_the_programs_pairs(tenant_a: Any) -> None:
    program = _program(tenant_a)
    run = services.run_start(actor=tenant_a.curator, program=program)
    client = login(tenant_a.curator)
    client.post(reverse("matching:accept_all", kwargs={"run_id": run.pk}))
    publish = reverse("matching:publish", kwargs={"run_id": run.pk})
    unconfirmed = client.post(publish, follow=True)
    assert "Отметьте подтверждение" in unconfirmed.content.decode()
    assert not Mentorship.objects.filter(program=program).exists()
    response = client.post(publish, {"confirm": "on"}, follow=True)
    assert Mentorship.objects.filter(program=program, status="active").count() == 2
    assert "Шахматова" in response.content.decode()


def test_the_approval_asks_for_a_confirmation_on_the_page(tenant_a: Any) -> None:
    run = services.run_start(actor=tenant_a.curator, program=_program(tenant_a))
    page = login(tenant_a.curator).get(reverse("matching:run", kwargs={"run_id": run.pk}))
    text = page.content.decode()
    form = text[
        text.index('id="publish-form"') : text.index("</form>", text.index('id="publish-form"'))
    ]
    assert '<input type="checkbox" name="confirm" required>' in form
    assert "Подтверждаю" in form


def test_swapping_two_pairs_of_one_mentor_is_refused_with_a_message(tenant_a: Any) -> None:
    run = services.run_start(actor=tenant_a.curator, program=_program(tenant_a))
    ids = list(run.proposals.values_list("pk", flat=True))
    response = login(tenant_a.curator).post(
        reverse("matching:swap", kwargs={"run_id": run.pk}), {"proposal": ids}, follow=True
    )
    assert "один и тот же наставник" in response.content.decode()


def test_the_comparison_shows_both_profiles(tenant_a: Any) -> None:
    run = services.run_start(actor=tenant_a.curator, program=_program(tenant_a))
    proposal = run.proposals.first()
    assert proposal is not None
    page = login(tenant_a.curator).get(
        reverse("matching:compare", kwargs={"proposal_id": proposal.pk})
    )
    assert "шахматы турниры" in page.content.decode()


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_review_queries_do_not_grow_with_the_base(tenant_a: Any) -> None:
    client = login(tenant_a.curator)
    small = services.run_start(actor=tenant_a.curator, program=_program(tenant_a, 2))
    large = services.run_start(actor=tenant_a.curator, program=_program(tenant_a, 12))
    few = _count(client, reverse("matching:run", kwargs={"run_id": small.pk}))
    many = _count(client, reverse("matching:run", kwargs={"run_id": large.pk}))
    assert (large.matched_count, many) == (12, few)


def test_a_queued_run_polls_its_progress(tenant_a: Any) -> None:
    program = _program(tenant_a)
    run = MatchingRun.objects.create(organization=tenant_a.organization, program=program)
    response = login(tenant_a.curator).get(
        reverse("matching:run_progress", kwargs={"run_id": run.pk}), HTTP_HX_REQUEST="true"
    )
    assert 'hx-trigger="every 1s"' in response.content.decode()


def test_a_finished_run_refreshes_the_page(tenant_a: Any) -> None:
    run = services.run_start(actor=tenant_a.curator, program=_program(tenant_a))
    response = login(tenant_a.curator).get(
        reverse("matching:run_progress", kwargs={"run_id": run.pk}), HTTP_HX_REQUEST="true"
    )
    assert response.headers["HX-Refresh"] == "true"


def test_never_this_pair_and_allow_again(tenant_a: Any) -> None:
    from nastavnik.matching.models import MatchExclusion

    run = services.run_start(actor=tenant_a.curator, program=_program(tenant_a))
    proposal = run.proposals.first()
    assert proposal is not None
    client = login(tenant_a.curator)
    client.post(reverse("matching:never", kwargs={"proposal_id": proposal.pk}), {"reason": "родня"})
    exclusion = MatchExclusion.objects.get()
    page = client.get(reverse("matching:program", kwargs={"program_id": run.program_id}))
    assert "родня" in page.content.decode()
    client.post(
        reverse("matching:exclusion_remove", kwargs={"exclusion_id": exclusion.pk}),
        {"next": "https://evil.example/"},
    )
    assert not MatchExclusion.objects.exists()


def test_the_form_starts_from_the_last_runs_weights(tenant_a: Any) -> None:
    program = _program(tenant_a)
    services.run_start(
        actor=tenant_a.curator, program=program, parameters={"weights": {"interests": 7}}
    )
    page = login(tenant_a.curator).get(
        reverse("matching:program", kwargs={"program_id": program.pk})
    )
    assert 'name="w_interests" id="w_interests" value="7.0"' in page.content.decode()


def test_the_review_speaks_the_target_models_words(tenant_a: Any) -> None:
    """The curator's lock is «оставить при пересчёте» (the order «закрепляет» pairs), fixing pairs
    is «утвердить», a match score is «соответствие» (not a school mark, «оценка»)."""
    run = services.run_start(actor=tenant_a.curator, program=_program(tenant_a))
    client = login(tenant_a.curator)
    page = client.get(reverse("matching:run", kwargs={"run_id": run.pk})).content.decode()
    assert "оставить при пересчёте" in page
    assert "принято / оставлено при пересчёте" in page
    assert "Утвердить принятые и оставленные при пересчёте пары" in page
    assert "Соответствие" in page
    assert "среднее соответствие" in page
    for word in ("закреп", "опублик", "публикац", "оценка"):
        assert word not in page.lower()
    proposal = run.proposals.first()
    assert proposal is not None
    row = client.post(
        reverse("matching:decide", kwargs={"proposal_id": proposal.pk}),
        {"state": "locked"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "оставлена при пересчёте" in row
    assert "не оставлять при пересчёте" in row


def _program_with_variants(tenant: Any) -> tuple[Any, Any, Any]:
    """The program offers two variants; every enrolment of its bases has the second one."""
    from nastavnik.programs.models import Enrolment, Variant

    program = _program(tenant)
    gifted = Variant.objects.get(form=program.form, code="teacher-gifted", organization=None)
    under = Variant.objects.get(form=program.form, code="teacher-underachiever", organization=None)
    program.variants.set([gifted, under])
    Enrolment.objects.filter(program=program).update(variant=under)
    return program, gifted, under


def test_the_form_offers_the_bases_variants_and_as_in_the_base_first(tenant_a: Any) -> None:
    program, gifted, under = _program_with_variants(tenant_a)
    page = login(tenant_a.curator).get(
        reverse("matching:program", kwargs={"program_id": program.pk})
    )
    text = page.content.decode()
    select = text[
        text.index('<select name="variant_id"') : text.index(
            "</select>", text.index('name="variant_id"')
        )
    ]
    assert '<option value="" selected>как в базе</option>' in select
    assert f'<option value="{under.pk}">' in select
    assert f'value="{gifted.pk}"' not in select  # no enrolment has it


def test_a_variant_no_enrolment_has_is_refused(tenant_a: Any) -> None:
    program, gifted, _under = _program_with_variants(tenant_a)
    page = login(tenant_a.curator).post(
        reverse("matching:program", kwargs={"program_id": program.pk}),
        {"variant_id": str(gifted.pk)},
    )
    assert "Ни у кого в базах программы нет этого варианта" in page.content.decode()
    assert not MatchingRun.objects.filter(program=program).exists()


def test_as_in_the_base_gives_each_pair_the_variant_of_its_enrolments(tenant_a: Any) -> None:
    program, _gifted, under = _program_with_variants(tenant_a)
    run = services.run_start(actor=tenant_a.curator, program=program, parameters={})
    assert run.parameters["variant_id"] is None
    services.proposals_decide_all(
        actor=tenant_a.curator, run=run, state=ProposalState.ACCEPTED, from_state="proposed"
    )
    created = services.run_publish(actor=tenant_a.curator, run=run)
    assert created
    assert {m.variant_id for m in created} == {under.pk}


def test_a_pupil_mentor_is_explained_in_the_words_written_and_without_experience(
    tenant_a: Any,
) -> None:
    from tests.factories import PersonFactory
    from tests.matching.factories import enrol, profile

    program = matching_program(tenant_a.organization, "student-student")
    pupil = PersonFactory(organization=tenant_a.organization, last_name="Старшеклассникова")
    profile(pupil, interests="Изучаю родной край, хожу в походы")
    enrol(program, pupil, "mentor", capacity=1)
    mentee(program, interests="родной край")
    run = services.run_start(actor=tenant_a.curator, program=program)
    proposal = run.proposals.get()
    assert "experience" not in [f["code"] for f in proposal.factors]
    page = login(tenant_a.curator).get(reverse("matching:run", kwargs={"run_id": run.pk}))
    text = page.content.decode()
    assert "общие интересы: родной край" in text
    assert "родный" not in text
    assert "стаж" not in text


def test_runs_are_numbered_in_their_program(tenant_a: Any) -> None:
    program = _program(tenant_a)
    first = services.run_start(actor=tenant_a.curator, program=program)
    second = services.run_start(actor=tenant_a.curator, program=program, previous=first)
    other = services.run_start(actor=tenant_a.curator, program=_program(tenant_a))
    assert (first.number, second.number, other.number) == (1, 2, 1)
    client = login(tenant_a.curator)
    page = client.get(reverse("matching:run", kwargs={"run_id": second.pk})).content.decode()
    assert "Подбор № 2" in page
    runs = client.get(reverse("matching:program", kwargs={"program_id": program.pk}))
    text = runs.content.decode()
    assert "№ 1 ·" in text
    assert "№ 2 ·" in text


def test_a_school_run_is_certified_the_best_possible(tenant_a: Any) -> None:
    run = services.run_start(actor=tenant_a.curator, program=_program(tenant_a))
    assert run.certified
    page = login(tenant_a.curator).get(reverse("matching:run", kwargs={"run_id": run.pk}))
    assert "Подбор наилучший из возможных: проверено по всем допустимым парам." in (
        page.content.decode()
    )


def test_a_run_without_a_proof_says_so(tenant_a: Any) -> None:
    run = services.run_start(actor=tenant_a.curator, program=_program(tenant_a))
    # A run made before pricing existed (or stopped by its round limit) has no proof.
    MatchingRun.objects.filter(pk=run.pk).update(certified=False)
    page = login(tenant_a.curator).get(reverse("matching:run", kwargs={"run_id": run.pk}))
    text = page.content.decode()
    assert "Подбор наилучший из возможных" not in text
    assert "Не доказано, что подбор наилучший из возможных" in text


def test_a_rerun_keeps_the_programs_variant_when_no_enrolment_has_one(tenant_a: Any) -> None:
    from nastavnik.programs.models import Variant

    program = _program(tenant_a)
    gifted = Variant.objects.get(form=program.form, code="teacher-gifted", organization=None)
    program.variants.set([gifted])
    run = services.run_start(
        actor=tenant_a.curator, program=program, parameters={"variant_id": gifted.pk}
    )
    again = services.run_start(actor=tenant_a.curator, program=program, previous=run)
    assert again.parameters["variant_id"] == gifted.pk
