"""Pages of programs, one module per page family: the programs themselves, the seven stages,
the bases, the roadmap, the contours, the mentors' training, tandems and the public page. Thin:
a selector for every object, a service for every write; spreadsheets and calendars are built in
`programs.exports` and `programs.calendar`."""

from nastavnik.programs.views.bases import (
    base_choices,
    enrolment_edit,
    enrolment_trained,
    program_base,
)
from nastavnik.programs.views.contours import contour_task_edit, contours, partner_edit
from nastavnik.programs.views.programs import (
    catalogue,
    program_create,
    program_detail,
    program_edit,
    program_list_view,
)
from nastavnik.programs.views.public import public_index, public_page
from nastavnik.programs.views.roadmap import (
    roadmap,
    roadmap_calendar,
    roadmap_export,
    roadmap_item_edit,
)
from nastavnik.programs.views.stages import (
    program_stage_advance,
    program_stage_back,
    program_stages,
    stage_task_add,
    stage_task_toggle,
)
from nastavnik.programs.views.tandems import tandem_detail, tandems
from nastavnik.programs.views.training import training, training_session

__all__ = [
    "base_choices",
    "catalogue",
    "contour_task_edit",
    "contours",
    "enrolment_edit",
    "enrolment_trained",
    "partner_edit",
    "program_base",
    "program_create",
    "program_detail",
    "program_edit",
    "program_list_view",
    "program_stage_advance",
    "program_stage_back",
    "program_stages",
    "public_index",
    "public_page",
    "roadmap",
    "roadmap_calendar",
    "roadmap_export",
    "roadmap_item_edit",
    "stage_task_add",
    "stage_task_toggle",
    "tandem_detail",
    "tandems",
    "training",
    "training_session",
]
