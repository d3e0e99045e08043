//! Paths, operations, parameters, request bodies, responses, SSE streams,
//! webhooks and component schemas: matched between the two specs, their
//! schemas handed to [`super::schema`].
//!
//! Operations match by method and path template with parameter names
//! ignored (`/a/{id}` matches `/a/{key}`).

use serde_json::Value;

use super::Findings;
use super::schema::{self, Ctx, Root, Schemas};
use crate::model::{Api, Body, Location, Operation, Parameter};
use crate::pointer;

/// Compares two APIs, appending to `out`.
pub fn diff_api(old: &Api, new: &Api, out: &mut Findings) {
    let (os, ns) = (schema::schemas_of(old), schema::schemas_of(new));
    let key = |o: &Operation| (o.method.clone(), template(&o.path));
    for n in &new.operations {
        match old.operations.iter().find(|o| key(o) == key(n)) {
            Some(o) => operation(o, n, &os, &ns, out),
            None => {
                let name = op_name(n);
                out.push("endpoint-added", Some(&name), format!("endpoint {name} added"), None, Some(n.pointer.clone()));
            }
        }
    }
    for o in &old.operations {
        if new.operations.iter().any(|n| key(n) == key(o)) {
            continue;
        }
        let name = op_name(o);
        let path_gone = !new.operations.iter().any(|n| template(&n.path) == template(&o.path));
        let rule = match (path_gone, o.deprecated) {
            (true, true) => "api-path-removed-with-deprecation",
            (true, false) => "api-path-removed-without-deprecation",
            (false, true) => "api-removed-with-deprecation",
            (false, false) => "api-removed-without-deprecation",
        };
        out.push(rule, Some(&name), format!("endpoint {name} removed"), Some(o.pointer.clone()), None);
    }
    webhooks(old, new, &os, &ns, out);
    components(&os, &ns, out);
}

fn template(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push('{');
            }
            '}' => {
                depth -= 1;
                out.push('}');
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

fn op_name(o: &Operation) -> String {
    format!("{} {}", o.method.to_uppercase(), o.path)
}

fn to_json(s: &Option<openapiv3::ReferenceOr<openapiv3::Schema>>) -> Value {
    s.as_ref().and_then(|s| serde_json::to_value(s).ok()).unwrap_or(Value::Object(Default::default()))
}

fn location(l: Location) -> &'static str {
    match l {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
    }
}

fn operation(o: &Operation, n: &Operation, os: &Schemas, ns: &Schemas, out: &mut Findings) {
    let name = op_name(n);
    let opn = Some(name.as_str());
    if o.id != n.id && !o.id.is_empty() && !n.id.is_empty() {
        out.push("operation-id-renamed", opn, format!("operationId of {name} changed from `{}` to `{}` (SDK method renamed)", o.id, n.id), Some(o.pointer.clone()), Some(n.pointer.clone()));
    }
    match (o.deprecated, n.deprecated) {
        (false, true) => out.push("endpoint-deprecated", opn, format!("endpoint {name} deprecated"), Some(o.pointer.clone()), Some(n.pointer.clone())),
        (true, false) => out.push("endpoint-reactivated", opn, format!("endpoint {name} is no longer deprecated"), Some(o.pointer.clone()), Some(n.pointer.clone())),
        _ => {}
    }
    parameters(o, n, os, ns, out);
    request_body(o, n, os, ns, out);
    responses(o, n, os, ns, out);
    if o.pagination != n.pagination && o.pagination.is_some() {
        out.push("pagination-changed", opn, format!("pagination convention of {name} changed"), Some(o.pointer.clone()), Some(n.pointer.clone()));
    }
    sse(o, n, out);
}

fn param_ptr(op: &Operation, i: usize) -> String {
    format!("{}/parameters/{i}", op.pointer)
}

