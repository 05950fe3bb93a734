//! Values as a clerk reads them: scalars, dates, folded day/month/year objects, summaries.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{EMPTY_VALUE, MAX_VALUE_CHARS};
use crate::text::{sanitize, truncate_chars};

pub(super) fn is_empty_scalar(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

/// Sanitized and cut to [`MAX_VALUE_CHARS`].
pub(super) fn clean(text: &str) -> String {
    let safe = sanitize(text);
    truncate_chars(&safe, MAX_VALUE_CHARS).into_owned()
}

pub(super) fn count_items(n: usize) -> String {
    if n == 1 {
        "1 item".to_owned()
    } else {
        format!("{n} items")
    }
}

/// A non-blank string or a number, as text.
pub(super) fn summary_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Every key [`object_summary`] may quote.
pub(super) const SUMMARY_KEYS: [&str; 11] = [
    "number",
    "name",
    "person_name",
    "username",
    "company_name",
    "first_name",
    "last_name",
    "code",
    "alternative_code",
    "updated_date",
    "created_date",
];

/// One line that names an object, from well-known keys ([`SUMMARY_KEYS`]); empty if there
/// are none.
pub(super) fn object_summary(map: &Map<String, Value>) -> String {
    let text = |key: &str| summary_text(map.get(key));
    let line = if let Some(number) = text("number") {
        match text("name") {
            Some(name) => crate::text::number_and_name(&number, &name),
            None => number,
        }
    } else if let Some(found) = ["name", "person_name", "username", "company_name"]
        .into_iter()
        .find_map(text)
    {
        found
    } else {
        let parts: Vec<String> = ["first_name", "last_name"]
            .into_iter()
            .filter_map(text)
            .collect();
        if parts.is_empty() {
            ["code", "alternative_code"]
                .into_iter()
                .find_map(text)
                .or_else(|| log_summary(map))
                .unwrap_or_default()
        } else {
            parts.join(" ")
        }
    };
    clean(&line)
}

/// Log information names no one thing: its summary is when it last changed.
pub(super) fn log_summary(map: &Map<String, Value>) -> Option<String> {
    ["updated_date", "created_date"]
        .into_iter()
        .find_map(|key| {
            let when = map
                .get(key)
                .filter(|v| v.as_str().is_some_and(|s| !s.trim().is_empty()))?;
            let verb = if key == "updated_date" {
                "updated"
            } else {
                "created"
            };
            Some(format!("{verb} {}", format_scalar(key, when)))
        })
}

pub(super) const LONG_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub(super) const SHORT_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The parts of a day/month/year object; `None` when the object is not one.
pub(super) type DateParts = (Option<u64>, Option<&'static str>, Option<u64>);

/// Checks without allocating whether an object holds only `day`, `month`, `year` (each null,
/// a number or a numeric string, month 1 to 12, day 1 to 31).
pub(super) fn date_parts(map: &Map<String, Value>) -> Option<DateParts> {
    if map.is_empty()
        || map.len() > 3
        || !map
            .keys()
            .all(|k| matches!(k.as_str(), "day" | "month" | "year"))
    {
        return None;
    }
    let part = |key: &str| -> Option<Option<u64>> {
        match map.get(key) {
            None | Some(Value::Null) => Some(None),
            Some(Value::Number(n)) => n.as_u64().map(Some),
            Some(Value::String(s)) if s.trim().is_empty() => Some(None),
            Some(Value::String(s)) => s.trim().parse::<u64>().ok().map(Some),
            Some(_) => None,
        }
    };
    let (day, month, year) = (part("day")?, part("month")?, part("year")?);
    if day.is_some_and(|d| !(1..=31).contains(&d)) {
        return None;
    }
    let month = match month {
        None => None,
        Some(m) => Some(*LONG_MONTHS.get(usize::try_from(m).ok()?.checked_sub(1)?)?),
    };
    Some((day, month, year))
}

/// A day/month/year object as one line: "3 March 1985", "3 March", "1985", "" when all are
/// null. `None` when it is not such a date.
pub(super) fn fold_date(map: &Map<String, Value>) -> Option<String> {
    let (day, month, year) = date_parts(map)?;
    let mut out = String::new();
    let mut add = |part: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    };
    if let Some(day) = day {
        add(&day.to_string());
    }
    if let Some(month) = month {
        add(month);
    }
    if let Some(year) = year {
        add(&year.to_string());
    }
    Some(out)
}

/// Keys whose strings are codes or identifiers: shown verbatim even when they look like dates.
pub(super) fn is_verbatim_key(key: &str) -> bool {
    matches!(key, "id" | "number" | "identifier" | "code")
        || key.ends_with("_code")
        || key.ends_with("_number")
        || key.ends_with("_id")
}

/// A scalar as a clerk reads it (sanitized, at most [`MAX_VALUE_CHARS`] characters):
/// null and `""` -> [`EMPTY_VALUE`]; `true`/`false` -> "yes"/"no"; numbers as written;
/// "2017-09-14T12:18:01" -> "14 Sep 2017 12:18:01" (a trailing `Z` reads "UTC", an offset is
/// kept, fractions of a second are dropped), "2017-09-14" -> "14 Sep 2017", except under keys
/// that hold codes (`number`, `id`, `*_code`, ...); other strings ("NOT_EFFECTIVE") as they
/// are. An array reads "3 items", an object its summary.
pub(super) fn format_scalar(key: &str, value: &Value) -> String {
    let text: Cow<'_, str> = match value {
        Value::Null => Cow::Borrowed(EMPTY_VALUE),
        Value::Bool(true) => Cow::Borrowed("yes"),
        Value::Bool(false) => Cow::Borrowed("no"),
        Value::Number(n) => Cow::Owned(n.to_string()),
        Value::String(s) if s.is_empty() => Cow::Borrowed(EMPTY_VALUE),
        Value::String(s) if is_verbatim_key(key) => Cow::Borrowed(s.as_str()),
        Value::String(s) => format_date_time(s).map_or(Cow::Borrowed(s.as_str()), Cow::Owned),
        Value::Array(items) => Cow::Owned(count_items(items.len())),
        Value::Object(map) => return object_summary(map),
    };
    clean(&text)
}

