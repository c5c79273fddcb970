"""An OpenAPI 3 document generated from the named questions' ``#+`` decorators."""

from __future__ import annotations

from .. import __version__
from ..sparql import results as r
from .loader import XSD, Parameter, Question

_ERRORS = {
    "400": "Missing or invalid parameter, or the query was refused / 参数缺失或无效",
    "406": "No acceptable format / 无可接受的格式",
    "502": "The remote store failed / 远程存储出错",
    "503": "The query timed out / 查询超时",
    "504": "The remote store timed out / 远程存储超时",
}
_MESSAGE = {"text/plain": {"schema": {"type": "string"}}}
# SPARQL 1.1 Query Results JSON Format §3: a head, then results (SELECT) or boolean (ASK)
_SPARQL_JSON = {
    "type": "object",
    "required": ["head"],
    "properties": {
        "head": {"type": "object"},
        "results": {"type": "object", "required": ["bindings"],
                    "properties": {"bindings": {"type": "array",
                                                "items": {"type": "object"}}}},
        "boolean": {"type": "boolean"},
    },
}
_JSONLD = {"oneOf": [{"type": "object"}, {"type": "array"}]}


def _schema(p: Parameter) -> dict:
    if p.kind == "iri":
        schema = {"type": "string", "format": "uri"}
    elif p.kind == "number":
        schema = {"type": "number"}
    elif p.kind == "typed" and p.datatype:
        local = p.datatype.removeprefix(XSD)
        if local.endswith(("nteger", "long", "int", "short", "byte")):
            schema = {"type": "integer"}
        elif local in ("decimal", "double", "float"):
            schema = {"type": "number"}
        elif local == "boolean":
            schema = {"type": "boolean"}
        elif local in ("date", "dateTime"):
            schema = {"type": "string", "format": "date" if local == "date" else "date-time"}
        else:
            schema = {"type": "string", "x-datatype": p.datatype}
    else:
        schema = {"type": "string"}
    if p.enum:
        schema["enum"] = list(p.enum)
    if p.default is not None:
        schema["default"] = p.default
    return schema


def _parameter(p: Parameter) -> dict:
    zh, en = p.labels.get("zh-Hans"), p.labels.get("en")
    text = " / ".join(x for x in (zh, en) if x) or p.name
    schema = _schema(p)
    if p.required and schema["type"] == "string":
        schema["minLength"] = 1  # an empty value counts as missing (400)
    return {
        "name": p.name,
        "in": "query",
        "required": p.required and p.default is None,
        "description": f"{text} ({p.type_name}; SPARQL ?{p.variable})",
        "schema": schema,
    }


def _body_schema(media_type: str) -> dict:
    """What a 200 body is, so clients (and schema-driven tests) can check answers."""
    if media_type == r.JSON:
        return _SPARQL_JSON
    if media_type == r.JSONLD:
        return _JSONLD
    return {"type": "string"}


def _operation(q: Question) -> dict:
    tabular = q.form in ("SELECT", "ASK")
    types = [r.JSON, r.CSV, "text/html"] if tabular else [r.TURTLE, r.JSONLD, "text/html"]
    description = "\n\n".join(x for x in (q.about("zh-Hans"), q.about("en")) if x)
    return {
        "operationId": q.name,
        "summary": " / ".join(dict.fromkeys(x for x in (q.title("zh-Hans"), q.title("en")))),
        "description": description + f"\n\n```sparql\n{q.display_text}```",
        "tags": list(q.tags) or ["questions"],
        "parameters": [_parameter(p) for p in q.parameters]
        + [
            {
                "name": "format",
                "in": "query",
                "required": False,
                "description": "Output format (overrides Accept) / 输出格式",
                "schema": {"type": "string", "enum": ["json", "csv", "html"] if tabular
                           else ["turtle", "jsonld", "html"]},
            },
            {
                "name": "lang",
                "in": "query",
                "required": False,
                "description": "Language of HTML labels: a value starting with `en` is "
                               "English, anything else Chinese / HTML 标签语言",
                "schema": {"type": "string", "default": "zh-Hans"},
            },
            {
                "name": "timeout",
                "in": "query",
                "required": False,
                "description": "Seconds before the query is stopped (at most the server's "
                               "limit) / 查询时限（秒）",
                "schema": {"type": "number", "exclusiveMinimum": True, "minimum": 0},
            },
        ],
        "responses": {
            "200": {
                "description": "The answer / 查询结果",
                "content": {t: {"schema": _body_schema(t)} for t in types},
            },
            "304": {"description": "Not modified (If-None-Match) / 未修改"},
            **{code: {"description": text, "content": _MESSAGE} for code, text in _ERRORS.items()},
        },
        "x-sparql-query": q.display_text,
    }


def document(questions: dict[str, Question], server_url: str) -> dict:
    """The OpenAPI 3.0 document for ``questions`` served at ``server_url``."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "govkg named questions / 乐清市人民政府工作规则知识图谱 命名查询",
            "version": __version__,
            "description": (
                "Named SPARQL questions over the Yueqing Municipal People's Government Work "
                "Rules knowledge graph. Each is a `.rq` file in `queries/`; parameters are "
                "bound as RDF terms. / 每个命名查询对应 `queries/` 中的一个 `.rq` 文件，"
                "参数以 RDF 项绑定。"
            ),
        },
        "servers": [{"url": server_url}],
        "paths": {
            **{f"/api/queries/{name}": {"get": _operation(q)} for name, q in questions.items()},
            "/api/validate": {"post": _validate_operation()},
        },
    }


def _validate_operation() -> dict:
    """``POST /api/validate`` (:mod:`govkg.api.validate`): records in, the report out."""
    from .validate import CONTENT_TYPES, REPORT_FORMATS

    records = {"schema": {"type": "string"}}
    return {
        "operationId": "validate",
        "summary": "Validate records against the work rules / 按工作规则核查记录",
        "description": (
            "Send records (meetings, documents, leave, decisions …) in any RDF syntax named by "
            "the Content-Type, or plain JSON read through the packaged JSON-LD context; get "
            "every finding with its rule, message (zh/en) and clause. 200 whatever is found; "
            "the `X-Govkg-Conforms` header says whether hard rules hold."
        ),
        "tags": ["validation"],
        "parameters": [
            {"name": "format", "in": "query", "required": False,
             "description": "Report format (overrides Accept) / 报告格式",
             "schema": {"type": "string", "enum": list(REPORT_FORMATS)}},
            {"name": "lang", "in": "query", "required": False,
             "description": "Language of the text and HTML report / 报告语言",
             "schema": {"type": "string", "enum": ["zh", "en"], "default": "zh"}},
        ],
        "requestBody": {
            "required": True,
            "content": {
                **{media: records for media in CONTENT_TYPES},
                "multipart/form-data": {"schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"},
                                   "format": {"type": "string"}},
                }},
            },
        },
        "responses": {
            "200": {"description": "The validation report / 核查报告",
                    "content": {"application/json": {"schema": {
                        "type": "object", "required": ["summary", "findings"]}},
                        "text/turtle": records, "application/ld+json": {"schema": _JSONLD},
                        "text/html": records, "text/csv": records, "text/plain": records}},
            **{code: {"description": text, "content": _MESSAGE} for code, text in {
                "400": "Records that cannot be read / 记录无法读取",
                "406": "No acceptable report format / 无可接受的格式",
                "413": "Records too large / 记录过大",
                "415": "Not a records syntax / 不支持的记录格式",
            }.items()},
        },
    }