fn parameters(o: &Operation, n: &Operation, os: &Schemas, ns: &Schemas, out: &mut Findings) {
    let name = op_name(n);
    let opn = Some(name.as_str());
    let same = |a: &Parameter, b: &Parameter| {
        a.location == b.location
            && if a.location == Location::Header { a.name.eq_ignore_ascii_case(&b.name) } else { a.name == b.name }
    };
    // Path parameters match by position: their names are not on the wire.
    let path_params = |op: &Operation| -> Vec<usize> { op.parameters.iter().enumerate().filter(|(_, p)| p.location == Location::Path).map(|(i, _)| i).collect() };
    let (opp, npp) = (path_params(o), path_params(n));
    let counterpart = |j: usize, np: &Parameter| -> Option<usize> {
        if np.location == Location::Path {
            let pos = npp.iter().position(|x| *x == j)?;
            return opp.get(pos).copied().filter(|_| template(&o.path) == template(&n.path));
        }
        o.parameters.iter().position(|op| same(op, np))
    };
    let mut matched = Vec::new();
    for (j, np) in n.parameters.iter().enumerate() {
        let what = format!("{} parameter `{}`", location(np.location), np.name);
        let Some(i) = counterpart(j, np) else {
            let rule = match (np.location, np.required) {
                (Location::Path, _) => "new-request-path-parameter",
                (_, true) => "new-required-request-parameter",
                (_, false) => "new-optional-request-parameter",
            };
            out.push(rule, opn, format!("{what} added to {name}"), None, Some(param_ptr(n, j)));
            continue;
        };
        matched.push(i);
        let op = &o.parameters[i];
        let (optr, nptr) = (param_ptr(o, i), param_ptr(n, j));
        match (op.required, np.required) {
            (false, true) => out.push("request-parameter-became-required", opn, format!("{what} of {name} became required"), Some(optr.clone()), Some(nptr.clone())),
            (true, false) => out.push("request-parameter-became-optional", opn, format!("{what} of {name} became optional"), Some(optr.clone()), Some(nptr.clone())),
            _ => {}
        }
        match (op.deprecated, np.deprecated) {
            (false, true) => out.push("request-parameter-deprecated", opn, format!("{what} of {name} deprecated"), Some(optr.clone()), Some(nptr.clone())),
            (true, false) => out.push("request-parameter-reactivated", opn, format!("{what} of {name} is no longer deprecated"), Some(optr.clone()), Some(nptr.clone())),
            _ => {}
        }
        let ctx = Ctx { old: os, new: ns, request: true, root: Root::Param { header: np.location == Location::Header }, operation: opn, what: &what };
        schema::compare(&ctx, out, &to_json(&op.schema), format!("{optr}/schema"), &to_json(&np.schema), format!("{nptr}/schema"));
    }
    for (i, op) in o.parameters.iter().enumerate() {
        if matched.contains(&i) {
            continue;
        }
        let rule = if op.deprecated { "request-parameter-removed-with-deprecation" } else { "request-parameter-removed" };
        out.push(rule, opn, format!("{} parameter `{}` removed from {name}", location(op.location), op.name), Some(param_ptr(o, i)), None);
    }
}

fn content_ptr(op: &Operation, part: &str, media_type: &str) -> String {
    format!("{}{part}/content/{}", op.pointer, pointer::escape(media_type))
}

fn request_body(o: &Operation, n: &Operation, os: &Schemas, ns: &Schemas, out: &mut Findings) {
    let name = op_name(n);
    let opn = Some(name.as_str());
    let (optr, nptr) = (format!("{}/requestBody", o.pointer), format!("{}/requestBody", n.pointer));
    match (&o.request, &n.request) {
        (None, Some((required, _))) => {
            let rule = if *required { "request-body-added-required" } else { "request-body-added-optional" };
            out.push(rule, opn, format!("request body added to {name}"), None, Some(nptr));
        }
        (Some(_), None) => out.push("request-body-removed", opn, format!("request body removed from {name}"), Some(optr), None),
        (Some((oreq, obodies)), Some((nreq, nbodies))) => {
            match (oreq, nreq) {
                (false, true) => out.push("request-body-became-required", opn, format!("request body of {name} became required"), Some(optr.clone()), Some(nptr.clone())),
                (true, false) => out.push("request-body-became-optional", opn, format!("request body of {name} became optional"), Some(optr.clone()), Some(nptr.clone())),
                _ => {}
            }
            bodies(o, n, "/requestBody", "request body", obodies, nbodies, true, os, ns, out);
        }
        (None, None) => {}
    }
}

