//! Server hints on when to retry: `Retry-After` and `retry-after-ms`.

use std::time::{Duration, SystemTime};

use http::HeaderMap;

/// Parses a `Retry-After` value: delta-seconds (`120`) or an HTTP-date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`), taken relative to `now`. A date in
/// the past means "now" ([`Duration::ZERO`]); huge numbers saturate.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parses a `retry-after-ms` value: non-negative milliseconds, possibly
/// fractional (`1500`, `12.5`).
pub fn parse_retry_after_ms(value: &str) -> Option<Duration> {
    let ms: f64 = value.trim().parse().ok()?;
    if !ms.is_finite() || ms < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX))
}

/// The wait a response asks for, at most `max`: `retry-after-ms` when
/// present and valid (it is the more precise), else `Retry-After`.
pub fn retry_after(headers: &HeaderMap, now: SystemTime, max: Duration) -> Option<Duration> {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    text("retry-after-ms")
        .and_then(parse_retry_after_ms)
        .or_else(|| text("retry-after").and_then(|v| parse_retry_after(v, now)))
        .map(|wait| wait.min(max))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    /// 2015-10-21T07:28:00Z.
    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_445_412_480)
    }

    fn check(value: &str, expect: Option<u64>) {
        let got = parse_retry_after(value, now()).map(|d| d.as_millis() as u64);
        assert_eq!(got, expect, "Retry-After: {value:?}");
    }

    fn check_ms(value: &str, expect: Option<u64>) {
        let got = parse_retry_after_ms(value).map(|d| d.as_micros() as u64);
        assert_eq!(got, expect, "retry-after-ms: {value:?}");
    }

    #[test]
    fn delta_seconds() {
        check("0", Some(0));
        check("120", Some(120_000));
        check(" 7 ", Some(7_000));
        check("", None);
        check("-1", None);
        check("1.5", None);
        check("soon", None);
        let huge = parse_retry_after("99999999999999999999999", now());
        assert_eq!(huge, Some(Duration::from_secs(u64::MAX)), "saturates");
    }

    #[test]
    fn http_dates() {
        check("Wed, 21 Oct 2015 07:28:30 GMT", Some(30_000));
        check("Wednesday, 21-Oct-15 07:29:00 GMT", Some(60_000));
        check("Wed Oct 21 07:28:05 2015", Some(5_000));
        check("Wed, 21 Oct 2015 07:00:00 GMT", Some(0));
        check("Wed, 21 Oct 2015 25:00:00 GMT", None);
    }

    #[test]
    fn milliseconds() {
        check_ms("1500", Some(1_500_000));
        check_ms("12.5", Some(12_500));
        check_ms("0", Some(0));
        check_ms("-1", None);
        check_ms("NaN", None);
        check_ms("inf", None);
        check_ms("", None);
        check_ms("1e400", None);
    }

    #[test]
    fn headers_prefer_ms_and_cap() {
        let max = Duration::from_secs(60);
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers, now(), max), None);
        headers.insert("retry-after", "30".parse().unwrap());
        assert_eq!(
            retry_after(&headers, now(), max),
            Some(Duration::from_secs(30))
        );
        headers.insert("retry-after-ms", "250.5".parse().unwrap());
        assert_eq!(
            retry_after(&headers, now(), max),
            Some(Duration::from_micros(250_500))
        );
        headers.insert("retry-after-ms", "garbage".parse().unwrap());
        assert_eq!(
            retry_after(&headers, now(), max),
            Some(Duration::from_secs(30))
        );
        headers.insert("retry-after", "3600".parse().unwrap());
        assert_eq!(retry_after(&headers, now(), max), Some(max));
        headers.insert("retry-after-ms", "3600000".parse().unwrap());
        assert_eq!(retry_after(&headers, now(), max), Some(max));
        headers.remove("retry-after-ms");
        headers.insert(
            "retry-after",
            "Wed, 21 Oct 2015 07:28:10 GMT".parse().unwrap(),
        );
        assert_eq!(
            retry_after(&headers, now(), max),
            Some(Duration::from_secs(10))
        );
    }
}
