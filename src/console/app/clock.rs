//! The app's clock, as plain data. `update` never reads a clock: the event loop sends
//! `Msg::Clock(now)` first in every batch of messages it read together, `now` being the
//! time since the console started. So the app knows what time it is, and which messages
//! arrived together: every message up to the next `Clock` shares one batch. Keys in one
//! batch were typed before the screen could show the clerk what the first of them did.
//!
//! The app also tells the loop when it next needs the clock ([`super::App::wake_at`]): the
//! spinner's next frame while a request is in flight, the moment a confirmation starts to
//! take keys, the idle lock's deadline (`lock`). Nothing else wakes the loop, so an idle
//! console repaints at most once, when it locks.

use std::time::Duration;

/// How often the spinner moves while a request is in flight.
pub const SPINNER_FRAME: Duration = Duration::from_millis(100);

/// A point on the app's clock: the time since the console started, and the batch of
/// messages being handled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Moment {
    pub now: Duration,
    /// Counts the `Clock` messages; messages between two of them share a batch.
    pub batch: u64,
}

impl Moment {
    /// The moment a new batch begins at `now`. The clock never runs backwards, whatever
    /// the message says.
    pub fn next(self, now: Duration) -> Moment {
        Moment {
            now: now.max(self.now),
            batch: self.batch + 1,
        }
    }

    /// How long ago `earlier` was.
    pub fn since(self, earlier: Duration) -> Duration {
        self.now.saturating_sub(earlier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_clock_message_starts_a_batch_and_time_never_runs_backwards() {
        let start = Moment::default();
        let first = start.next(Duration::from_secs(5));
        assert_eq!(first.batch, 1);
        let second = first.next(Duration::from_secs(3));
        assert_eq!(second.now, Duration::from_secs(5), "no going back");
        assert_eq!(second.batch, 2);
        assert_eq!(second.since(Duration::from_secs(2)), Duration::from_secs(3));
        assert_eq!(second.since(Duration::from_secs(9)), Duration::ZERO);
    }
}
