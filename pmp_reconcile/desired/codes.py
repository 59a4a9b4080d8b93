"""Every finding code of ``validate``, in one table (docs/validation-rules.md explains each)."""

from __future__ import annotations

YAML_SYNTAX = "D001"
DUPLICATE_KEY = "D002"
EMPTY_FILE = "D003"
NOT_A_MAPPING = "D004"
UNREADABLE = "D005"
NO_EXPERIENCES_DIR = "D006"
BAD_FILE_NAME = "D007"
UNEXPECTED_FILE = "D008"

UNKNOWN_KEY = "D010"
MISSING_KEY = "D011"
WRONG_TYPE = "D012"
NOT_ALLOWED_VALUE = "D013"
BAD_LENGTH = "D014"
EMPTY_VALUE = "D015"

BAD_NAME = "D020"
BAD_EXPERIENCE_ID = "D021"
BAD_PRINCIPAL = "D022"
UNKNOWN_PRODUCT = "D023"
BAD_COLOR = "D025"
BAD_URL = "D026"
BAD_ALIAS = "D027"
BAD_ORGANIZATION_ID = "D028"
BAD_PRODUCT_ID = "D029"

NAME_TWICE = "D030"
ID_TWICE = "D031"
PRINCIPAL_TWICE = "D032"
ALLOWED_AND_DENIED = "D033"
PRODUCT_TWICE = "D034"
ARCHIVED_ENABLED = "D035"
PRODUCT_UNDER_TWO_ALIASES = "D036"
UNKNOWN_PROTECTED = "D037"
FOREIGN_ORGANIZATION = "D038"
ALIAS_AND_ID = "D039"

LEAVES_TREE = "D040"
NOT_REGULAR_FILE = "D041"
TOO_LARGE = "D042"
ODD_PRODUCT_ID = "D043"
TEXT_CUT_BY_COMMENT = "D044"

UNKNOWN_SET = "D045"
SET_CYCLE = "D046"
EMPTY_SET_ALLOWED = "D047"
SET_ALLOWED_AND_DENIED = "D048"
NAME_DEFINED_TWICE = "D049"
BAD_INCLUDE = "D050"

#: A pattern mismatch is reported with the code of the field it is about.
PATTERN_CODES: dict[str, str] = {
    "name": BAD_NAME,
    "id": BAD_EXPERIENCE_ID,
    "principals": BAD_PRINCIPAL,
    "theme_color": BAD_COLOR,
    "logo_url": BAD_URL,
    "organization_id": BAD_ORGANIZATION_ID,
    "products": BAD_ALIAS,
    "sets": BAD_ALIAS,
    "set": BAD_ALIAS,
    "include": BAD_INCLUDE,
}

#: pydantic error types → codes (anything else is a wrong type).
TYPE_CODES: dict[str, str] = {
    "extra_forbidden": UNKNOWN_KEY,
    "missing": MISSING_KEY,
    "literal_error": NOT_ALLOWED_VALUE,
    "enum": NOT_ALLOWED_VALUE,
    "string_too_short": BAD_LENGTH,
    "string_too_long": BAD_LENGTH,
    "greater_than_equal": BAD_LENGTH,
    "too_short": BAD_LENGTH,
    "too_long": BAD_LENGTH,
}
