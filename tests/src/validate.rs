//! Request-body validation against field tables transcribed from the
//! spec's request schemas. Problems come back as `VALIDATION_ERROR` with
//! one `FieldError` per problem.

use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// The JSON type (and bounds) a field must have. `null` is never accepted:
/// no request field in the spec is nullable.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Str,
    Number { min: f64, max: f64 },
    Integer { min: i64 },
    StrList,
    Object,
    Bool,
    OneOf(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

pub(crate) const fn req(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: true,
    }
}

pub(crate) const fn opt(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: false,
    }
}

/// Checks `body` against `fields`; unknown fields are ignored, as the
/// spec's schemas allow additional properties.
pub(crate) fn check(
    status: StatusCode,
    body: &Map<String, Value>,
    fields: &[Field],
) -> Result<(), ApiError> {
    let problems: Vec<(String, String)> = fields
        .iter()
        .filter_map(|f| match body.get(f.name) {
            None if f.required => Some((f.name.to_string(), "is required".to_string())),
            None => None,
            Some(v) => problem(f.kind, v).map(|p| (f.name.to_string(), p)),
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(status, problems))
    }
}

fn problem(kind: Kind, v: &Value) -> Option<String> {
    let ok = match kind {
        Kind::Str => v.is_string(),
        Kind::Number { min, max } => v.as_f64().is_some_and(|n| (min..=max).contains(&n)),
        Kind::Integer { min } => v.as_i64().is_some_and(|n| n >= min),
        Kind::StrList => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        Kind::Object => v.is_object(),
        Kind::Bool => v.is_boolean(),
        Kind::OneOf(values) => v.as_str().is_some_and(|s| values.contains(&s)),
    };
    (!ok).then(|| match kind {
        Kind::Str => "must be a string".to_string(),
        Kind::Number { min, max } => format!("must be a number from {min} to {max}"),
        Kind::Integer { min } => format!("must be an integer of at least {min}"),
        Kind::StrList => "must be an array of strings".to_string(),
        Kind::Object => "must be an object".to_string(),
        Kind::Bool => "must be a boolean".to_string(),
        Kind::OneOf(values) => format!("must be one of {}", values.join(", ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FIELDS: &[Field] = &[
        req("name", Kind::Str),
        opt("temperature", Kind::Number { min: 0.0, max: 2.0 }),
        opt("max_tokens", Kind::Integer { min: 1 }),
        opt("tools", Kind::StrList),
        opt("role", Kind::OneOf(&["user", "assistant"])),
    ];

    fn check_body(body: Value, expect: &[&str]) {
        let Value::Object(map) = body else {
            panic!("not an object")
        };
        let got: Vec<String> = match check(StatusCode::UNPROCESSABLE_ENTITY, &map, FIELDS) {
            Ok(()) => vec![],
            Err(e) => e
                .details
                .and_then(|d| d.as_array().cloned())
                .unwrap_or_default()
                .iter()
                .map(|p| p["field"].to_string())
                .collect(),
        };
        let expect: Vec<String> = expect.iter().map(|f| format!("\"{f}\"")).collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn fields() {
        check_body(json!({"name": "a"}), &[]);
        check_body(json!({"name": "a", "extra": 1}), &[]);
        check_body(json!({}), &["name"]);
        check_body(json!({"name": null}), &["name"]);
        check_body(json!({"name": "a", "temperature": 2.5}), &["temperature"]);
        check_body(json!({"name": "a", "temperature": 0}), &[]);
        check_body(json!({"name": "a", "max_tokens": 0}), &["max_tokens"]);
        check_body(json!({"name": "a", "max_tokens": 1.5}), &["max_tokens"]);
        check_body(json!({"name": "a", "tools": ["t", 1]}), &["tools"]);
        check_body(json!({"name": 1, "role": "robot"}), &["name", "role"]);
    }
}
