"""The demo runs matching: a run to review at «forming pairs», published pairs at «work», a group
run of the school's pupils' program with teams of two mentors; relatives are never paired."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from nastavnik.demo.registry import DemoContext
from nastavnik.matching.demo import GROUP_RUN_PROGRAM
from nastavnik.matching.models import MatchingRun, Proposal, RunKind, RunStatus
from nastavnik.mentorships.models import MemberRole, Mentorship, MentorshipMember
from nastavnik.people.models import Kinship
from nastavnik.programs.models import Stage
from tests.conftest import DEMO_TEST_PASSWORD

PASSWORD = DEMO_TEST_PASSWORD


def test_programs_forming_pairs_have_a_finished_run(demo: DemoContext) -> None:
    runs = MatchingRun.objects.filter(program__stage=Stage.MATCHING)
    assert runs.exists()
    assert set(runs.values_list("status", flat=True)) == {RunStatus.DONE}


def test_programs_at_work_have_active_pairs(demo: DemoContext) -> None:
    assert Mentorship.objects.filter(program__stage=Stage.WORK, status="active").exists()


def test_the_pupils_program_has_a_group_run_to_review_with_teams_of_two(
    demo: DemoContext,
) -> None:
    program = demo.programs[GROUP_RUN_PROGRAM]
    assert program.stage == Stage.MATCHING
    run = MatchingRun.objects.get(program=program, kind=RunKind.GROUPS)
    assert run.status == RunStatus.DONE
    assert run.published_at is None
    assert run.parameters["team_size"] == 2
    groups = list(run.groups.prefetch_related("team", "members"))
    assert len(groups) >= 2
    assert any(len(group.team.all()) == 2 for group in groups)
    # Every member has the deficit the group was formed on.
    for group in groups:
        assert group.competency_id in group.shared
        assert len(group.members.all()) >= run.parameters["min_size"]
    # The run of pairs of the same program is there to review as well.
    assert MatchingRun.objects.filter(program=program, kind=RunKind.PAIRS).exists()


def test_the_demo_curator_sees_the_groups_and_their_teams(demo: DemoContext) -> None:
    run = MatchingRun.objects.get(program=demo.programs[GROUP_RUN_PROGRAM], kind=RunKind.GROUPS)
    client = Client()
    assert client.login(username="curator", password=PASSWORD)
    page = client.get(reverse("matching:run", kwargs={"run_id": run.pk})).content.decode()
    assert "Предложенные группы" in page
    assert "Команда наставников" in page


def test_no_proposal_or_mentorship_pairs_relatives(demo: DemoContext) -> None:
    relatives = set(Kinship.objects.values_list("person_a_id", "person_b_id"))
    assert relatives

    def related(first: int, second: int) -> bool:
        return (min(first, second), max(first, second)) in relatives

    proposals = Proposal.objects.values_list("mentee__person_id", "mentor__person_id")
    assert proposals.exists()
    assert [pair for pair in proposals if related(*pair)] == []
    in_teams = Proposal.objects.filter(group__isnull=False).values_list(
        "mentee__person_id", "group__team__mentor__person_id"
    )
    assert in_teams.exists()
    assert [pair for pair in in_teams if related(*pair)] == []
    members: dict[int, dict[str, set[int]]] = {}
    for mentorship_id, role, person_id in MentorshipMember.objects.values_list(
        "mentorship_id", "role", "person_id"
    ):
        members.setdefault(mentorship_id, {}).setdefault(role, set()).add(person_id)
    assert members
    paired = [
        (mentee, mentor)
        for roles in members.values()
        for mentee in roles.get(MemberRole.MENTEE, set())
        for mentor in roles.get(MemberRole.MENTOR, set())
        if related(mentee, mentor)
    ]
    assert paired == []
