"""The code → class table against the core's `ErrorCode` enum, and the errors' HTTP outcome."""

from __future__ import annotations

import pickle
import re

import orgkit
import pytest
from conftest import REPO


def core_codes() -> list[str]:
    """Every stable code of `ErrorCode`, read from the core's source: the strings of `as_str`,
    checked against the enum's variants so that none is missed."""
    source = (REPO / "core/src/error.rs").read_text(encoding="utf-8")
    enum = re.search(r"pub enum ErrorCode \{(.*?)\n\}", source, re.S)
    as_str = re.search(r"pub fn as_str\(self\).*?match self \{(.*?)\n        \}", source, re.S)
    assert enum and as_str, "core/src/error.rs changed shape: update this reader"
    variants = re.findall(r"^    (\w+),$", enum.group(1), re.M)
    strings = dict(re.findall(r'Self::(\w+) => "(\w+)"', as_str.group(1)))
    assert sorted(strings) == sorted(variants) and len(variants) > 30
    return [strings[v] for v in variants]


CODES = core_codes()


def test_every_core_code_maps_to_a_class_and_the_table_names_no_other() -> None:
    assert set(orgkit.ERROR_CLASSES) == set(CODES)
    for cls in orgkit.ERROR_CLASSES.values():
        assert issubclass(cls, orgkit.OrgkitError) and cls is not orgkit.OrgkitError


@pytest.mark.parametrize("code", CODES)
def test_each_code_has_the_core_http_outcome(code: str) -> None:
    error = orgkit.ERROR_CLASSES[code]({"code": code, "message": "m"})
    body = orgkit.call("scim_error_response", error={"code": code, "message": "m"})
    assert error.status == body["http_status"] and error.scim_type == body.get("scimType")


def test_scim_outcomes_from_the_core() -> None:
    def outcome(code: str) -> tuple[int, object]:
        error = orgkit.ERROR_CLASSES[code]({"code": code, "message": "m"})
        return error.status, error.scim_type

    assert outcome("invalid_path") == (400, "invalidPath")
    assert outcome("precondition_failed") == (412, None)
    assert outcome("payload_too_large") == (413, None)
    assert outcome("conflict") == (409, "uniqueness")
    assert outcome("internal") == (500, None)


def test_families() -> None:
    table = orgkit.ERROR_CLASSES
    assert table["internal"] is orgkit.InternalError
    assert {table[c] for c in ("too_many", "payload_too_large", "limit_exceeded")} == {orgkit.LimitError}
    assert issubclass(orgkit.UnknownOrg, orgkit.NotFoundError)
    assert table["not_found"] is orgkit.ScimError


def test_errors_pickle_and_print() -> None:
    details = {"code": "invalid_email", "message": "bad", "path": "email", "reason": "missing_at"}
    error = pickle.loads(pickle.dumps(orgkit.InvalidEmail(details)))
    assert type(error) is orgkit.InvalidEmail and error.details == details
    assert (error.path, error.reason, error.problems) == ("email", "missing_at", [])
    assert str(error) == "invalid_email: bad (at email)"
    assert repr(orgkit.InvalidEmail) == "<class 'orgkit.InvalidEmail'>"


def test_the_family_of_each_code_is_the_core_s_and_each_family_has_its_class() -> None:
    from orgkit import _errors, _orgkit

    families = _orgkit.ERROR_FAMILIES
    assert set(families) == set(CODES)
    assert set(families.values()) == set(_errors.FAMILY_CLASSES)
    for code, family in families.items():
        assert orgkit.ERROR_CLASSES[code] is _errors.FAMILY_CLASSES[family]
    assert (families["unknown_org"], families["unknown_user"], families["not_found"]) == ("unknown_org", "not_found", "scim")
