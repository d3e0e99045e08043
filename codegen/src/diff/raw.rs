//! What only the documents as written hold: normalization keeps neither
//! security requirements in the model, nor `x-stability-level` and
//! `x-sunset`, nor 3.1 validation keywords. This pass reads the loaded
//! documents (before normalization) for those.
//!
//! - security: global and per-operation requirements, scopes, schemes;
//! - `x-stability-level` (`draft` < `alpha` < `beta` < `stable`): a decrease
//!   is an error, and ERR/WARN findings on operations that were `draft` or
//!   `alpha` are dropped (no promise was made for them);
//! - `x-sunset` on operations and parameters: deprecation without a sunset,
//!   removal before the sunset, unparseable dates;
//! - schema keywords through [`schema::compare_raw`].

use std::collections::BTreeSet;

use serde_json::Value;

use super::schema::{self, Ctx, Root, Schemas};
use super::{Finding, Findings, Level};
use crate::normalize::engine::METHODS;
use crate::pointer;

/// Compares two documents as written, appending to `out`.
pub fn diff_raw(old: &Value, new: &Value, out: &mut Findings) {
    security(old, new, out);
    let (os, ns) = (components(old), components(new));
    let empty = serde_json::Map::new();
    let paths = |d: &Value| d.get("paths").and_then(Value::as_object).cloned().unwrap_or_else(|| empty.clone());
    let (op, np) = (paths(old), paths(new));
    for (path, oitem) in &op {
        for method in METHODS {
            let Some(o) = oitem.get(*method) else { continue };
            let name = format!("{} {path}", method.to_uppercase());
            let optr = pointer::join(["paths", path, method]);
            let Some(n) = np.get(path).and_then(|i| i.get(*method)) else {
                removed_operation(o, &name, &optr, out);
                continue;
            };
            operation(old, new, o, n, &name, &optr, &os, &ns, out);
        }
    }
    for (path, nitem) in &np {
        for method in METHODS {
            if let Some(n) = nitem.get(*method) {
                let name = format!("{} {path}", method.to_uppercase());
                sunset_parse(n, "api-path-sunset-parse", &name, &pointer::join(["paths", path, method]), out);
            }
        }
    }
}

/// Operations whose old `x-stability-level` is `draft` or `alpha`.
pub fn unstable_operations(old: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (path, item) in old.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for method in METHODS {
            if let Some(level) = item.get(*method).and_then(|o| o.get("x-stability-level")).and_then(Value::as_str)
                && stability(level) < Some(2)
            {
                out.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    out
}

/// Drops ERR/WARN findings on unstable operations, except the stability change itself.
pub fn drop_unstable(findings: Vec<Finding>, unstable: &BTreeSet<String>) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|f| {
            f.level == Level::Info || f.rule == "api-stability-decreased" || !f.operation.as_ref().is_some_and(|o| unstable.contains(o))
        })
        .collect()
}

fn stability(level: &str) -> Option<u8> {
    ["draft", "alpha", "beta", "stable"].iter().position(|l| *l == level).and_then(|p| u8::try_from(p).ok())
}

fn components(doc: &Value) -> Schemas {
    doc.pointer("/components/schemas").and_then(Value::as_object).map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
}

/// Follows local `$ref`s in a document.
fn deref<'v>(doc: &'v Value, mut v: &'v Value) -> &'v Value {
    for _ in 0..8 {
        match v.get("$ref").and_then(Value::as_str).and_then(|r| pointer::resolve(doc, r)) {
            Some(t) => v = t,
            None => break,
        }
    }
    v
}

