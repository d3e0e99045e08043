//! The API diff, data-driven: each case is a pair of small specs and the
//! rules (with levels) the diff must raise. Every ERR/WARN finding must be
//! expected, so a reversed pair also checks that nothing breaking is
//! reported the harmless way round.

use codegen::diff::{self, Finding, Level};
use codegen::model::Api;

use Level::{Err, Info, Warn};

fn load(yaml: &str) -> (Api, serde_json::Value) {
    let mut report = codegen::Report::default();
    match codegen::analyze("test.yaml", yaml.as_bytes(), &mut report) {
        Ok((doc, _, api)) => (api, doc.value),
        Result::Err(e) => panic!("fixture does not load: {e}\n{yaml}"),
    }
}

/// The full diff (model and documents as written), as `cargo xtask diff` runs it.
fn run(old: &str, new: &str) -> Vec<Finding> {
    let ((oa, od), (na, nd)) = (load(old), load(new));
    diff::diff_documents(&oa, &od, &na, &nd)
}

/// The model-only diff.
fn run_model(old: &str, new: &str) -> Vec<Finding> {
    diff::diff(&load(old).0, &load(new).0)
}

#[track_caller]
fn check(old: &str, new: &str, expect: &[(&str, Level)]) {
    let found = run(old, new);
    let shown = diff::render::text(&found);
    for (rule, level) in expect {
        assert!(found.iter().any(|f| f.rule == *rule && f.level == *level), "expected {rule} at {level}, got:\n{shown}");
    }
    for f in found.iter().filter(|f| f.level >= Warn) {
        assert!(expect.iter().any(|(r, l)| *r == f.rule && *l == f.level), "unexpected {} {}:\n{shown}", f.level, f.rule);
    }
}

/// A spec with one `POST /items` whose request body and 200 response use
/// the given schemas (YAML flow style), plus extra parameters.
fn body_spec(request: &str, response: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {request}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {response}
"
    )
}

fn req(schema: &str) -> String {
    body_spec(schema, "{type: string}")
}

fn resp(schema: &str) -> String {
    body_spec("{type: string}", schema)
}

/// `GET /items` with one parameter (YAML flow style).
fn param_spec(param: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
      - {param}
      responses:
        '200': {{description: ok}}
"
    )
}

const OBJ_A: &str = "{type: object, properties: {a: {type: string}}}";
const OBJ_AB_REQ: &str = "{type: object, required: [b], properties: {a: {type: string}, b: {type: string}}}";
const OBJ_AB_OPT: &str = "{type: object, properties: {a: {type: string}, b: {type: string}}}";
const OBJ_A_REQ: &str = "{type: object, required: [a], properties: {a: {type: string}}}";

#[test]
fn identical_specs_have_no_findings() {
    assert!(run(&req(OBJ_A), &req(OBJ_A)).is_empty());
}

#[test]
fn request_properties() {
    check(&req(OBJ_A), &req(OBJ_AB_REQ), &[("new-required-request-property", Err)]);
    check(&req(OBJ_AB_REQ), &req(OBJ_A), &[("request-property-removed", Warn)]);
    check(&req(OBJ_A), &req(OBJ_AB_OPT), &[("new-optional-request-property", Info)]);
    check(&req(OBJ_A), &req(OBJ_A_REQ), &[("request-property-became-required", Err)]);
    check(&req(OBJ_A_REQ), &req(OBJ_A), &[("request-property-became-optional", Info)]);
    // A new required read-only property is not sent by clients.
    check(&req(OBJ_A), &req("{type: object, required: [b], properties: {a: {type: string}, b: {type: string, readOnly: true}}}"), &[]);
}

#[test]
fn response_properties() {
    check(&resp(OBJ_A), &resp(OBJ_AB_REQ), &[("response-required-property-added", Info)]);
    check(&resp(OBJ_AB_OPT), &resp(OBJ_A), &[("response-optional-property-removed", Warn)]);
    check(&resp(OBJ_A_REQ), &resp("{type: object, properties: {}}"), &[("response-required-property-removed", Err)]);
    check(&resp(OBJ_A_REQ), &resp(OBJ_A), &[("response-property-became-optional", Err)]);
    check(&resp(OBJ_A), &resp(OBJ_A_REQ), &[("response-property-became-required", Info)]);
}

