//! Page-style pagination: the `page` / `per_page` query parameters and the
//! `{data, meta: {page, per_page, total, total_pages, has_more}}` envelope.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::extract::Query;

/// `PerPage` in the spec: default 20, 1 to 100.
const DEFAULT_PER_PAGE: u64 = 20;
const MAX_PER_PAGE: u64 = 100;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PageParams {
    pub page: u64,
    pub per_page: u64,
}

impl PageParams {
    /// Reads `page` and `per_page`; out of range or not a number is a 400
    /// `VALIDATION_ERROR` (list operations document no 422).
    pub fn from_query(query: &Query) -> Result<Self, ApiError> {
        let mut problems = Vec::new();
        let mut read = |name: &str, default: u64, max: u64| match query.get(name) {
            None => default,
            Some(raw) => match raw.parse::<u64>() {
                Ok(n) if (1..=max).contains(&n) => n,
                _ => {
                    problems.push((
                        name.to_string(),
                        format!("must be an integer from 1 to {max}"),
                    ));
                    default
                }
            },
        };
        let page = read("page", 1, u64::MAX);
        let per_page = read("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE);
        if problems.is_empty() {
            Ok(Self { page, per_page })
        } else {
            Err(ApiError::invalid(StatusCode::BAD_REQUEST, problems))
        }
    }

    /// The envelope for this page of `items` (all matching items, in order).
    pub fn envelope(&self, items: Vec<Value>) -> Value {
        let total = items.len() as u64;
        let start = (self.page - 1).saturating_mul(self.per_page);
        let data: Vec<Value> = items
            .into_iter()
            .skip(usize::try_from(start).unwrap_or(usize::MAX))
            .take(self.per_page as usize)
            .collect();
        json!({
            "data": data,
            "meta": {
                "page": self.page,
                "per_page": self.per_page,
                "total": total,
                "total_pages": total.div_ceil(self.per_page),
                "has_more": start.saturating_add(self.per_page) < total,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, total: u64, expect: Value) {
        let params = PageParams::from_query(&Query::parse(Some(query))).expect("valid query");
        let items = (0..total).map(Value::from).collect();
        assert_eq!(params.envelope(items), expect, "{query} over {total}");
    }

    fn check_invalid(query: &str, field: &str) {
        let err = PageParams::from_query(&Query::parse(Some(query))).expect_err(query);
        assert_eq!(err.details.expect("details")[0]["field"], field);
    }

    #[test]
    fn pages() {
        check(
            "",
            2,
            json!({"data": [0, 1], "meta": {"page": 1, "per_page": 20, "total": 2, "total_pages": 1, "has_more": false}}),
        );
        check(
            "per_page=2",
            5,
            json!({"data": [0, 1], "meta": {"page": 1, "per_page": 2, "total": 5, "total_pages": 3, "has_more": true}}),
        );
        check(
            "per_page=2&page=3",
            5,
            json!({"data": [4], "meta": {"page": 3, "per_page": 2, "total": 5, "total_pages": 3, "has_more": false}}),
        );
        check(
            "per_page=2&page=9",
            5,
            json!({"data": [], "meta": {"page": 9, "per_page": 2, "total": 5, "total_pages": 3, "has_more": false}}),
        );
        check(
            "page=18446744073709551615",
            1,
            json!({"data": [], "meta": {"page": u64::MAX, "per_page": 20, "total": 1, "total_pages": 1, "has_more": false}}),
        );
        check(
            "",
            0,
            json!({"data": [], "meta": {"page": 1, "per_page": 20, "total": 0, "total_pages": 0, "has_more": false}}),
        );
    }

    #[test]
    fn invalid_params() {
        check_invalid("page=0", "page");
        check_invalid("page=-1", "page");
        check_invalid("per_page=101", "per_page");
        check_invalid("per_page=ten", "per_page");
    }
}