/// A `YYYY-MM-DD` date (an RFC 3339 timestamp's date part also counts), as
/// (year, month, day).
pub fn parse_date(s: &str) -> Option<(u32, u32, u32)> {
    let date = s.get(..10)?;
    if s.len() > 10 && !s[10..].starts_with('T') {
        return None;
    }
    let mut parts = date.split('-');
    let y: u32 = parts.next().filter(|p| p.len() == 4)?.parse().ok()?;
    let m: u32 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
    let d: u32 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// Today (UTC) as (year, month, day).
fn today() -> (u32, u32, u32) {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (u32::try_from(y).unwrap_or(0), u32::try_from(m).unwrap_or(1), u32::try_from(d).unwrap_or(1))
}

fn sunset_parse(op: &Value, rule: &str, name: &str, ptr: &str, out: &mut Findings) {
    if let Some(s) = op.get("x-sunset").and_then(Value::as_str)
        && parse_date(s).is_none()
    {
        out.push(rule, Some(name), format!("sunset date `{s}` of {name} is not a date (YYYY-MM-DD)"), Some(ptr.to_owned()), Some(ptr.to_owned()));
    }
}

fn removed_operation(o: &Value, name: &str, optr: &str, out: &mut Findings) {
    if let Some(date) = o.get("x-sunset").and_then(Value::as_str).and_then(parse_date)
        && date > today()
    {
        out.push("api-removed-before-sunset", Some(name), format!("endpoint {name} removed before its sunset date"), Some(optr.to_owned()), None);
    }
}

#[allow(clippy::too_many_arguments)]
fn operation(od: &Value, nd: &Value, o: &Value, n: &Value, name: &str, optr: &str, os: &Schemas, ns: &Schemas, out: &mut Findings) {
    let nptr = optr.to_owned();
    let opn = Some(name);
    // Stability.
    let level = |v: &Value| v.get("x-stability-level").and_then(Value::as_str).and_then(stability);
    match (level(o), level(n)) {
        (Some(a), Some(b)) if b < a => out.push("api-stability-decreased", opn, format!("stability of {name} decreased"), Some(optr.to_owned()), Some(nptr.clone())),
        (Some(a), Some(b)) if b > a => out.push("api-stability-increased", opn, format!("stability of {name} increased"), Some(optr.to_owned()), Some(nptr.clone())),
        _ => {}
    }
    // Deprecation and sunset.
    let deprecated = |v: &Value| v.get("deprecated").and_then(Value::as_bool).unwrap_or(false);
    if !deprecated(o) && deprecated(n) {
        match n.get("x-sunset").and_then(Value::as_str) {
            Some(s) if parse_date(s).is_some() => out.push("endpoint-deprecated-with-sunset", opn, format!("endpoint {name} deprecated, sunset {s}"), Some(optr.to_owned()), Some(nptr.clone())),
            Some(_) => {}
            None => out.push("api-deprecated-sunset-missing", opn, format!("endpoint {name} deprecated without a sunset date (x-sunset)"), Some(optr.to_owned()), Some(nptr.clone())),
        }
    }
    sunset_parse(o, "api-path-sunset-parse", name, optr, out);
    // Security.
    let sec = |v: &Value| v.get("security").and_then(Value::as_array).cloned();
    if let (os_, ns_) = (sec(o), sec(n))
        && os_ != ns_
    {
        requirements(&os_.unwrap_or_default(), &ns_.unwrap_or_default(), "api-security", opn, &format!("{optr}/security"), out);
    }
    // Parameters removed with an unparseable sunset.
    let params = |d: &Value, v: &Value| -> Vec<Value> { v.get("parameters").and_then(Value::as_array).map(|ps| ps.iter().map(|p| deref(d, p).clone()).collect()).unwrap_or_default() };
    let (opars, npars) = (params(od, o), params(nd, n));
    let key = |p: &Value| (p.get("in").cloned(), p.get("name").cloned());
    for (i, p) in opars.iter().enumerate() {
        if !npars.iter().any(|q| key(q) == key(p)) {
            sunset_parse(p, "request-parameter-sunset-parse", name, &format!("{optr}/parameters/{i}"), out);
        }
    }
    // Schemas as written.
    for (j, np) in npars.iter().enumerate() {
        let Some((i, op)) = opars.iter().enumerate().find(|(_, q)| key(q) == key(np)) else { continue };
        let (Some(a), Some(b)) = (op.get("schema"), np.get("schema")) else { continue };
        let what = format!("parameter `{}`", np.get("name").and_then(Value::as_str).unwrap_or_default());
        let header = np.get("in").and_then(Value::as_str) == Some("header");
        let ctx = Ctx { old: os, new: ns, request: true, root: Root::Param { header }, operation: opn, what: &what };
        schema::compare_raw(&ctx, out, a, format!("{optr}/parameters/{i}/schema"), b, format!("{nptr}/parameters/{j}/schema"));
    }
    let content = |d: &Value, v: Option<&Value>| -> Vec<(String, Value)> {
        v.map(|v| deref(d, v))
            .and_then(|v| v.get("content"))
            .and_then(Value::as_object)
            .map(|c| c.iter().filter_map(|(mt, m)| Some((mt.clone(), m.get("schema")?.clone()))).collect())
            .unwrap_or_default()
    };
    for (status, nr) in n.get("responses").and_then(Value::as_object).into_iter().flatten() {
        if let Some(or) = o.get("responses").and_then(|r| r.get(status)) {
            required_headers_removed(od, nd, or, nr, name, &format!("{optr}/responses/{}", pointer::escape(status)), out);
        }
    }
    let mut bodies = |part: String, what: &str, request: bool, ob: Vec<(String, Value)>, nb: Vec<(String, Value)>| {
        for (mt, b) in &nb {
            if let Some((_, a)) = ob.iter().find(|(m, _)| m == mt) {
                let ctx = Ctx { old: os, new: ns, request, root: Root::Body, operation: opn, what };
                let ptr = format!("{part}/content/{}/schema", pointer::escape(mt));
                schema::compare_raw(&ctx, out, a, format!("{optr}{ptr}"), b, format!("{nptr}{ptr}"));
            }
        }
    };
    bodies("/requestBody".into(), "request body", true, content(od, o.get("requestBody")), content(nd, n.get("requestBody")));
    for (status, nr) in n.get("responses").and_then(Value::as_object).into_iter().flatten() {
        let or = o.get("responses").and_then(|r| r.get(status));
        if or.is_some() {
            bodies(format!("/responses/{status}"), &format!("response {status}"), false, content(od, or), content(nd, Some(nr)));
        }
    }
}

/// Removed response headers that were `required` (the model only knows names).
fn required_headers_removed(od: &Value, nd: &Value, or: &Value, nr: &Value, name: &str, rptr: &str, out: &mut Findings) {
    let headers = |d: &Value, r: &Value| -> Vec<(String, bool)> {
        deref(d, r)
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| h.iter().map(|(k, v)| (k.clone(), deref(d, v).get("required").and_then(Value::as_bool).unwrap_or(false))).collect())
            .unwrap_or_default()
    };
    let (oh, nh) = (headers(od, or), headers(nd, nr));
    for (h, required) in oh {
        if required && !nh.iter().any(|(x, _)| x.eq_ignore_ascii_case(&h)) {
            out.push("required-response-header-removed", Some(name), format!("required header `{h}` removed from {name}"), Some(format!("{rptr}/headers/{}", pointer::escape(&h))), None);
        }
    }
}

