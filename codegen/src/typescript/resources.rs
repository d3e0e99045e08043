//! Operations as resource classes: one class per tag (untagged operations
//! go to `default`), one method per operation.
//!
//! A method takes the path parameters (in path order), then the body (when
//! the operation has one), then `params` (query and header parameters by
//! wire name), then the runtime's `RequestOptions`. A query parameter not
//! written as `form`, exploded, has its style in the request's
//! `queryStyles`, which the runtime's `queryString` follows. `X-Namespace`,
//! `Idempotency-Key` and `Last-Event-ID` are not in `params`: the runtime
//! sets them (the client's namespace, a generated key, the resume point)
//! and `RequestOptions` overrides them.
//!
//! Method names drop the tag's words from the operationId, as in the Rust
//! resources (`createAssistant` under `Assistants` → `create`), keeping the
//! full name when the short one is taken or empty. A paginated operation
//! also gets `<name>All`, an async iterator over every item; an SSE
//! operation returns an async iterator of typed events.

use heck::ToSnakeCase;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::docs;
use super::names::{self, property_key, string_literal};
use super::types::TypeCx;
use crate::model::{Api, Location, Operation, Pagination};
use crate::naming::Namer;
use crate::report::{Report, Severity};

/// Headers the runtime owns; they are not method parameters.
const RUNTIME_HEADERS: &[&str] = &["x-namespace", "idempotency-key", "last-event-id"];

/// One resource class, ready for `resource.ts.jinja`.
#[derive(Debug, serde::Serialize)]
pub struct Resource {
    /// The tag.
    pub tag: String,
    /// The tag, safe inside a comment.
    pub tag_doc: String,
    /// Class name.
    pub class: String,
    /// Property name on the client.
    pub property: String,
    /// Module file stem (`resources/<file>.ts`).
    pub file: String,
    /// JSDoc of the class.
    pub doc: String,
    /// Declarations before the class (params interfaces, event types, decoders).
    pub decls: Vec<String>,
    /// Methods, rendered.
    pub methods: Vec<String>,
    /// Operation count.
    pub operations: usize,
    /// One `OPERATIONS` table row per operation (TypeScript object literals).
    pub rows: Vec<String>,
}

/// Groups the operations by tag (in tag declaration order, then first use)
/// and renders each group. `types` is the package-wide type-name scope.
pub fn resources(api: &Api, cx: &TypeCx<'_>, types: &mut Namer, properties: &mut Namer, report: &mut Report) -> Vec<Resource> {
    let mut order: Vec<String> = api.tags.iter().map(|t| t.name.clone()).collect();
    for op in &api.operations {
        let tag = group_of(op);
        if !order.contains(&tag) {
            order.push(tag);
        }
    }
    let mut out = Vec::new();
    for tag in order {
        let ops: Vec<&Operation> = api.operations.iter().filter(|o| group_of(o) == tag).collect();
        if ops.is_empty() {
            continue;
        }
        let class = types.fresh(&tag);
        let property = properties.name(&tag);
        let description = api.tags.iter().find(|t| t.name == tag).and_then(|t| t.description.as_deref());
        let mut members = names::members();
        let mut decls = Vec::new();
        let mut methods = Vec::new();
        let mut rows = Vec::new();
        for op in &ops {
            let m = method(op, &tag, cx, types, &mut members, report);
            decls.extend(m.decls);
            methods.extend(m.methods);
            rows.push(format!("{{ {}, resource: {}, {} }}", m.row_head, string_literal(&property), m.row_tail));
        }
        out.push(Resource {
            file: class.to_snake_case(),
            doc: docs::jsdoc(&[Some(&format!("Operations tagged `{tag}`.")), description], &[], ""),
            tag_doc: docs::escape(&tag).replace('\n', " "),
            tag,
            class,
            property,
            decls,
            methods,
            operations: ops.len(),
            rows,
        });
    }
    out
}

fn group_of(op: &Operation) -> String {
    op.tags.first().cloned().unwrap_or_else(|| "default".to_owned())
}