#[test]
fn types_and_formats() {
    let p = |t: &str| format!("{{type: object, properties: {{a: {t}}}}}");
    check(&req(&p("{type: string}")), &req(&p("{type: integer}")), &[("request-property-type-changed", Err)]);
    check(&resp(&p("{type: string}")), &resp(&p("{type: integer}")), &[("response-property-type-changed", Err)]);
    check(&req(&p("{type: integer}")), &req(&p("{type: number}")), &[("request-property-type-generalized", Info)]);
    check(&resp(&p("{type: integer}")), &resp(&p("{type: number}")), &[("response-property-type-generalized", Err)]);
    check(&req("{type: string}"), &req("{type: object}"), &[("request-body-type-changed", Err)]);
    check(&resp("{type: string}"), &resp("{type: array, items: {type: string}}"), &[("response-body-type-changed", Err)]);
    check(&req(&p("{type: string, format: date}")), &req(&p("{type: string, format: uuid}")), &[("request-property-format-changed", Err)]);
}

#[test]
fn nullable() {
    let p = |n: bool| format!("{{type: object, properties: {{a: {{type: string, nullable: {n}}}}}}}");
    check(&resp(&p(false)), &resp(&p(true)), &[("response-property-became-nullable", Err)]);
    check(&resp(&p(true)), &resp(&p(false)), &[("response-property-became-not-nullable", Info)]);
    check(&req(&p(true)), &req(&p(false)), &[("request-property-became-not-nullable", Err)]);
    check(&req(&p(false)), &req(&p(true)), &[("request-property-became-nullable", Info)]);
}

#[test]
fn enums() {
    let p = |e: &str| format!("{{type: object, properties: {{a: {{type: string, enum: {e}}}}}}}");
    check(&req(&p("[x, y]")), &req(&p("[x]")), &[("request-property-enum-value-removed", Err)]);
    // One finding per value.
    let found = run(&req(&p("[x, y, z]")), &req(&p("[x]")));
    assert_eq!(found.iter().filter(|f| f.rule == "request-property-enum-value-removed").count(), 2, "{}", diff::render::text(&found));
    check(&req(&p("[x]")), &req(&p("[x, y]")), &[("request-property-enum-value-added", Info)]);
    check(&resp(&p("[x]")), &resp(&p("[x, y]")), &[("response-property-enum-value-added", Warn)]);
    check(&resp(&p("[x, y]")), &resp(&p("[x]")), &[("response-property-enum-value-removed", Info)]);
    check(&req("{type: string}"), &req("{type: string, enum: [a]}"), &[("request-body-became-enum", Err)]);
    check(&param_spec("{name: s, in: query, schema: {type: string}}"), &param_spec("{name: s, in: query, schema: {type: string, enum: [a]}}"), &[("request-parameter-became-enum", Err)]);
    check(&param_spec("{name: s, in: query, schema: {type: string, enum: [a, b]}}"), &param_spec("{name: s, in: query, schema: {type: string, enum: [a]}}"), &[("request-parameter-enum-value-removed", Err)]);
}