#[allow(clippy::too_many_arguments)]
fn bodies(o: &Operation, n: &Operation, part: &str, what: &str, ob: &[Body], nb: &[Body], request: bool, os: &Schemas, ns: &Schemas, out: &mut Findings) {
    let name = op_name(n);
    let opn = Some(name.as_str());
    let side = if request { "request-body" } else { "response" };
    for b in nb {
        let nptr = content_ptr(n, part, &b.media_type);
        match ob.iter().find(|x| x.media_type == b.media_type) {
            None => out.push(&format!("{side}-media-type-added"), opn, format!("media type {} added to the {what} of {name}", b.media_type), None, Some(nptr)),
            Some(a) => {
                let optr = content_ptr(o, part, &a.media_type);
                match (&a.schema, &b.schema) {
                    (None, Some(_)) => {
                        let rule = if request { "request-body-media-type-schema-added" } else { "response-body-media-type-schema-added" };
                        out.push(rule, opn, format!("schema added to {} of the {what} of {name}", b.media_type), Some(optr), Some(nptr));
                    }
                    (Some(_), None) => {
                        let rule = if request { "request-body-media-type-schema-removed" } else { "response-body-media-type-schema-removed" };
                        out.push(rule, opn, format!("schema removed from {} of the {what} of {name}", b.media_type), Some(optr), Some(nptr));
                    }
                    (Some(_), Some(_)) => {
                        let ctx = Ctx { old: os, new: ns, request, root: Root::Body, operation: opn, what };
                        schema::compare(&ctx, out, &to_json(&a.schema), format!("{optr}/schema"), &to_json(&b.schema), format!("{nptr}/schema"));
                    }
                    (None, None) => {}
                }
            }
        }
    }
    for a in ob {
        if !nb.iter().any(|b| b.media_type == a.media_type) {
            out.push(&format!("{side}-media-type-removed"), opn, format!("media type {} removed from the {what} of {name}", a.media_type), Some(content_ptr(o, part, &a.media_type)), None);
        }
    }
}

fn success(status: &str) -> bool {
    status.starts_with('2')
}

fn responses(o: &Operation, n: &Operation, os: &Schemas, ns: &Schemas, out: &mut Findings) {
    let name = op_name(n);
    let opn = Some(name.as_str());
    for r in &n.responses {
        let part = format!("/responses/{}", r.status);
        let nptr = format!("{}{part}", n.pointer);
        let Some(a) = o.responses.iter().find(|a| a.status == r.status) else {
            let rule = if success(&r.status) { "response-success-status-added" } else { "response-non-success-status-added" };
            out.push(rule, opn, format!("response {} added to {name}", r.status), None, Some(nptr));
            continue;
        };
        let optr = format!("{}{part}", o.pointer);
        for h in &a.headers {
            if !r.headers.iter().any(|x| x.eq_ignore_ascii_case(h)) {
                out.push("optional-response-header-removed", opn, format!("header `{h}` removed from response {} of {name}", r.status), Some(format!("{optr}/headers/{}", pointer::escape(h))), Some(nptr.clone()));
            }
        }
        for h in &r.headers {
            if !a.headers.iter().any(|x| x.eq_ignore_ascii_case(h)) {
                out.push("response-header-added", opn, format!("header `{h}` added to response {} of {name}", r.status), Some(optr.clone()), Some(format!("{nptr}/headers/{}", pointer::escape(h))));
            }
        }
        let what = format!("response {}", r.status);
        bodies(o, n, &part, &what, &a.bodies, &r.bodies, false, os, ns, out);
    }
    for a in &o.responses {
        if !n.responses.iter().any(|r| r.status == a.status) {
            let rule = if success(&a.status) { "response-success-status-removed" } else { "response-non-success-status-removed" };
            out.push(rule, opn, format!("response {} removed from {name}", a.status), Some(format!("{}/responses/{}", o.pointer, a.status)), None);
        }
    }
}

