//! Operations → resource classes: one class per tag (sync and async
//! rendered from the same template), one method per operation with its
//! path, query and header parameters, body, return type and docstring;
//! list operations also get an `iter_<name>` method over every item, and
//! event streams return a typed `Stream`.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde::Serialize;

use super::names;
use super::text;
use super::types::{Models, Style};
use crate::model::{Api, Location, Operation, Pagination};
use crate::naming::Case;
use crate::report::Report;

const STYLE: Style<'static> = Style { prefix: "_m.", quote: false };

/// One parameter of a generated method.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// Python name.
    pub name: String,
    /// Annotation.
    pub ty: String,
    /// Default (`None`) for optional ones.
    pub default: Option<String>,
}

/// A query or header parameter: its wire name (a literal) and Python name.
#[derive(Debug, Clone, Serialize)]
pub struct Wire {
    /// Wire name as a Python string literal.
    pub literal: String,
    /// Python name.
    pub name: String,
}

/// One generated method.
#[derive(Debug, Clone, Serialize)]
pub struct Method {
    /// Python name.
    pub name: String,
    /// operationId as a Python string literal (the key of `_OPS`).
    pub op: String,
    /// Path parameters (positional).
    pub positional: Vec<Param>,
    /// Everything else (keyword-only).
    pub keyword: Vec<Param>,
    /// Docstring body.
    pub doc: String,
    /// Python expression of the request path.
    pub path: String,
    /// Path parameters (wire and Python names).
    pub path_params: Vec<Wire>,
    /// Query parameters.
    pub query: Vec<Wire>,
    /// Header parameters.
    pub headers: Vec<Wire>,
    /// Whether there is a `body` parameter.
    pub has_body: bool,
    /// Request media type as a literal (`None` for JSON).
    pub content_type: String,
    /// Return annotation.
    pub returns: String,
    /// `json`, `none` or `sse`.
    pub kind: &'static str,
    /// SSE: the item annotation and decoder expression.
    pub event_ty: String,
    /// SSE: the event decoder.
    pub event_decode: String,
    /// SSE: resumable with `Last-Event-ID`.
    pub resumable: bool,
    /// List operations: the iterator method.
    pub pager: Option<Pager>,
}

/// The `iter_<name>` method of a list operation.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    /// Python name.
    pub name: String,
    /// Item annotation.
    pub item: String,
    /// `Paging(...)` expression.
    pub paging: String,
    /// Keyword parameters (the page/cursor parameter left out).
    pub keyword: Vec<Param>,
    /// Query parameters without the page/cursor parameter.
    pub query: Vec<Wire>,
}

/// One resource class pair.
#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    /// Sync class name.
    pub class: String,
    /// Client attribute name.
    pub accessor: String,
    /// Docstring body.
    pub doc: String,
    /// Methods, in document order.
    pub methods: Vec<Method>,
}

/// An entry of the `_OPS` table.
#[derive(Debug, Clone, Serialize)]
pub struct OpEntry {
    /// operationId literal.
    pub id: String,
    /// Upper-case method literal.
    pub method: String,
    /// Path template literal.
    pub path: String,
    /// `True`/`False`.
    pub idempotency_key: &'static str,
    /// `True`/`False`.
    pub auth_server: &'static str,
    /// `, query_styles=((name, style, explode), ...)` for the query
    /// parameters not written as `form`, exploded; empty when none.
    pub query_styles: String,
    /// `, form_encoding=((field, style, explode), ...)` for the url-encoded
    /// body's fields with an `encoding` style; empty when none.
    pub form_encoding: String,
}

fn query_styles(op: &Operation) -> String {
    let styled: Vec<String> = op
        .parameters
        .iter()
        .filter(|p| p.has_query_style())
        .map(|p| format!("({}, {}, {}), ", text::string(&p.name), text::string(p.style.as_str()), py_bool(p.explode)))
        .collect();
    if styled.is_empty() { String::new() } else { format!(", query_styles=({})", styled.concat().trim_end()) }
}