#[test]
fn constraints() {
    let p = |c: &str| format!("{{type: object, properties: {{a: {{type: integer, {c}}}}}}}");
    check(&req(&p("maximum: 10")), &req(&p("maximum: 5")), &[("request-property-max-decreased", Err)]);
    check(&req(&p("maximum: 5")), &req(&p("maximum: 10")), &[("request-property-max-increased", Info)]);
    check(&resp(&p("maximum: 5")), &resp(&p("maximum: 10")), &[("response-property-max-increased", Err)]);
    check(&req(&p("minimum: 1")), &req(&p("minimum: 3")), &[("request-property-min-increased", Err)]);
    check(&req(&p("format: int32")), &req(&p("format: int32, maximum: 3")), &[("request-property-max-set", Warn)]);
    let s = |c: &str| format!("{{type: object, properties: {{a: {{type: string, {c}}}}}}}");
    check(&req(&s("maxLength: 10")), &req(&s("maxLength: 5")), &[("request-property-max-length-decreased", Err)]);
    check(&resp(&s("minLength: 5")), &resp(&s("minLength: 1")), &[("response-property-min-length-decreased", Err)]);
    check(&req(&s("format: email")), &req(&s("format: email, pattern: '^a'")), &[("request-property-pattern-added", Err)]);
    check(&req(&s("format: date")), &req(&s("format: uuid")), &[("request-property-format-changed", Err)]);
    check(&req(&s("pattern: '^a'")), &req(&s("pattern: '^b'")), &[("request-property-pattern-changed", Warn)]);
    check(&req(&s("pattern: '^a'")), &req(&s("description: x")), &[("request-property-pattern-removed", Info)]);
    check(&req("{type: array, items: {type: string}, maxItems: 5}"), &req("{type: array, items: {type: string}, maxItems: 3}"), &[("request-body-max-items-decreased", Err)]);
}