fn requirements(old: &[Value], new: &[Value], prefix: &str, operation: Option<&str>, ptr: &str, out: &mut Findings) {
    let schemes = |reqs: &[Value]| -> Vec<(String, BTreeSet<String>)> {
        reqs.iter()
            .filter_map(Value::as_object)
            .map(|m| {
                let names: Vec<&String> = m.keys().collect();
                let scopes = m.values().filter_map(Value::as_array).flatten().filter_map(Value::as_str).map(str::to_owned).collect();
                (names.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("+"), scopes)
            })
            .collect()
    };
    let (o, n) = (schemes(old), schemes(new));
    let place = operation.map(|o| format!(" of {o}")).unwrap_or_default();
    for (name, scopes) in &n {
        match o.iter().find(|(x, _)| x == name) {
            None => out.push(&format!("{prefix}-added"), operation, format!("security requirement `{name}` added{place}"), Some(ptr.to_owned()), Some(ptr.to_owned())),
            Some((_, old_scopes)) => {
                for s in scopes.difference(old_scopes) {
                    out.push(&format!("{prefix}-scope-added"), operation, format!("scope `{s}` added to security `{name}`{place}"), Some(ptr.to_owned()), Some(ptr.to_owned()));
                }
                for s in old_scopes.difference(scopes) {
                    out.push(&format!("{prefix}-scope-removed"), operation, format!("scope `{s}` removed from security `{name}`{place}"), Some(ptr.to_owned()), Some(ptr.to_owned()));
                }
            }
        }
    }
    for (name, _) in &o {
        if !n.iter().any(|(x, _)| x == name) {
            out.push(&format!("{prefix}-removed"), operation, format!("security requirement `{name}` removed{place}"), Some(ptr.to_owned()), Some(ptr.to_owned()));
        }
    }
}

fn security(old: &Value, new: &Value, out: &mut Findings) {
    let global = |d: &Value| d.get("security").and_then(Value::as_array).cloned().unwrap_or_default();
    requirements(&global(old), &global(new), "api-global-security", None, "#/security", out);
    let schemes = |d: &Value| -> serde_json::Map<String, Value> { d.pointer("/components/securitySchemes").and_then(Value::as_object).cloned().unwrap_or_default() };
    let (o, n) = (schemes(old), schemes(new));
    for (name, s) in &n {
        let ptr = pointer::join(["components", "securitySchemes", name]);
        match o.get(name) {
            None => out.push("api-security-component-added", None, format!("security scheme `{name}` added"), None, Some(ptr)),
            Some(a) if a.get("type") != s.get("type") => out.push("api-security-component-type-changed", None, format!("type of security scheme `{name}` changed"), Some(ptr.clone()), Some(ptr)),
            Some(_) => {}
        }
    }
    for name in o.keys().filter(|k| !n.contains_key(*k)) {
        out.push("api-security-component-removed", None, format!("security scheme `{name}` removed"), Some(pointer::join(["components", "securitySchemes", name])), None);
    }
}