struct Rendered {
    decls: Vec<String>,
    methods: Vec<String>,
    /// `operationId` of the table row.
    row_head: String,
    /// The rest of the table row.
    row_tail: String,
}

struct Arg {
    name: String,
    ty: String,
    optional: bool,
    default: Option<&'static str>,
}

/// The member name of `op` in the group of `tag`.
fn member_name(op: &Operation, tag: &str, members: &mut Namer) -> String {
    let short = crate::rust::resources::short_name(&op.id.to_snake_case(), tag).map(|s| crate::naming::Case::Camel.apply(&s));
    match short {
        Some(s) if members.is_free(&s) => {
            members.reserve(&s);
            s
        }
        _ => members.name(&op.id),
    }
}

fn method(op: &Operation, tag: &str, cx: &TypeCx<'_>, types: &mut Namer, members: &mut Namer, report: &mut Report) -> Rendered {
    let name = member_name(op, tag, members);
    let mut values = names::values();
    for taken in ["body", "params", "options"] {
        values.reserve(taken);
    }
    let mut decls = Vec::new();
    let mut args: Vec<Arg> = Vec::new();
    let mut param_docs: Vec<String> = Vec::new();

    // Path parameters, in path order.
    let mut path_expr: Vec<String> = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        if open > 0 {
            path_expr.push(string_literal(&rest[..open]));
        }
        let wire = &rest[open + 1..close];
        let p = op.parameters.iter().find(|p| p.location == Location::Path && p.name == wire);
        let var = values.name(wire);
        let schema = p.and_then(|p| p.schema.as_ref());
        let ty = match (schema.and_then(|s| cx.resolve(s)).map(|s| &s.schema_kind), schema) {
            (Some(SchemaKind::Type(Type::String(_))), _) => "string".to_owned(),
            (Some(SchemaKind::Type(Type::Integer(_) | Type::Number(_))), _) => "number".to_owned(),
            (Some(SchemaKind::Type(Type::Boolean(_))), _) => "boolean".to_owned(),
            (_, Some(s)) if p.is_some_and(|p| p.structured) => cx.of(s, "  "),
            _ => "string | number".to_owned(),
        };
        match p.filter(|p| p.has_path_style()) {
            Some(p) => path_expr.push(format!("$rt.encodePathParam({}, {var}, {}, {})", string_literal(wire), string_literal(p.style.as_str()), p.explode)),
            None => path_expr.push(format!("$rt.encodePathSegment({}, {var})", string_literal(wire))),
        }
        if let Some(d) = p.and_then(|p| p.description.as_deref()) {
            param_docs.push(format!("@param {var} {}", one_line(d)));
        }
        args.push(Arg { name: var, ty, optional: false, default: None });
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() || path_expr.is_empty() {
        path_expr.push(string_literal(rest));
    }

    // The body, and its kind for the operation table.
    let mut body_field = String::new();
    let mut body_kind = "undefined";
    if let Some((required, _)) = &op.request {
        // The one body the SDKs send (`Operation::chosen_body`); another
        // schema in another media type is a sibling method of its own.
        let chosen = op.chosen_body();
        let json = chosen.filter(|b| b.media_type.contains("json"));
        // A form of fields: the runtime encodes an object (or takes a ready
        // `FormData`/`URLSearchParams` when the spec gives no schema).
        let fields = |b: &crate::model::Body| match b.schema.as_ref().map(|s| cx.resolve(s).map(|s| &s.schema_kind)) {
            None => true,
            Some(Some(SchemaKind::Type(Type::Object(_)))) => true,
            Some(Some(SchemaKind::Any(a))) => a.typ.as_deref().is_none_or(|t| t == "object") && a.items.is_none(),
            Some(_) => false,
        };
        let form = chosen.filter(|b| fields(b)).and_then(|b| form_encoder(&b.media_type).map(|e| (b, e)));
        let (ty, field, kind) = match (json, form) {
            (Some(b), _) => (cx.of_opt(b.schema.as_ref(), "  "), "body".to_owned(), "\"json\""),
            // A form body is the spec's object, encoded by the runtime.
            (None, Some((b, encoder))) => {
                // Url-encoded fields the spec's `encoding` gives a style.
                let styles: Vec<String> = b
                    .encoding
                    .iter()
                    .filter(|_| encoder == "urlEncodedBody")
                    .map(|(name, style, explode)| format!("{}: {{ style: {}, explode: {explode} }}", property_key(name), string_literal(style.as_str())))
                    .collect();
                let styles = if styles.is_empty() { String::new() } else { format!(", {{ {} }}", styles.join(", ")) };
                (cx.of_opt(b.schema.as_ref(), "  "), format!("rawBody: body === undefined ? undefined : $rt.{encoder}(body{styles})"), "\"form\"")
            }
            (None, None) => {
                let Some(b) = chosen else { return Rendered { decls, methods: Vec::new(), row_head: String::new(), row_tail: String::new() } };
                // Bytes or text are what the raw type says; a structured
                // schema sent raw is less typed than the spec.
                let structured = !matches!(b.schema.as_ref().and_then(|s| cx.resolve(s)).map(|s| &s.schema_kind), None | Some(SchemaKind::Type(Type::String(_))));
                if structured {
                    report.add(Severity::Degraded, &op.pointer, format!("TypeScript: `{}` body passed as raw `{}`", b.media_type, raw_body_type(&b.media_type)));
                }
                let content_type = if b.media_type.starts_with("multipart/") { "undefined".to_owned() } else { string_literal(&b.media_type) };
                (raw_body_type(&b.media_type).to_owned(), format!("rawBody: body === undefined ? undefined : {{ contentType: {content_type}, data: body }}"), "\"raw\"")
            }
        };
        body_field = field;
        body_kind = kind;
        args.push(Arg { name: "body".to_owned(), ty, optional: !required, default: None });
    }

    // Query and header parameters, by wire name.
    let params: Vec<_> = op
        .parameters
        .iter()
        .filter(|p| p.location != Location::Path)
        .filter(|p| !(p.location == Location::Header && RUNTIME_HEADERS.contains(&p.name.to_ascii_lowercase().as_str())))
        .collect();
    let mut query_fields = Vec::new();
    let mut query_styles = Vec::new();
    let mut header_fields = Vec::new();
    let params_type = if params.is_empty() {
        None
    } else {
        let type_name = types.fresh(&format!("{} params", op.id));
        let mut body = String::new();
        for p in &params {
            let tags = if p.deprecated { vec!["@deprecated".to_owned()] } else { Vec::new() };
            let loc = if p.location == Location::Header { "Header" } else { "Query parameter" };
            body.push_str(&docs::jsdoc(&[Some(&format!("{loc} `{}`.", p.name)), p.description.as_deref()], &tags, "  "));
            let ty = match (p.location, p.schema.as_ref()) {
                (Location::Header, Some(s)) => header_type(cx.of(s, "  ")),
                (_, Some(s)) => cx.of(s, "  "),
                (_, None) => "unknown".to_owned(),
            };
            let optional = if p.required { "" } else { "?" };
            body.push_str(&format!("  {}{optional}: {ty};\n", property_key(&p.name)));
            let field = format!("{}: params[{}]", property_key(&p.name), string_literal(&p.name));
            if p.location == Location::Header { header_fields.push(field) } else { query_fields.push(field) }
            if p.has_query_style() {
                query_styles.push(format!("{}: {{ style: {}, explode: {} }}", property_key(&p.name), string_literal(p.style.as_str()), p.explode));
            }
        }
        decls.push(format!("{}export interface {type_name} {{\n{body}}}\n", docs::jsdoc(&[Some(&format!("Parameters of `{}`.", op.id))], &[], "")));
        let required = params.iter().any(|p| p.required);
        args.push(Arg { name: "params".to_owned(), ty: type_name.clone(), optional: !required, default: if required { None } else { Some("{}") } });
        Some(type_name)
    };
    let _ = params_type;

    // What comes back.
    let success: Vec<&crate::model::Response> = op.responses.iter().filter(|r| r.status.starts_with('2')).collect();
    let mut results: Vec<String> = Vec::new();
    for r in &success {
        let t = match r.bodies.iter().find(|b| b.media_type.contains("json")) {
            Some(b) => cx.of_opt(b.schema.as_ref(), "  "),
            None if r.bodies.is_empty() => "undefined".to_owned(),
            None => "unknown".to_owned(),
        };
        if !results.contains(&t) {
            results.push(t);
        }
    }
    let result = if results.is_empty() || results.iter().all(|t| t == "undefined") {
        "void".to_owned()
    } else {
        results.iter().map(|t| if t.contains(" & ") || t.contains(" | ") { format!("({t})") } else { t.clone() }).collect::<Vec<_>>().join(" | ")
    };

    // Optional arguments only at the end; an optional one before a required one is `T | undefined`.
    let mut seen_required = false;
    for a in args.iter_mut().rev() {
        if !a.optional {
            seen_required = true;
        } else if seen_required {
            a.optional = false;
            a.ty = format!("{} | undefined", a.ty);
        }
    }
    let mut signature: Vec<String> = args
        .iter()
        .map(|a| match (a.default, a.optional) {
            (Some(d), true) => format!("{}: {} = {d}", a.name, a.ty),
            (None, true) => format!("{}?: {}", a.name, a.ty),
            _ => format!("{}: {}", a.name, a.ty),
        })
        .collect();
    signature.push("options?: $rt.RequestOptions".to_owned());
    let signature = signature.join(", ");

    let mut fields = vec![
        format!("operationId: {}", string_literal(&op.id)),
        format!("method: {}", string_literal(&op.method.to_ascii_uppercase())),
        format!("path: {}", path_expr.join(" + ")),
    ];
    if !query_fields.is_empty() {
        fields.push(format!("query: {{ {} }}", query_fields.join(", ")));
    }
    if !query_styles.is_empty() {
        fields.push(format!("queryStyles: {{ {} }}", query_styles.join(", ")));
    }
    if !header_fields.is_empty() {
        fields.push(format!("headers: {{ {} }}", header_fields.join(", ")));
    }
    if !body_field.is_empty() {
        fields.push(body_field);
    }
    if !op.servers.is_empty() {
        fields.push("authServer: true".to_owned());
    }
    if op.idempotency_key {
        fields.push("idempotent: true".to_owned());
    }
    let request = format!("{{\n        {},\n      }}", fields.join(",\n        "));

    let mut tags = param_docs;
    tags.push(format!("@see operation `{}` ({} {})", op.id, op.method.to_ascii_uppercase(), op.path));
    if op.deprecated {
        tags.push("@deprecated".to_owned());
    }
    let sibling = op.sibling_doc();
    let doc = docs::jsdoc(&[op.summary.as_deref(), op.description.as_deref(), sibling.as_deref()], &tags, "  ");
    let mut methods = Vec::new();
    let path_params: Vec<String> = op.parameters.iter().filter(|p| p.location == Location::Path).map(|p| string_literal(&p.name)).collect();
    let param_names: Vec<String> = params.iter().map(|p| string_literal(&p.name)).collect();
    let all_name = if op.pagination.is_some() && op.sse.is_none() { Some(members.name(&format!("{name} all"))) } else { None };
    let row_head = format!("operationId: {}", string_literal(&op.id));
    let row_tail = format!(
        "member: {}, all: {}, httpMethod: {}, path: {}, pathParams: [{}], body: {body_kind}, params: [{}], stream: {}, idempotencyKey: {}, authServer: {}",
        string_literal(&name),
        all_name.as_deref().map_or_else(|| "undefined".to_owned(), string_literal),
        string_literal(&op.method.to_ascii_uppercase()),
        string_literal(&op.path),
        path_params.join(", "),
        param_names.join(", "),
        op.sse.is_some(),
        op.idempotency_key,
        !op.servers.is_empty(),
    );

    if let Some(sse) = &op.sse {
        let event_type = types.fresh(&format!("{} event", op.id));
        let decoder = format!("$decode{event_type}");
        let (ty, decode) = event_union(sse, cx, &event_type);
        decls.push(format!("{}export type {event_type} =\n{ty};\n", docs::jsdoc(&[Some(&format!("An event of the `{}` stream.", op.id))], &[], "")));
        decls.push(format!("function {decoder}(event: string, data: string, id: string | undefined): {event_type} {{\n{decode}}}\n"));
        methods.push(format!(
            "{doc}  async *{name}({signature}): AsyncGenerator<{event_type}, void, undefined> {{\n    yield* this.#client.stream<{event_type}>(\n      {request},\n      {decoder},\n      options,\n    );\n  }}\n"
        ));
        return Rendered { decls, methods, row_head, row_tail };
    }

    methods.push(format!("{doc}  async {name}({signature}): Promise<{result}> {{\n    return this.#client.request<{result}>(\n      {request},\n      options,\n    );\n  }}\n"));

    if let (Some(p), Some(all)) = (&op.pagination, all_name) {
        let item = item_type(op, p, cx);
        let pagination = match p {
            Pagination::Page { items, has_more, page_param, per_page_param } => format!(
                "{{ style: \"page\", items: {}, hasMore: {}, pageParam: {}, perPageParam: {} }}",
                string_literal(items),
                string_literal(has_more),
                string_literal(page_param),
                string_literal(per_page_param)
            ),
            Pagination::Cursor { items, cursor_param, next_cursor } => format!(
                "{{ style: \"cursor\", items: {}, cursorParam: {}, nextCursor: {} }}",
                string_literal(items),
                string_literal(cursor_param),
                string_literal(next_cursor)
            ),
        };
        let doc = docs::jsdoc(&[Some(&format!("Every item of `{name}`, fetching pages as the iteration goes."))], &[format!("@see operation `{}`", op.id)], "  ");
        methods.push(format!(
            "{doc}  async *{all}({signature}): AsyncGenerator<{item}, void, undefined> {{\n    yield* this.#client.paginate<{item}>(\n      {request},\n      {pagination},\n      options,\n    );\n  }}\n"
        ));
    }
    Rendered { decls, methods, row_head, row_tail }
}