#[test]
fn parameters() {
    let q = |extra: &str| param_spec(&format!("{{name: limit, in: query, schema: {{type: integer{extra}}}}}"));
    let q_req = param_spec("{name: limit, in: query, required: true, schema: {type: integer}}");
    check(&q(""), &q_req, &[("request-parameter-became-required", Err)]);
    check(&q_req, &q(""), &[("request-parameter-became-optional", Info)]);
    check(&q(""), &q(", maximum: 50"), &[("request-parameter-max-set", Warn)]);
    check(&q(", minimum: 1"), &q(", minimum: 10"), &[("request-parameter-min-increased", Err)]);
    check(&q(", minimum: 10"), &q(", minimum: 1"), &[("request-parameter-min-decreased", Info)]);
    check(&q(", default: 10"), &q(", default: 20"), &[("request-parameter-default-value-changed", Err)]);
    check(&q(""), &param_spec("{name: limit, in: query, schema: {type: string}}"), &[("request-parameter-type-changed", Err)]);
    let two = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
      - {name: limit, in: query, schema: {type: integer}}
      - {name: X-Tenant, in: header, required: true, schema: {type: string}}
      responses:
        '200': {description: ok}
";
    check(&q(""), two, &[("new-required-request-parameter", Err)]);
    check(two, &q(""), &[("request-parameter-removed", Warn)]);
    // Object parameters: their properties.
    let h = |prop: &str| param_spec(&format!("{{name: X-Filter, in: header, schema: {{type: object, properties: {{kind: {prop}}}}}}}"));
    check(&h("{type: string}"), &h("{type: string, enum: [a]}"), &[("request-header-property-became-enum", Err)]);
    check(&h("{type: string, enum: [a, b]}"), &h("{type: string, enum: [a]}"), &[("request-parameter-property-enum-value-removed", Err)]);
    check(&h("{type: integer}"), &h("{type: number}"), &[("request-parameter-property-type-generalized", Info)]);
    check(&h("{type: number}"), &h("{type: string}"), &[("request-parameter-property-type-changed", Warn)]);
    // Header names are case-insensitive.
    check(&param_spec("{name: X-Trace, in: header, schema: {type: string}}"), &param_spec("{name: x-trace, in: header, schema: {type: string}}"), &[]);
    // Path parameters match by position: renaming one is not a change on the wire.
    let path = |name: &str| {
        format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /items/{{{name}}}:\n    get:\n      operationId: getItem\n      parameters:\n      - {{name: {name}, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200': {{description: ok}}\n")
    };
    check(&path("id"), &path("item_id"), &[]);
    let dep = param_spec("{name: limit, in: query, deprecated: true, schema: {type: integer}}");
    check(&q(""), &dep, &[("request-parameter-deprecated", Info)]);
}

#[test]
fn request_bodies_and_media_types() {
    let none = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /items:
    post:
      operationId: createItem
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
";
    check(&req(OBJ_A), none, &[("request-body-removed", Err)]);
    check(none, &req(OBJ_A), &[("request-body-added-required", Err)]);
    let optional = req(OBJ_A).replace("        required: true\n", "");
    check(none, &optional, &[("request-body-added-optional", Info)]);
    check(&optional, &req(OBJ_A), &[("request-body-became-required", Err)]);
    check(&req(OBJ_A), &optional, &[("request-body-became-optional", Info)]);
    let xml = req(OBJ_A).replace("          application/json:\n            schema: {type: object", "          application/xml:\n            schema: {type: object");
    check(&req(OBJ_A), &xml, &[("request-body-media-type-removed", Err), ("request-body-media-type-added", Info)]);
}

#[test]
fn responses() {
    let with_404 = resp(OBJ_A).replace("      responses:\n", "      responses:\n        '404': {description: gone}\n");
    check(&resp(OBJ_A), &with_404, &[("response-non-success-status-added", Info)]);
    check(&with_404, &resp(OBJ_A), &[("response-non-success-status-removed", Info)]);
    let created = resp(OBJ_A).replace("'200'", "'201'");
    check(&resp(OBJ_A), &created, &[("response-success-status-removed", Err), ("response-success-status-added", Info)]);
    let header = |required: bool| resp(OBJ_A).replace("          description: ok\n", &format!("          description: ok\n          headers:\n            X-Rate: {{required: {required}, schema: {{type: integer}}}}\n"));
    check(&header(false), &resp(OBJ_A), &[("optional-response-header-removed", Warn)]);
    check(&header(true), &resp(OBJ_A), &[("required-response-header-removed", Err)]);
    check(&resp(OBJ_A), &header(true), &[("response-header-added", Info)]);
    let text = resp(OBJ_A).replace("            application/json:\n              schema: {type: object", "            text/plain:\n              schema: {type: object");
    check(&resp(OBJ_A), &text, &[("response-media-type-removed", Err), ("response-media-type-added", Info)]);
}

#[test]
fn paths_and_operations() {
    let other = req(OBJ_A).replace("/items:", "/things:");
    check(&req(OBJ_A), &other, &[("api-path-removed-without-deprecation", Err), ("endpoint-added", Info)]);
    check(&req(OBJ_A), &req(OBJ_A).replace("post:", "put:"), &[("api-removed-without-deprecation", Err), ("endpoint-added", Info)]);
    let deprecated = req(OBJ_A).replace("      operationId: createItem\n", "      operationId: createItem\n      deprecated: true\n");
    check(&req(OBJ_A), &deprecated, &[("endpoint-deprecated", Info), ("api-deprecated-sunset-missing", Err)]);
    check(&deprecated, &other, &[("api-path-removed-with-deprecation", Info), ("endpoint-added", Info)]);
    check(&req(OBJ_A), &req(OBJ_A).replace("createItem", "addItem"), &[("operation-id-renamed", Err)]);
}

#[test]
fn refs_are_followed_and_cycles_stop() {
    let spec = |extra: &str| {
        format!(
            "{}components:
  schemas:
    Node:
      type: object
      properties:
        name: {{type: string}}
        children: {{type: array, items: {{$ref: '#/components/schemas/Node'}}}}{extra}
",
            body_spec("{$ref: '#/components/schemas/Node'}", "{$ref: '#/components/schemas/Node'}")
        )
    };
    check(&spec(""), &spec("\n        size: {type: integer}"), &[("new-optional-request-property", Info), ("response-optional-property-added", Info)]);
    let required = spec("").replace("      type: object\n", "      type: object\n      required: [name]\n");
    check(&spec(""), &required, &[("request-property-became-required", Err), ("response-property-became-required", Info)]);
    // allOf members are merged: moving a property into an allOf member changes nothing.
    let all_of = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /items:
    get:
      operationId: getItem
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                allOf:
                - {$ref: '#/components/schemas/Base'}
                - {type: object, properties: {b: {type: string}}}
components:
  schemas:
    Base: {type: object, required: [a], properties: {a: {type: string}}}
";
    let removed = all_of.replace("required: [a], properties: {a: {type: string}}", "properties: {}");
    check(all_of, &removed, &[("response-required-property-removed", Err)]);
}

#[test]
fn compositions() {
    let one_of = |v: &str| format!("{{oneOf: [{v}]}}");
    check(&req(&one_of("{type: string}, {type: integer}")), &req(&one_of("{type: string}")), &[("request-body-one-of-removed", Err)]);
    check(&resp(&one_of("{type: string}")), &resp(&one_of("{type: string}, {type: integer}")), &[("response-body-one-of-added", Err)]);
    check(&resp(&one_of("{type: string}, {type: integer}")), &resp(&one_of("{type: string}")), &[("response-body-one-of-removed", Info)]);
    check(&req("{type: string}"), &req(&one_of("{type: string}, {type: integer}")), &[("request-body-wrapped-in-one-of", Err)]);
    let any_of = |v: &str| format!("{{anyOf: [{v}]}}");
    check(&req(&any_of("{type: string, minLength: 1}, {type: integer, minimum: 0}")), &req(&any_of("{type: string, minLength: 1}")), &[("request-body-any-of-removed", Err)]);
    check(&req(&any_of("{type: string, minLength: 1}")), &req(&any_of("{type: string, minLength: 1}, {type: integer, minimum: 0}")), &[("request-body-any-of-added", Info)]);
    let all_of = |v: &str| format!("{{type: object, properties: {{p: {{allOf: [{v}]}}}}}}");
    check(&req(&all_of("{type: object}, {required: [a]}")), &req(&all_of("{type: object}")), &[("request-property-all-of-removed", Warn)]);
    check(&req(&all_of("{type: object}")), &req(&all_of("{type: object}, {required: [a]}")), &[("request-property-all-of-added", Err)]);
}

#[test]
fn component_schemas() {
    let with = |name: &str| format!("{}components:\n  schemas:\n    {name}: {{type: object, properties: {{x: {{type: string}}}}}}\n", req(OBJ_A));
    check(&with("Pet"), &with("Animal"), &[("schema-renamed", Warn)]);
    check(&req(OBJ_A), &with("Pet"), &[("api-schema-added", Info)]);
    check(&with("Pet"), &req(OBJ_A), &[("api-schema-removed", Info)]);
}

const SSE: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /stream:
    get:
      operationId: stream
      responses:
        '200':
          description: events
          content:
            text/event-stream:
              schema: {$ref: '#/components/schemas/Event'}
components:
  schemas:
    Event:
      oneOf:
      - type: object
        properties:
          event: {type: string, enum: [message]}
          data: {type: object, required: [text], properties: {text: {type: string}}}
      - type: object
        properties:
          event: {type: string, enum: [done]}
          data: {type: object}
";

#[test]
fn sse_event_types() {
    let without_done = SSE.replace("      - type: object\n        properties:\n          event: {type: string, enum: [done]}\n          data: {type: object}\n", "");
    let found = run(SSE, &without_done);
    assert!(found.iter().any(|f| f.rule == "sse-event-type-removed" && f.level == Err), "{}", diff::render::text(&found));
    let found = run(&without_done, SSE);
    assert!(found.iter().any(|f| f.rule == "sse-event-type-added" && f.level == Warn), "{}", diff::render::text(&found));
    // Event data is read by clients, like a response.
    check(SSE, &SSE.replace("required: [text], ", ""), &[("response-property-became-optional", Err)]);
    let json = SSE.replace("text/event-stream", "application/json");
    check(SSE, &json, &[("sse-stream-removed", Err), ("response-media-type-removed", Err), ("response-media-type-added", Info)]);
    check(&json, SSE, &[("sse-stream-added", Info), ("response-media-type-removed", Err), ("response-media-type-added", Info)]);
}

const WEBHOOKS: &str = "openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
webhooks:
  order.created:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, required: [id], properties: {id: {type: string}}}
      responses:
        '200': {description: ok}
";

#[test]
fn webhooks() {
    let none = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n";
    check(WEBHOOKS, none, &[("webhook-removed", Err)]);
    check(none, WEBHOOKS, &[("webhook-added", Info)]);
    check(WEBHOOKS, &WEBHOOKS.replace("required: [id], ", ""), &[("response-property-became-optional", Err)]);
}

#[test]
fn pagination() {
    let spec = |style: &str| param_spec("{name: page, in: query, schema: {type: integer}}").replace("      operationId: listItems\n", &format!("      operationId: listItems\n      x-pagination: {style}\n"));
    let page = "{style: page, items: /data, has_more: /meta/has_more}";
    let cursor = "{style: cursor, items: /data, cursor_param: after, next_cursor: /next}";
    check(&spec(page), &spec(cursor), &[("pagination-changed", Err)]);
    check(&spec(page), &spec(page), &[]);
}

#[test]
fn findings_carry_pointers_and_operations() {
    let found = run(&req(OBJ_A), &req(OBJ_AB_REQ));
    let f = found.iter().find(|f| f.rule == "new-required-request-property");
    let Some(f) = f else { panic!("{found:?}") };
    assert_eq!(f.operation.as_deref(), Some("POST /items"));
    assert_eq!(f.new_pointer.as_deref(), Some("#/paths/~1items/post/requestBody/content/application~1json/schema/properties/b"));
    // Deterministic.
    assert_eq!(found, run(&req(OBJ_A), &req(OBJ_AB_REQ)));
}

fn workspace_file(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel);
    match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Result::Err(e) => panic!("cannot read {}: {e}", path.display()),
    }
}

