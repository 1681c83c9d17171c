"""OpenAPI document details that drf-spectacular does not infer on its own.

- the bearer token scheme of `partners.authentication.ApiTokenAuthentication`;
- `additionalProperties: false` on the request bodies of strict serializers, which
  answer 400 to a field they do not know;
- a `pattern` on input strings saying what DRF refuses: NUL characters, and a
  required string that is only whitespace (it is trimmed, then blank);
- the error responses every operation can give (400, 401, 403, 404, 429; 409, 413
  and 415 for writes), all with the `Error` body, so that clients and schemathesis
  know them.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from internship_portal.api.fields import StrictSerializer

NO_NUL = r"^[^\u0000]*$"
NOT_BLANK = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in one sentence."},
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "description": "400 only: the messages for each field that was refused.",
        },
        "conflicts": {
            "type": "array",
            "description": "409 on a double booking only: every clash found.",
            "items": {
                "type": "object",
                "properties": {
                    "visit": {"type": "integer"},
                    "group": {"type": "integer"},
                    "starts_at": {"type": "string", "format": "date-time"},
                    "ends_at": {"type": "string", "format": "date-time"},
                },
                "required": ["visit", "group", "starts_at", "ends_at"],
            },
        },
        "proposal": {
            "type": "integer",
            "description": "409 on asking for a proposal only: the program's proposal still being made.",
        },
    },
    "required": ["detail"],
}

ERRORS = {
    "400": "Invalid input: the body or a parameter was refused (`errors` names each field).",
    "401": "No credentials, or an unknown or revoked token.",
    "403": "The token lacks the scope for this (a read token cannot write), or the session organises nothing.",
    "404": "No such object, or one outside the programs this caller may see.",
    "429": "Too many requests from this client; wait the number of seconds in Retry-After.",
}
WRITE_ERRORS = {
    "409": "Conflict: the change would double-book a group (`conflicts` lists each clash), or races another write.",
    "413": "The body is larger than the portal accepts (2.5 MB, DATA_UPLOAD_MAX_MEMORY_SIZE).",
    "415": "The body is not JSON (send Content-Type: application/json).",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


LANG_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=["en", "ru", "kk"],
    required=False,
    description=(
        "The language of translated texts (`title`, ...; every language is under `title_i18n`) and of "
        "messages; wins over Accept-Language. A text not yet translated falls back: kk → ru → en, ru → en."
    ),
)


class PortalAutoSchema(AutoSchema):
    def get_override_parameters(self):
        # `?lang=` is taken by every operation (internship_portal.api.translations).
        return [*super().get_override_parameters(), LANG_PARAMETER]

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if (
            self.method in {"POST", "PUT", "PATCH"}
            and isinstance(field, serializers.CharField)
            and not field.read_only
            and not {"pattern", "enum", "format"} & set(schema)
        ):
            schema["pattern"] = NOT_BLANK if not field.allow_blank and field.trim_whitespace else NO_NUL

    def _map_basic_serializer(self, serializer, direction):
        result = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(serializer, StrictSerializer):
            result["additionalProperties"] = False
        return result


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "partners.authentication.ApiTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from `manage.py create_api_client`; `Authorization: Token <token>` works too.",
        }


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: document the errors of every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = dict(ERRORS)
            if method in WRITE_METHODS:
                errors.update(WRITE_ERRORS)
            for code, description in errors.items():
                response = operation["responses"].setdefault(code, {"description": description, "content": body})
                if code == "429":
                    response["headers"] = {
                        "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
                    }
    return result