fn form_encoding(op: &Operation) -> String {
    let styled: Vec<String> = op.form_encoding().iter().map(|(name, style, explode)| format!("({}, {}, {}), ", text::string(name), text::string(style.as_str()), py_bool(*explode))).collect();
    if styled.is_empty() { String::new() } else { format!(", form_encoding=({})", styled.concat().trim_end()) }
}

fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// Resources grouped by first tag (`default` when untagged), in the order
/// tags are declared, then first use.
pub fn resources(api: &Api, models: &mut Models<'_>, report: &mut Report) -> (Vec<Resource>, Vec<OpEntry>) {
    let mut order: Vec<String> = api.tags.iter().map(|t| t.name.clone()).collect();
    let mut groups: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
    for op in &api.operations {
        let tag = op.tags.first().cloned().unwrap_or_else(|| "default".to_owned());
        if !order.contains(&tag) {
            order.push(tag.clone());
        }
        groups.entry(tag).or_default().push(op);
    }
    let mut classes = names::classes();
    let mut accessors = names::accessors();
    let mut out = Vec::new();
    for tag in order {
        let Some(ops) = groups.get(&tag) else { continue };
        let class = classes.name(&tag);
        let accessor = accessors.name(&tag);
        let tag_doc = api.tags.iter().find(|t| t.name == tag).and_then(|t| t.description.clone()).unwrap_or_default();
        let mut methods_ns = names::methods();
        // Short names first for everyone, full names for those that clash.
        let mut shorts: BTreeMap<String, usize> = BTreeMap::new();
        for op in ops {
            if let Some(s) = names::short_name(&op.id, &tag) {
                *shorts.entry(s).or_default() += 1;
            }
        }
        let mut methods = Vec::new();
        for op in ops {
            let raw = match names::short_name(&op.id, &tag) {
                Some(s) if shorts[&s] == 1 => s,
                _ => op.id.clone(),
            };
            let name = methods_ns.name(&raw);
            methods.push(method(api, op, name, &mut methods_ns, models, report));
        }
        out.push(Resource { class, accessor, doc: text::docstring(&format!("Operations tagged `{tag}`.\n\n{tag_doc}"), "    "), methods });
    }
    let table = api
        .operations
        .iter()
        .map(|op| OpEntry {
            id: text::string(&op.id),
            method: text::string(&op.method.to_ascii_uppercase()),
            path: text::string(&op.path),
            idempotency_key: py_bool(op.idempotency_key),
            auth_server: py_bool(!op.servers.is_empty()),
            query_styles: query_styles(op),
            form_encoding: form_encoding(op),
        })
        .collect();
    (out, table)
}