/// Header values are sent as text.
fn header_type(t: String) -> String {
    match t.as_str() {
        "string" | "number" | "boolean" => t,
        _ => "string".to_owned(),
    }
}

/// The runtime function (`runtime/form.ts`) that encodes a typed form body.
fn form_encoder(media_type: &str) -> Option<&'static str> {
    match crate::model::media_essence(media_type).as_str() {
        "application/x-www-form-urlencoded" => Some("urlEncodedBody"),
        "multipart/form-data" => Some("multipartBody"),
        _ => None,
    }
}

fn raw_body_type(media_type: &str) -> &'static str {
    if media_type.starts_with("multipart/") {
        "FormData"
    } else if media_type == "application/x-www-form-urlencoded" {
        "URLSearchParams"
    } else {
        "Blob | string"
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The union of an SSE stream's events and the body of its decoder.
fn event_union(sse: &crate::model::Sse, cx: &TypeCx<'_>, _name: &str) -> (String, String) {
    if sse.events.is_empty() {
        return ("  { type: string; data: string; id: string | undefined }".to_owned(), "  return { type: event, data, id };\n".to_owned());
    }
    let mut members = Vec::new();
    let mut cases = String::from("  switch (event) {\n");
    for (event, schema) in &sse.events {
        let ty = cx.of_opt(schema.as_ref(), "    ");
        let is_text = matches!(schema.as_ref().and_then(|s| cx.resolve(s)).map(|s| &s.schema_kind), Some(SchemaKind::Type(Type::String(_))));
        members.push(format!("  | {{ type: {}; data: {ty}; id: string | undefined }}", string_literal(event)));
        let value = if is_text { "data".to_owned() } else { format!("$rt.parseEventData(event, data) as {ty}") };
        cases.push_str(&format!("    case {}:\n      return {{ type: {}, data: {value}, id }};\n", string_literal(event), string_literal(event)));
    }
    members.push("  | { type: \"$unknown\"; event: string; data: string; id: string | undefined }".to_owned());
    cases.push_str("    default:\n      return { type: \"$unknown\", event, data, id };\n  }\n");
    (members.join("\n"), cases)
}

/// The type of one item of a paginated list: the array at the `items`
/// pointer of the success body.
fn item_type(op: &Operation, p: &Pagination, cx: &TypeCx<'_>) -> String {
    let ptr = match p {
        Pagination::Page { items, .. } | Pagination::Cursor { items, .. } => items,
    };
    let body = op
        .responses
        .iter()
        .filter(|r| r.status.starts_with('2'))
        .flat_map(|r| r.bodies.iter())
        .find(|b| b.media_type.contains("json"))
        .and_then(|b| b.schema.as_ref());
    let Some(mut schema) = body.cloned() else { return "unknown".to_owned() };
    for raw in ptr.trim_start_matches('/').split('/').filter(|s| !s.is_empty()) {
        let key = raw.replace("~1", "/").replace("~0", "~");
        let Some(s) = cx.resolve(&schema).cloned() else { return "unknown".to_owned() };
        let props = match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => &o.properties,
            SchemaKind::Any(a) => &a.properties,
            _ => return "unknown".to_owned(),
        };
        let Some(next) = props.get(&key) else { return "unknown".to_owned() };
        schema = unbox(next);
    }
    let Some(s) = cx.resolve(&schema).cloned() else { return "unknown".to_owned() };
    let items = match &s.schema_kind {
        SchemaKind::Type(Type::Array(a)) => a.items.as_ref(),
        SchemaKind::Any(a) => a.items.as_ref(),
        _ => None,
    };
    items.map_or_else(|| "unknown".to_owned(), |i| cx.of_boxed(i, "  "))
}

