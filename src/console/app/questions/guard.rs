//! The typed-ahead guard of a confirmation. A clerk who believes the search line has the
//! keyboard types `dandy1` into a token's tree: `d` opens the deactivate confirmation and
//! the `y` two letters later would answer it, before anyone could have read it. So a
//! confirmation ignores every key that came in the same batch as the key that opened it
//! (typed before it could be drawn), and every key within half a second of it appearing
//! (typed before it could be read); it remembers what it ignored, so it can say so.

use std::time::Duration;

use crate::console::app::clock::Moment;
use crate::keys::Key;

/// How long a confirmation ignores keys after it appears.
pub const TYPE_AHEAD: Duration = Duration::from_millis(500);

/// At most this many ignored keys are named; the rest are counted.
const NAMED_KEYS: usize = 8;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeAheadGuard {
    /// When the confirmation appeared (or its content last changed).
    shown: Moment,
    /// Keys typed before the confirmation appeared (in the batch that opened it, or while
    /// its question was not asked yet).
    ignored: Vec<Key>,
    /// Keys pressed after it appeared, but too soon to have been read.
    too_soon: Vec<Key>,
}

impl TypeAheadGuard {
    pub fn new(shown: Moment) -> TypeAheadGuard {
        TypeAheadGuard {
            shown,
            ignored: Vec::new(),
            too_soon: Vec::new(),
        }
    }

    /// The confirmation's content changed (fresh state arrived): what it asks must be read
    /// again before a key may answer it.
    pub fn restart(&mut self, shown: Moment) {
        self.shown = shown;
    }

    /// Whether keys answer the confirmation at `at`.
    pub fn armed(&self, at: Moment) -> bool {
        at.batch != self.shown.batch && at.since(self.shown.now) >= TYPE_AHEAD
    }

    /// True when `key`, arriving at `at`, may answer the confirmation; otherwise the key
    /// is remembered as ignored.
    pub fn admits(&mut self, key: Key, at: Moment) -> bool {
        if self.armed(at) {
            return true;
        }
        if at.batch == self.shown.batch {
            self.ignored.push(key);
        } else {
            self.too_soon.push(key);
        }
        false
    }

    /// Remembers `key` as ignored for another reason (the question is not asked yet).
    pub fn ignore(&mut self, key: Key) {
        self.ignored.push(key);
    }

    /// When keys start to count, if that is still ahead of `at`.
    pub fn arms_at(&self, at: Moment) -> Option<Duration> {
        (!self.armed(at)).then_some(self.shown.now + TYPE_AHEAD)
    }

    /// "Keys typed before this appeared were ignored: a n d y 1", once any were; keys
    /// pressed after it appeared but within half a second are said to be too soon, which
    /// is what they were.
    pub fn ignored_sentence(&self) -> Option<String> {
        match (named(&self.ignored), named(&self.too_soon)) {
            (None, None) => None,
            (Some(before), None) => Some(format!(
                "Keys typed before this appeared were ignored: {before}"
            )),
            (None, Some(soon)) => Some(format!(
                "Keys pressed too soon after this appeared were ignored: {soon}"
            )),
            (Some(before), Some(soon)) => Some(format!(
                "Keys typed before this appeared ({before}) and too soon after ({soon}) were ignored."
            )),
        }
    }
}