fn method(api: &Api, op: &Operation, name: String, methods_ns: &mut crate::naming::Namer, models: &mut Models<'_>, report: &mut Report) -> Method {
    let op_pascal = Case::Pascal.apply(&op.id);
    let mut pn = names::parameters();
    let mut positional = Vec::new();
    let mut keyword = Vec::new();
    let mut query = Vec::new();
    let mut headers = Vec::new();
    let mut arg_docs = Vec::new();
    let mut path_names: BTreeMap<String, PathParam> = BTreeMap::new();
    let mut path_params = Vec::new();
    for p in op.parameters.iter().filter(|p| p.location == Location::Path) {
        let py = pn.name(&p.name);
        let ty = param_type(models, p.schema.as_ref(), &format!("{op_pascal}{}", Case::Pascal.apply(&p.name)), &op.pointer, report);
        positional.push(Param { name: py.clone(), ty, default: None });
        path_names.insert(p.name.clone(), (py.clone(), p.has_path_style().then_some((p.style, p.explode))));
        path_params.push(Wire { literal: text::string(&p.name), name: py.clone() });
        arg_docs.push((py, p.description.clone()));
    }
    // Body.
    let mut has_body = false;
    let mut content_type = "None".to_owned();
    if let Some((required, _)) = &op.request {
        // The one body the SDKs send; another schema in another media type
        // is a sibling method of its own (`Api::with_siblings`).
        if let Some(b) = op.chosen_body() {
            has_body = true;
            if !b.media_type.contains("json") {
                content_type = text::string(&b.media_type);
            }
            let ty = match &b.schema {
                Some(s) => models.expr_hinted(s, STYLE, &format!("{op_pascal}Body"), &crate::pointer::append(&op.pointer, ["requestBody"]), report),
                None => "_t.Any".to_owned(),
            };
            let (ty, default) = if *required { (ty, None) } else { (optional(&ty), Some("None".to_owned())) };
            keyword.push(Param { name: "body".to_owned(), ty, default });
            arg_docs.push(("body".to_owned(), Some(format!("The request body ({}).", b.media_type))));
        }
    }
    let mut page_key: Option<&str> = None;
    match &op.pagination {
        Some(Pagination::Page { page_param, .. }) => page_key = Some(page_param),
        Some(Pagination::Cursor { cursor_param, .. }) => page_key = Some(cursor_param),
        None => {}
    }
    let mut pager_keyword = keyword.clone();
    let mut pager_query = Vec::new();
    // `X-Namespace` is `namespace` unless a query parameter is called that.
    let others: Vec<String> = op.parameters.iter().filter(|p| p.location != Location::Header).map(|p| Case::Snake.apply(&p.name)).collect();
    for p in op.parameters.iter().filter(|p| p.location != Location::Path) {
        let raw = match p.location {
            Location::Header if !others.contains(&Case::Snake.apply(&strip_x(&p.name))) => strip_x(&p.name),
            _ => p.name.clone(),
        };
        let py = pn.name(&raw);
        let ty = param_type(models, p.schema.as_ref(), &format!("{op_pascal}{}", Case::Pascal.apply(&p.name)), &op.pointer, report);
        let param = if p.required { Param { name: py.clone(), ty, default: None } } else { Param { name: py.clone(), ty: optional(&ty), default: Some("None".to_owned()) } };
        let wire = Wire { literal: text::string(&p.name), name: py.clone() };
        let is_page = p.location == Location::Query && page_key == Some(p.name.as_str());
        if !is_page {
            pager_keyword.push(param.clone());
        }
        keyword.push(param);
        if p.location == Location::Query {
            if !is_page {
                pager_query.push(wire.clone());
            }
            query.push(wire);
        } else {
            headers.push(wire);
        }
        let mut d = p.description.clone().unwrap_or_default();
        if p.deprecated {
            d = format!("Deprecated. {d}");
        }
        arg_docs.push((py, (!d.trim().is_empty()).then_some(d)));
    }
    // Path expression.
    let path = path_expr(&op.path, &path_names);
    // Responses.
    let (kind, returns, event_ty, event_decode, resumable) = if let Some(sse) = &op.sse {
        let (ty, decode) = match sse.schema_name.as_deref().and_then(|n| models.component(n)) {
            Some(n) => (format!("_m.{n}"), format!("lambda event: _t.cast(_m.{n}, _s.json_event(event))")),
            None => ("_s.ServerSentEvent".to_owned(), "_s.raw_event".to_owned()),
        };
        ("sse", ty.clone(), ty, decode, sse.resumable)
    } else {
        let mut types: Vec<String> = Vec::new();
        let mut empty = false;
        for r in op.responses.iter().filter(|r| r.status.starts_with('2')) {
            match r.bodies.iter().find(|b| b.media_type.contains("json")) {
                Some(b) => {
                    let t = match &b.schema {
                        Some(s) => models.expr_hinted(s, STYLE, &format!("{op_pascal}Response"), &crate::pointer::append(&op.pointer, ["responses", &r.status]), report),
                        None => "_t.Any".to_owned(),
                    };
                    if !types.contains(&t) {
                        types.push(t);
                    }
                }
                None if r.bodies.is_empty() => empty = true,
                None => types.push("_b.str".to_owned()),
            }
        }
        types.dedup();
        let ret = match types.len() {
            0 => "None".to_owned(),
            1 => types.remove(0),
            _ => format!("_t.Union[{}]", types.join(", ")),
        };
        if ret == "None" {
            ("none", ret, String::new(), String::new(), false)
        } else if empty {
            ("json", format!("_t.Optional[{ret}]"), String::new(), String::new(), false)
        } else {
            ("json", ret, String::new(), String::new(), false)
        }
    };
    let pager = op.pagination.as_ref().map(|p| {
        let (paging, items_ptr) = match p {
            Pagination::Page { items, has_more, page_param, .. } => (
                format!("_p.Paging(style=\"page\", items={}, has_more={}, page_param={})", text::string(items), text::string(has_more), text::string(page_param)),
                items.clone(),
            ),
            Pagination::Cursor { items, cursor_param, next_cursor } => (
                format!("_p.Paging(style=\"cursor\", items={}, cursor_param={}, next_cursor={})", text::string(items), text::string(cursor_param), text::string(next_cursor)),
                items.clone(),
            ),
        };
        let item = item_type(api, op, &items_ptr, models, report);
        Pager { name: methods_ns.name(&format!("iter_{name}")), item, paging, keyword: pager_keyword, query: pager_query }
    });
    // Docstring.
    let mut doc = text::doc(op.summary.as_deref(), op.description.as_deref());
    if doc.is_empty() {
        doc = format!("`{} {}`", op.method.to_ascii_uppercase(), op.path);
    }
    if let Some(line) = op.sibling_doc() {
        doc.push_str(&format!("\n\n{line}"));
    }
    if op.deprecated {
        doc.push_str("\n\nDeprecated.");
    }
    let args: Vec<String> = arg_docs
        .iter()
        .filter_map(|(n, d)| d.as_ref().map(|d| format!("    {n}: {}", d.trim().replace('\n', "\n        "))))
        .collect();
    if !args.is_empty() {
        doc.push_str("\n\nArgs:\n");
        doc.push_str(&args.join("\n"));
    }
    doc.push_str(&format!("\n\n`{} {}` (operationId `{}`).", op.method.to_ascii_uppercase(), op.path, op.id));
    Method {
        name,
        op: text::string(&op.id),
        positional,
        keyword,
        doc: text::docstring(&doc, "        "),
        path,
        path_params,
        query,
        headers,
        has_body,
        content_type,
        returns,
        kind,
        event_ty,
        event_decode,
        resumable,
        pager,
    }
}

