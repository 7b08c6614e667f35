"""The API's new URLs with keyword arguments. Their writes take JSON (PATCH, or POST to a
collection with the parent's id in the body), so the matrix's form POST reaches none of them:
``tests/api/test_api_scope.py`` sends the real JSON bodies with another organization's token."""

from __future__ import annotations

NO_FORM: set[str] = {
    "api:get_profile",
    "api:list_enrolments",
    "api:get_survey",
    "api:get_results",
    # A path with GET and PATCH is named after its last operation; POST answers 405.
    "api:update_person",
    "api:update_profile",
    "api:set_mentorship_status",
}