pub(super) fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter().try_fold(0u32, |acc, d| {
        acc.checked_mul(10)?.checked_add(u32::from(d - b'0'))
    })
}

/// "YYYY-MM-DD" with an optional "THH:MM[:SS[.fff]][Z|±hh:mm]" (or a space instead of "T").
pub(super) fn format_date_time(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    if !(1..=31).contains(&day) {
        return None;
    }
    let month_name = SHORT_MONTHS.get(usize::try_from(month).ok()?.checked_sub(1)?)?;
    let mut out = format!("{day} {month_name} {year}");
    let rest = &b[10..];
    if rest.is_empty() {
        return Some(out);
    }
    if !matches!(rest[0], b'T' | b' ') || rest.len() < 6 || rest[3] != b':' {
        return None;
    }
    let (hour, minute) = (digits(&rest[1..3])?, digits(&rest[4..6])?);
    if hour > 23 || minute > 59 {
        return None;
    }
    let mut tail = &rest[6..];
    let mut second = None;
    if tail.first() == Some(&b':') {
        let sec = digits(tail.get(1..3)?)?;
        if sec > 60 {
            return None;
        }
        second = Some(sec);
        tail = &tail[3..];
        if tail.first() == Some(&b'.') {
            let frac = tail[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if frac == 0 {
                return None;
            }
            tail = &tail[1 + frac..];
        }
    }
    out.push_str(&format!(" {hour:02}:{minute:02}"));
    if let Some(sec) = second {
        out.push_str(&format!(":{sec:02}"));
    }
    match tail {
        // CRM.COM sends its times without a zone: they are the server's clock.
        [] => out.push_str(" server time"),
        [b'Z'] => out.push_str(" UTC"),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2]
            if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) =>
        {
            out.push(' ');
            out.push(char::from(*sign));
            out.push_str(std::str::from_utf8(&tail[1..]).ok()?);
        }
        _ => return None,
    }
    Some(out)
}

/// Who changed the token last, and when, from its log information: "changed 27 May 2015
/// 12:50:22 server time by MPAdministrator" (else who created it, and when). `None` when the
/// server says neither.
pub fn last_change(token: &Value) -> Option<String> {
    let log = token.get("log_information")?;
    fn text(v: Option<&Value>) -> Option<&str> {
        v.and_then(Value::as_str).filter(|s| !s.is_empty())
    }
    let who = |key: &str| {
        let user = log.get(key)?;
        text(user.get("username")).or_else(|| text(user.get("person_name")))
    };
    let (verb, when, by) = match text(log.get("updated_date")) {
        Some(when) => ("changed", when, who("updated_by_user")),
        None => (
            "created",
            text(log.get("created_date"))?,
            who("created_by_user"),
        ),
    };
    let when = format_date_time(when).unwrap_or_else(|| when.to_owned());
    Some(match by {
        Some(by) => format!("{verb} {when} by {by}"),
        None => format!("{verb} {when}"),
    })
}
