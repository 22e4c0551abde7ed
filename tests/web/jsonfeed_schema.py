"""JSON Schema of JSON Feed 1.1 (https://jsonfeed.org/version/1.1), written from the specification.

Strict where the spec is: version, title and items required; every item has a string id and
content_html or content_text; dates are RFC 3339; URLs absolute. Unknown keys are allowed only as
extensions (starting with "_"), as the spec says.
"""

RFC3339 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
URL = r"^https?://"
EXTENSION = {"^_": {}}

AUTHOR = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "url": {"type": "string", "pattern": URL},
        "avatar": {"type": "string", "pattern": URL},
    },
    "anyOf": [{"required": ["name"]}, {"required": ["url"]}, {"required": ["avatar"]}],
    "patternProperties": EXTENSION,
    "additionalProperties": False,
}

ITEM = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "url": {"type": "string", "pattern": URL},
        "external_url": {"type": "string", "pattern": URL},
        "title": {"type": "string"},
        "content_html": {"type": "string"},
        "content_text": {"type": "string"},
        "summary": {"type": "string"},
        "image": {"type": "string", "pattern": URL},
        "banner_image": {"type": "string", "pattern": URL},
        "date_published": {"type": "string", "pattern": RFC3339},
        "date_modified": {"type": "string", "pattern": RFC3339},
        "authors": {"type": "array", "items": AUTHOR},
        "tags": {"type": "array", "items": {"type": "string"}},
        "language": {"type": "string"},
        "attachments": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["url", "mime_type"],
                "properties": {
                    "url": {"type": "string", "pattern": URL},
                    "mime_type": {"type": "string"},
                    "title": {"type": "string"},
                    "size_in_bytes": {"type": "integer", "minimum": 0},
                    "duration_in_seconds": {"type": "number", "minimum": 0},
                },
            },
        },
    },
    "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
    "patternProperties": EXTENSION,
    "additionalProperties": False,
}

JSON_FEED_1_1 = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string", "minLength": 1},
        "home_page_url": {"type": "string", "pattern": URL},
        "feed_url": {"type": "string", "pattern": URL},
        "description": {"type": "string"},
        "user_comment": {"type": "string"},
        "next_url": {"type": "string", "pattern": URL},
        "icon": {"type": "string", "pattern": URL},
        "favicon": {"type": "string", "pattern": URL},
        "authors": {"type": "array", "items": AUTHOR},
        "language": {"type": "string"},
        "expired": {"type": "boolean"},
        "hubs": {"type": "array", "items": {"type": "object", "required": ["type", "url"]}},
        "items": {"type": "array", "items": ITEM},
    },
    "patternProperties": EXTENSION,
    "additionalProperties": False,
}