#[test]
fn project_release_1_to_2_breaks_workflow_clients() {
    let found = run(&workspace_file("spec/history/1.0.0/openapi.yaml"), &workspace_file("spec/openapi.yaml"));
    let errs: Vec<&Finding> = found.iter().filter(|f| f.level == Err).collect();
    let shown = diff::render::text(&found);
    assert!(errs.len() > 5, "{shown}");
    let has = |rule: &str, op: &str| found.iter().any(|f| f.rule == rule && f.operation.as_deref().is_some_and(|o| o.contains(op)));
    assert!(has("api-path-removed-without-deprecation", "/workflow-instances"), "{shown}");
    assert!(has("endpoint-added", "/workflows/instances"), "{shown}");
    assert!(has("pagination-changed", "GET /workflows"), "{shown}");
    assert!(has("response-property-type-changed", "GET /workflows"), "{shown}");
    assert!(has("request-parameter-removed", "GET /workflows"), "{shown}");
    assert!(found.iter().any(|f| f.rule == "webhook-removed" && f.level == Err && f.message.contains("workflow.instance.started")), "{shown}");
    // The stream of the removed generation goes with its path.
    assert!(has("api-path-removed-without-deprecation", "/workflow-instances/{instance_id}/stream"), "{shown}");
}

const SECURED: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
security: [{key: []}]
paths:
  /items:
    get:
      operationId: listItems
      security: [{oauth: [read]}]
      responses:
        '200': {description: ok}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://x/token', scopes: {read: r, write: w}}}}