fn param_type(models: &mut Models<'_>, schema: Option<&ReferenceOr<Schema>>, hint: &str, pointer: &str, report: &mut Report) -> String {
    match schema {
        Some(s) => models.expr_hinted(s, STYLE, hint, pointer, report),
        None => "_b.str".to_owned(),
    }
}

/// `Optional[ty]`, unless it already is.
fn optional(ty: &str) -> String {
    if ty.starts_with("_t.Optional[") || ty == "_t.Any" { ty.to_owned() } else { format!("_t.Optional[{ty}]") }
}

/// `X-Namespace` → `Namespace`: the `X-` says nothing in Python.
fn strip_x(name: &str) -> String {
    match name.get(..2) {
        Some(p) if p.eq_ignore_ascii_case("x-") && name.len() > 2 => name[2..].to_owned(),
        _ => name.to_owned(),
    }
}

/// A path parameter's Python name and, when it is not one `simple` scalar,
/// its style and explode.
pub type PathParam = (String, Option<(crate::model::Style, bool)>);

/// The path template as a Python expression: literal pieces as string
/// literals, parameters through `encode_path_segment` (or
/// `encode_path_param` when styled).
pub fn path_expr(template: &str, params: &BTreeMap<String, PathParam>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut literal = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        let wire = &rest[open + 1..close];
        literal.push_str(&rest[..open]);
        match params.get(wire) {
            Some((py, style)) => {
                if !literal.is_empty() {
                    parts.push(text::string(&literal));
                    literal.clear();
                }
                match style {
                    Some((style, explode)) => parts.push(format!("_rt.encode_path_param({py}, {}, {}, {})", text::string(wire), text::string(style.as_str()), if *explode { "True" } else { "False" })),
                    None => parts.push(format!("_rt.encode_path_segment({py}, {})", text::string(wire))),
                }
            }
            None => literal.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() || parts.is_empty() {
        parts.push(text::string(&literal));
    }
    parts.join(" + ")
}

/// The item type of a list operation: the array at `pointer` in its first
/// 2xx JSON response.
fn item_type(api: &Api, op: &Operation, pointer: &str, models: &mut Models<'_>, report: &mut Report) -> String {
    let _ = api;
    let schema = op
        .responses
        .iter()
        .filter(|r| r.status.starts_with('2'))
        .flat_map(|r| r.bodies.iter())
        .find(|b| b.media_type.contains("json"))
        .and_then(|b| b.schema.clone());
    let mut node = schema;
    for key in pointer.trim_start_matches('/').split('/').filter(|k| !k.is_empty()) {
        let key = key.replace("~1", "/").replace("~0", "~");
        node = node.as_ref().and_then(|n| models.resolve(n)).and_then(|s| match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => o.properties.get(&key).map(|p| match p {
                ReferenceOr::Item(b) => ReferenceOr::Item((**b).clone()),
                ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference: reference.clone() },
            }),
            _ => None,
        });
    }
    let items = node.as_ref().and_then(|n| models.resolve(n)).and_then(|s| match &s.schema_kind {
        SchemaKind::Type(Type::Array(a)) => a.items.as_ref().map(|i| match i {
            ReferenceOr::Item(b) => ReferenceOr::Item((**b).clone()),
            ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference: reference.clone() },
        }),
        _ => None,
    });
    match items {
        Some(i) => models.expr_hinted(&i, STYLE, &format!("{}Item", Case::Pascal.apply(&op.id)), &op.pointer, report),
        None => "_t.Any".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(template: &str, params: &[(&str, &str)], expect: &str) {
        let map = params.iter().map(|(a, b)| ((*a).to_owned(), ((*b).to_owned(), None))).collect();
        assert_eq!(path_expr(template, &map), expect, "{template}");
    }

    #[test]
    fn paths() {
        check("/assistants", &[], r#""/assistants""#);
        check("/assistants/{assistant_id}", &[("assistant_id", "assistant_id")], r#""/assistants/" + _rt.encode_path_segment(assistant_id, "assistant_id")"#);
        check("/class/{from}/x", &[("from", "from_")], r#""/class/" + _rt.encode_path_segment(from_, "from") + "/x""#);
        check("/{a}{b}", &[("a", "a"), ("b", "b")], r#""/" + _rt.encode_path_segment(a, "a") + _rt.encode_path_segment(b, "b")"#);
        check("/x/{undeclared}", &[], r#""/x/{undeclared}""#);
        check("/q\"uote", &[], r#""/q\"uote""#);
        let styled = [("ids".to_owned(), ("ids".to_owned(), Some((crate::model::Style::Matrix, true))))].into_iter().collect();
        assert_eq!(path_expr("/cells/{ids}", &styled), r#""/cells/" + _rt.encode_path_param(ids, "ids", "matrix", True)"#);
    }

    #[test]
    fn header_names() {
        assert_eq!(strip_x("X-Namespace"), "Namespace");
        assert_eq!(strip_x("x-"), "x-");
        assert_eq!(strip_x("Idempotency-Key"), "Idempotency-Key");
    }
}
