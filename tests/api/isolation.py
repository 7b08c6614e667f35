"""The API's new URLs with keyword arguments. Their writes take JSON (PATCH, or POST to a
collection with the parent's id in the body), so the matrix's form POST reaches none of them:
``tests/api/test_api_scope.py`` sends the real JSON bodies with another organization's token."""

from __future__ import annotations

from tests.isolation import Maker
from tests.quickmentoring.isolation import _slot_id

# A flash slot is read by every member of its organization (the coming slots are listed to
# them, as on the page «Флеш-наставничество»): the victim's mentor may open it through the API.
OBJECT_MAKERS: dict[str, Maker] = {"flash_slot_id": Maker(_slot_id, mentor_may_see=True)}

NO_FORM: set[str] = {
    "api:get_profile",
    "api:list_enrolments",
    "api:get_survey",
    "api:get_results",
    # A path with GET and PATCH has a URL pattern per operation (both named here); POST 405.
    "api:update_person",
    "api:update_profile",
    "api:set_mentorship_status",
    "api:get_meeting",
    "api:update_meeting",
    "api:update_task",
    "api:get_territory",
    "api:get_event",
    "api:get_slot",
    "api:get_session",
    "api:get_resource",
    "api:get_idea",
}