fn unbox(s: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match s {
        ReferenceOr::Item(b) => ReferenceOr::Item((**b).clone()),
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference: reference.clone() },
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /rooms/{room_id}/messages:
    get:
      operationId: listMessages
      tags: [Messages]
      x-pagination: {style: page, items: /data, has_more: /more}
      parameters:
        - {name: room_id, in: path, required: true, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer}}
        - {name: X-Namespace, in: header, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {data: {type: array, items: {type: string}}, more: {type: boolean}}}
    post:
      operationId: sendMessage
      tags: [Messages]
      parameters:
        - {name: room_id, in: path, required: true, schema: {type: string}}
        - {name: Idempotency-Key, in: header, schema: {type: string}}
      requestBody: {required: true, content: {application/json: {schema: {type: object}}}}
      responses: {'201': {description: created}}
  /charges:
    post:
      operationId: createCharge
      tags: [Forms]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, required: [amount], properties: {amount: {type: integer}, metadata: {type: object, additionalProperties: {type: string}}}}
      responses: {'200': {description: ok}}
  /charges/{id}:
    post:
      operationId: updateCharge
      tags: [Forms]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: expand, in: query, style: deepObject, explode: true, schema: {type: array, items: {type: string}}}
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {expand: {type: array, items: {type: string}}, metadata: {type: object, additionalProperties: {type: string}}}}
            encoding:
              expand: {style: deepObject, explode: true}
              metadata: {style: deepObject, explode: true}
      responses: {'200': {description: ok}}
  /files:
    post:
      operationId: uploadFile
      tags: [Forms]
      requestBody:
        content:
          multipart/form-data; charset=utf-8:
            schema: {type: object, properties: {file: {type: string, format: binary}}}
      responses: {'204': {description: ok}}
    put:
      operationId: putFile
      tags: [Forms]
      requestBody:
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses: {'204': {description: ok}}
    patch:
      operationId: patchFile
      tags: [Forms]
      requestBody:
        content:
          application/xml:
            schema: {type: object, properties: {name: {type: string}}}
      responses: {'204': {description: ok}}
  /columns:
    post:
      operationId: postColumns
      tags: [Forms]
      requestBody:
        content:
          multipart/form-data:
            schema: {type: array, items: {type: string}}
      responses: {'204': {description: ok}}
  /class/{from}:
    delete:
      operationId: delete
      parameters:
        - {name: from, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: gone}}