";

#[test]
fn security() {
    check(SECURED, &SECURED.replace("security: [{key: []}]\n", ""), &[("api-global-security-removed", Info)]);
    check(&SECURED.replace("security: [{key: []}]\n", ""), SECURED, &[("api-global-security-added", Info)]);
    check(SECURED, &SECURED.replace("      security: [{oauth: [read]}]\n", ""), &[("api-security-removed", Info)]);
    check(SECURED, &SECURED.replace("[{oauth: [read]}]", "[{oauth: [read, write]}]"), &[("api-security-scope-added", Info)]);
    check(SECURED, &SECURED.replace("    key: {type: apiKey, in: header, name: X-Key}\n", ""), &[("api-security-component-removed", Info)]);
    // The model does not carry security: only the full diff sees it.
    assert!(run_model(SECURED, &SECURED.replace("security: [{key: []}]\n", "")).is_empty());
}

#[test]
fn stability_levels() {
    let at = |level: &str| param_spec("{name: q, in: query, schema: {type: string}}").replace("      operationId: listItems\n", &format!("      operationId: listItems\n      x-stability-level: {level}\n"));
    check(&at("beta"), &at("alpha"), &[("api-stability-decreased", Err)]);
    check(&at("alpha"), &at("beta"), &[("api-stability-increased", Info)]);
    // Breaking changes to an alpha endpoint are not reported.
    let gone = at("alpha").replace("      parameters:\n      - {name: q, in: query, schema: {type: string}}\n", "");
    check(&at("alpha"), &gone, &[]);
    check(&at("beta"), &gone.replace("alpha", "beta"), &[("request-parameter-removed", Warn)]);
}