/// `keys` named, the first few, the rest counted; `None` for none.
fn named(keys: &[Key]) -> Option<String> {
    if keys.is_empty() {
        return None;
    }
    let mut named: Vec<String> = keys
        .iter()
        .take(NAMED_KEYS)
        .map(ToString::to_string)
        .collect();
    if keys.len() > NAMED_KEYS {
        named.push(format!("and {} more", keys.len() - NAMED_KEYS));
    }
    Some(named.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeyCode;

    fn at(ms: u64, batch: u64) -> Moment {
        Moment {
            now: Duration::from_millis(ms),
            batch,
        }
    }

    #[test]
    fn keys_in_the_opening_batch_are_ignored_however_late_they_are_handled() {
        let mut guard = TypeAheadGuard::new(at(1000, 7));
        assert!(!guard.admits(Key::char('y'), at(2000, 7)));
        assert!(guard.admits(Key::char('y'), at(2000, 8)));
    }

    #[test]
    fn keys_within_half_a_second_are_ignored_and_named() {
        let mut guard = TypeAheadGuard::new(at(1000, 7));
        assert_eq!(guard.ignored_sentence(), None);
        assert!(!guard.admits(Key::char('n'), at(1100, 8)));
        assert!(!guard.admits(Key::plain(KeyCode::Enter), at(1499, 9)));
        assert_eq!(
            guard.arms_at(at(1499, 9)),
            Some(Duration::from_millis(1500))
        );
        assert!(guard.admits(Key::char('y'), at(1500, 10)));
        assert_eq!(guard.arms_at(at(1500, 10)), None);
        assert_eq!(
            guard.ignored_sentence().as_deref(),
            Some("Keys pressed too soon after this appeared were ignored: n Enter")
        );
    }

    /// The report: `y` 150 ms after the question appeared was not typed before it.
    #[test]
    fn keys_before_and_too_soon_after_are_told_apart() {
        let mut guard = TypeAheadGuard::new(at(1000, 7));
        assert!(!guard.admits(Key::char('a'), at(1000, 7)));
        assert!(!guard.admits(Key::char('y'), at(1150, 8)));
        assert_eq!(
            guard.ignored_sentence().as_deref(),
            Some("Keys typed before this appeared (a) and too soon after (y) were ignored.")
        );
    }

    #[test]
    fn a_restart_asks_for_another_half_second() {
        let mut guard = TypeAheadGuard::new(at(0, 1));
        guard.restart(at(5000, 4));
        assert!(!guard.admits(Key::char('y'), at(5200, 5)));
        assert!(guard.admits(Key::char('y'), at(5600, 6)));
    }

    #[test]
    fn a_long_burst_is_counted_not_listed() {
        let mut guard = TypeAheadGuard::new(at(0, 1));
        for c in "abcdefghijk".chars() {
            guard.admits(Key::char(c), at(0, 1));
        }
        assert_eq!(
            guard.ignored_sentence().as_deref(),
            Some("Keys typed before this appeared were ignored: a b c d e f g h and 3 more")
        );
    }
}

/// Pinned by mutation testing (TESTING.md).
#[cfg(test)]
mod edge_tests {
    use super::*;

    fn at(ms: u64, batch: u64) -> Moment {
        Moment {
            now: Duration::from_millis(ms),
            batch,
        }
    }

    #[test]
    fn up_to_eight_ignored_keys_are_all_named_with_no_count() {
        let mut guard = TypeAheadGuard::new(at(0, 1));
        for c in "abcdefgh".chars() {
            guard.admits(Key::char(c), at(0, 1));
        }
        assert_eq!(
            guard.ignored_sentence().as_deref(),
            Some("Keys typed before this appeared were ignored: a b c d e f g h")
        );
    }

    #[test]
    fn keys_ignored_while_the_question_is_not_asked_are_named_too() {
        let mut guard = TypeAheadGuard::new(at(0, 1));
        guard.ignore(Key::char('y'));
        assert_eq!(
            guard.ignored_sentence().as_deref(),
            Some("Keys typed before this appeared were ignored: y")
        );
    }

    #[test]
    fn a_later_batch_alone_does_not_arm_it_nor_half_a_second_alone() {
        let guard = TypeAheadGuard::new(at(1000, 7));
        assert!(!guard.armed(at(1100, 8)), "a new batch too soon");
        assert!(!guard.armed(at(9000, 7)), "late, but the opening batch");
        assert!(guard.armed(at(1500, 8)));
        assert_eq!(
            guard.arms_at(at(1100, 8)),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(guard.arms_at(at(1500, 8)), None);
    }
}