"#;

    /// Renders `SPEC` and checks that every `expect` appears in the class of `tag`.
    fn check(tag: &str, expect: &[&str]) {
        let api = crate::analyze("t.yaml", SPEC.as_bytes(), &mut Report::default()).expect("spec").2;
        let names = BTreeMap::new();
        let cx = TypeCx { api: &api, names: &names, prefix: "$T." };
        let rs = resources(&api, &cx, &mut names::types(), &mut names::members(), &mut Report::default());
        let r = rs.iter().find(|r| r.tag == tag).expect("resource");
        let text = format!("{}{}", r.decls.concat(), r.methods.concat());
        for e in expect {
            assert!(text.contains(e), "{tag}: no {e:?} in\n{text}");
        }
    }

    #[test]
    fn only_structured_bodies_sent_raw_are_degraded() {
        let api = crate::analyze("t.yaml", SPEC.as_bytes(), &mut Report::default()).expect("spec").2;
        let names = BTreeMap::new();
        let cx = TypeCx { api: &api, names: &names, prefix: "$T." };
        let mut report = Report::default();
        resources(&api, &cx, &mut names::types(), &mut names::members(), &mut report);
        let notes: Vec<String> = report.notes.iter().map(|n| format!("{}: {}", n.pointer, n.message)).collect();
        // Form bodies are typed and octet-stream is bytes: only the XML object is less typed.
        // A multipart body that is not an object of fields stays raw too.
        assert_eq!(
            notes,
            [
                "#/paths/~1files/patch: TypeScript: `application/xml` body passed as raw `Blob | string`",
                "#/paths/~1columns/post: TypeScript: `multipart/form-data` body passed as raw `FormData`",
            ]
        );
    }

    #[test]
    fn methods() {
        check(
            "Messages",
            &[
                "async list(roomId: string, params: ListMessagesParams = {}, options?: $rt.RequestOptions): Promise<{",
                "path: \"/rooms/\" + $rt.encodePathSegment(\"room_id\", roomId) + \"/messages\"",
                "async *listAll(roomId: string",
                "AsyncGenerator<string, void, undefined>",
                "hasMore: \"/more\", pageParam: \"page\", perPageParam: \"per_page\"",
                "async send(roomId: string, body: {\n",
                "idempotent: true",
            ],
        );
        // The runtime owns X-Namespace and Idempotency-Key.
        check("Messages", &["export interface ListMessagesParams {\n  /**\n   * Query parameter `page`.\n   */\n  page?: number;\n}"]);
        // Form bodies are the spec's objects, encoded by the runtime; other media types stay raw.
        check(
            "Forms",
            &[
                "async createCharge(body: {\n    amount: number;\n    metadata?: {\n      [key: string]: string;\n    };\n  }, options?: $rt.RequestOptions): Promise<void>",
                "rawBody: body === undefined ? undefined : $rt.urlEncodedBody(body)",
                // Styles: a query parameter's in `queryStyles`, a body field's from `encoding`.
                "queryStyles: { expand: { style: \"deepObject\", explode: true } }",
                "rawBody: body === undefined ? undefined : $rt.urlEncodedBody(body, { expand: { style: \"deepObject\", explode: true }, metadata: { style: \"deepObject\", explode: true } })",
                "async uploadFile(body?: {\n    file?: Blob | string;\n  }, options?: $rt.RequestOptions)",
                "rawBody: body === undefined ? undefined : $rt.multipartBody(body)",
                "async putFile(body?: Blob | string, options?: $rt.RequestOptions)",
                "rawBody: body === undefined ? undefined : { contentType: \"application/octet-stream\", data: body }",
            ],
        );
        check("default", &["async delete(from: string, options?: $rt.RequestOptions): Promise<void>", "\"/class/\" + $rt.encodePathSegment(\"from\", from)"]);
    }
}