#[test]
fn deprecation_and_sunset() {
    let base = req(OBJ_A);
    let dep = |extra: &str| base.replace("      operationId: createItem\n", &format!("      operationId: createItem\n      deprecated: true\n{extra}"));
    check(&base, &dep(""), &[("endpoint-deprecated", Info), ("api-deprecated-sunset-missing", Err)]);
    check(&base, &dep("      x-sunset: '2999-01-01'\n"), &[("endpoint-deprecated", Info), ("endpoint-deprecated-with-sunset", Info)]);
    check(&dep("      x-sunset: 'soon'\n"), &dep("      x-sunset: '2999-01-01'\n"), &[("api-path-sunset-parse", Err)]);
    let gone = base.replace("/items:", "/other:");
    check(&dep("      x-sunset: '2999-01-01'\n"), &gone, &[("api-removed-before-sunset", Err), ("api-path-removed-with-deprecation", Info), ("endpoint-added", Info)]);
    check(&dep("      x-sunset: '2000-01-01'\n"), &gone, &[("api-path-removed-with-deprecation", Info), ("endpoint-added", Info)]);
    let prop = |extra: &str| resp(&format!("{{type: object, properties: {{a: {{type: string{extra}}}}}}}"));
    check(&prop(""), &prop(", deprecated: true"), &[("response-property-deprecated", Info)]);
    check(&prop(""), &prop(", deprecated: true, x-sunset: '2999-01-01'"), &[("response-property-deprecated", Info), ("response-property-deprecated-with-sunset", Info)]);
}

/// A 3.1 spec whose request and response bodies have an array property `a`
/// with extra keywords (YAML flow style).
fn keywords_31(extra: &str) -> String {
    let schema = format!("{{type: object, properties: {{a: {{type: array, items: {{type: string}}{extra}}}}}}}");
    body_spec(&schema, &schema).replace("openapi: 3.0.3", "openapi: 3.1.0")
}

#[test]
fn keywords_only_31_documents_hold() {
    check(&keywords_31(", contains: {type: string}"), &keywords_31(""), &[("response-property-contains-removed", Err), ("request-property-contains-removed", Info)]);
    check(&keywords_31(""), &keywords_31(", prefixItems: [{type: string}]"), &[("request-property-prefix-items-added", Info), ("response-property-prefix-items-added", Err)]);
    check(
        &keywords_31(", contains: {type: string}, minContains: 1"),
        &keywords_31(", contains: {type: string}, minContains: 2"),
        &[("request-property-min-contains-increased", Err), ("response-property-min-contains-increased", Info)],
    );
    let media = |mt: &str| {
        let schema = format!("{{type: object, properties: {{a: {{type: string, contentMediaType: {mt}}}}}}}");
        body_spec(&schema, &schema).replace("openapi: 3.0.3", "openapi: 3.1.0")
    };
    check(&media("application/json"), &media("text/plain"), &[("request-property-content-media-type-changed", Err), ("response-property-content-media-type-changed", Err)]);
}
