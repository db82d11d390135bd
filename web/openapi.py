"""The OpenAPI 3.1 description of ``/api/`` (served at ``/api/openapi.json``), written out by hand.

The response shapes are those of the command line's ``--json`` documents; they are described here by
their top-level fields, which the tests check against real answers.
"""

from __future__ import annotations

from typing import Any

__all__ = ["openapi_document"]

_ERROR = {"$ref": "#/components/schemas/Error"}


def _get(summary: str, params: list[tuple[str, str]], shape: dict[str, Any]) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": [
                {
                    "name": n,
                    "in": "path" if n == "pid" else "query",
                    "required": n == "pid",
                    "schema": {"type": "integer" if n in ("pid", "limit") else "string"},
                    "description": d,
                }
                for n, d in params
            ],
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": shape}}},
                "4XX": {"description": "Error", "content": {"application/json": {"schema": _ERROR}}},
            },
        }
    }


def _obj(*required: str) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": {k: {} for k in required}}


def _record_path() -> dict[str, Any]:
    return {
        "post": {
            "summary": "Record an event: review {on, note}, publish {decision, on?}, publicize {on, where}, "
            "withdraw {on, reason}, restore {on, reason}, undo {event, reason}; force: true records a "
            "refused date or an unregistered decision anyway (the reasons kept on the event). The checks "
            "of the command line apply; an identical repeat records nothing and answers 200. Needs an "
            "editor and the X-CSRF-Token header.",
            "parameters": [
                {"name": "pid", "in": "path", "required": True, "schema": {"type": "integer"}},
                {
                    "name": "action",
                    "in": "path",
                    "required": True,
                    "schema": {"enum": ["review", "publish", "publicize", "withdraw", "restore", "undo"]},
                },
                {"name": "X-CSRF-Token", "in": "header", "required": True, "schema": {"type": "string"}},
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                **{
                                    k: {"type": "string"}
                                    for k in ("on", "note", "decision", "where", "reason")
                                },
                                "event": {"type": "integer"},
                                "force": {"type": "boolean"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "Recorded already (an identical repeat): the procedure, `show --json`",
                    "content": {"application/json": {"schema": _obj("id", "events", "steps")}},
                },
                "201": {
                    "description": "Recorded: the procedure as `procreg show --json`",
                    "content": {"application/json": {"schema": _obj("id", "events", "steps")}},
                },
                "4XX": {"description": "Refused", "content": {"application/json": {"schema": _ERROR}}},
            },
        }
    }


def openapi_document() -> dict[str, Any]:
    """The description of every ``/api/`` route."""
    filters = [("unit", "unit, accents optional"), ("field", "field (lĩnh vực)"), ("status", "status")]
    audit = [
        ("period", "2023, 2023-H1, 2023-Q3, 2023-05"),
        ("as_of", "date"),
        ("target", "percent"),
        ("unit", "unit"),
        ("field", "field"),
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "procreg",
            "version": "1",
            "description": "The procedure registry as JSON, in the shapes of `procreg … --json`.",
        },
        "paths": {
            "/api/session": _get(
                "Who is signed in, and the CSRF token for writes", [], _obj("user", "accounts", "csrf")
            ),
            "/api/login": {
                "post": {
                    "summary": "Sign in with {name, password} as JSON; sets the session cookie",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _obj("name", "password")}},
                    },
                    "responses": {
                        "200": {
                            "description": "Signed in",
                            "content": {"application/json": {"schema": _obj("user", "csrf")}},
                        },
                        "401": {
                            "description": "Wrong name or password",
                            "content": {"application/json": {"schema": _ERROR}},
                        },
                    },
                }
            },
            "/api/procedures": _get("`procreg list --json`", filters, _obj("total", "procedures")),
            "/api/procedures/{pid}": _get(
                "`procreg show --json`",
                [("pid", "procedure id")],
                _obj("id", "code", "name", "steps", "versions", "events"),
            ),
            "/api/procedures/{pid}/{action}": _record_path(),
            "/api/search": _get(
                "`procreg search --json`",
                [("q", "the query"), ("kind", "procedure, catalog, document…"), *filters, ("limit", "hits")],
                _obj("query", "total", "hits", "notices", "suggestions"),
            ),
            "/api/audit": _get(
                "`procreg audit --json`", audit, _obj("coverage", "target", "by_unit", "items")
            ),
            "/api/documents": _get("The ingested documents", [], _obj("total", "documents")),
            "/api/units": _get("`procreg units --json`", [], {"type": "object"}),
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}, "exit_code": {"type": "integer"}},
                }
            }
        },
    }