fn sse(o: &Operation, n: &Operation, out: &mut Findings) {
    let name = op_name(n);
    let opn = Some(name.as_str());
    let (optr, nptr) = (o.pointer.clone(), n.pointer.clone());
    match (&o.sse, &n.sse) {
        (None, Some(_)) => out.push("sse-stream-added", opn, format!("{name} now returns an event stream"), None, Some(nptr)),
        (Some(_), None) => out.push("sse-stream-removed", opn, format!("{name} no longer returns an event stream"), Some(optr), None),
        (Some(a), Some(b)) => {
            // Event data schemas are part of the response body, compared there.
            for (ev, _) in &b.events {
                if !a.events.iter().any(|(e, _)| e == ev) {
                    out.push("sse-event-type-added", opn, format!("event type `{ev}` added to the stream of {name}"), None, Some(nptr.clone()));
                }
            }
            for (ev, _) in &a.events {
                if !b.events.iter().any(|(e, _)| e == ev) {
                    out.push("sse-event-type-removed", opn, format!("event type `{ev}` removed from the stream of {name}"), Some(optr.clone()), None);
                }
            }
        }
        (None, None) => {}
    }
}

fn webhooks(old: &Api, new: &Api, os: &Schemas, ns: &Schemas, out: &mut Findings) {
    for w in &new.webhooks {
        let nptr = pointer::join(["webhooks", &w.name]);
        let Some(a) = old.webhooks.iter().find(|a| a.name == w.name) else {
            out.push("webhook-added", None, format!("webhook `{}` added", w.name), None, Some(nptr));
            continue;
        };
        let optr = pointer::join(["webhooks", &a.name]);
        let what = format!("payload of webhook `{}`", w.name);
        let opn = format!("WEBHOOK {}", w.name);
        // The API sends webhooks: their payloads are read by clients, like responses.
        let ctx = Ctx { old: os, new: ns, request: false, root: Root::Body, operation: Some(&opn), what: &what };
        schema::compare(&ctx, out, &to_json(&a.payload), format!("{optr}/post/requestBody"), &to_json(&w.payload), format!("{nptr}/post/requestBody"));
    }
    for a in &old.webhooks {
        if !new.webhooks.iter().any(|w| w.name == a.name) {
            out.push("webhook-removed", None, format!("webhook `{}` removed", a.name), Some(pointer::join(["webhooks", &a.name])), None);
        }
    }
}

fn components(os: &Schemas, ns: &Schemas, out: &mut Findings) {
    let added: Vec<&String> = ns.keys().filter(|k| !os.contains_key(*k)).collect();
    let mut renamed_to = Vec::new();
    for (name, v) in os {
        if ns.contains_key(name) {
            continue;
        }
        let optr = pointer::join(["components", "schemas", name]);
        match added.iter().find(|a| ns.get(a.as_str()) == Some(v) && !renamed_to.contains(*a)) {
            Some(to) => {
                renamed_to.push(*to);
                out.push("schema-renamed", None, format!("schema `{name}` renamed to `{to}` (SDK type renamed)"), Some(optr), Some(pointer::join(["components", "schemas", to])));
            }
            None => out.push("api-schema-removed", None, format!("schema `{name}` removed"), Some(optr), None),
        }
    }
    for name in added {
        if !renamed_to.contains(&name) {
            out.push("api-schema-added", None, format!("schema `{name}` added"), None, Some(pointer::join(["components", "schemas", name])));
        }
    }
}
