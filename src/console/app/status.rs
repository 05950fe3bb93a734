//! The status bar, as state: what it says, how many rows that takes, and which view a
//! message belongs to. A message is about the view it was said in ("AT0000000671
//! deactivated" about that token) and goes when the view changes. A message too long for
//! one row takes a second one from the body, never the key hints' row; the tree and the
//! results keep their cursor on screen in the rows left.

use std::time::Duration;

use unicode_width::UnicodeWidthStr;

use super::layout::{self, MAX_STATUS_ROWS};
use super::pending::Purpose;
use super::state::{App, Screen, Tone};
use crate::keys::{Command, Context};
use crate::text::sanitize;

/// What the status bar shows, and in what voice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusLine {
    pub text: String,
    pub kind: StatusKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusKind {
    /// A request in flight: the view puts the spinner's frame before the text.
    Spinner {
        elapsed: Duration,
    },
    Notice(Tone),
    /// What the screen is, when nothing was said: the results' position, why actions are
    /// crossed out.
    Hint,
}

/// Columns the spinner's frame and its space take before the text.
pub const SPINNER_COLUMNS: usize = 2;

/// Stands at the right end of the status bar for as long as personal data is revealed.
pub const REVEALED_BADGE: &str = " REVEALED ";

impl App {
    /// The status bar's text: the log-in, else the request in flight, else the last message, else what the
    /// screen is. Sanitised: a message can quote what a clerk typed or a server sent.
    pub fn status_line(&self) -> Option<StatusLine> {
        if let Some(log_in) = &self.logging_in {
            let elapsed = self.clock.since(log_in.started);
            // A search typed meanwhile waits for the session; say it is coming.
            let next = self
                .pending
                .as_ref()
                .map(|p| format!(", then: {}", p.purpose.describe()))
                .unwrap_or_default();
            let text = format!(
                "Logging in to {}… {:.1} s{next}",
                self.environment.host,
                elapsed.as_secs_f64()
            );
            return Some(StatusLine {
                text: sanitize(&text).into_owned(),
                kind: StatusKind::Spinner { elapsed },
            });
        }
        if let Some(run) = self.batch.as_ref().filter(|run| run.running()) {
            let elapsed = self.clock.since(run.started);
            let progress = run.progress();
            let text = if run.stopping {
                format!(
                    "Stopping: {} already sent are finishing… {:.1} s",
                    progress.in_flight,
                    elapsed.as_secs_f64()
                )
            } else {
                format!(
                    "{} {}: {}/{} handled… {:.1} s  {} stops sending",
                    super::pending::gerund(run.action),
                    super::batch::run::tokens(run.items.len(), ""),
                    progress.ended.total(),
                    run.items.len(),
                    elapsed.as_secs_f64(),
                    self.keymap.hint(Context::Global, Command::Back)
                )
            };
            // A row's details (Enter) or a refused key, after the progress.
            let said = self
                .notice
                .as_ref()
                .map(|n| format!(". {}", n.text))
                .unwrap_or_default();
            return Some(StatusLine {
                text: sanitize(&(text + &said)).into_owned(),
                kind: StatusKind::Spinner { elapsed },
            });
        }
        if let (Some(pending), Some(elapsed)) = (&self.pending, self.pending_elapsed()) {
            // Esc cancels unless it has something nearer to do: leave the search line
            // (which cancels only a search), close a modal.
            let esc_cancels = self.modal.is_none()
                && (!self.search.focused || matches!(pending.purpose, Purpose::Search { .. }));
            let text = format!(
                "{}… {:.1} s{}",
                pending.describe(),
                elapsed.as_secs_f64(),
                if esc_cancels {
                    format!(
                        "  {} cancels",
                        self.keymap.hint(Context::Global, Command::Back)
                    )
                } else {
                    String::new()
                }
            );
            return Some(StatusLine {
                text: sanitize(&text).into_owned(),
                kind: StatusKind::Spinner { elapsed },
            });
        }
        if let Some(notice) = &self.notice {
            return Some(StatusLine {
                text: sanitize(&notice.text).into_owned(),
                kind: StatusKind::Notice(notice.tone),
            });
        }
        // Under a question, its own hints; under the help, a history or the recent tokens,
        // none: the screen's (why keys are crossed out, the results' position) are about
        // keys that do nothing while a box is open over it.
        if let Some(modal) = &self.modal {
            return modal
                .prompt()
                .and_then(|prompt| self.question_hint(prompt))
                .map(|text| StatusLine {
                    text,
                    kind: StatusKind::Hint,
                });
        }
        // A batch that has ended keeps its summary in view when nothing else is said.
        let summary = self
            .batch
            .as_ref()
            .filter(|_| self.screen == Screen::Results)
            .and_then(|run| run.summary.clone());
        let hint = summary.or_else(|| self.results_position()).or_else(|| {
            self.disabled_actions_hint()
                .filter(|_| self.screen == Screen::Token && !self.search.focused)
        })?;
        Some(StatusLine {
            text: hint,
            kind: StatusKind::Hint,
        })
    }

    /// The columns the status bar's text has: the width, less the REVEALED badge while
    /// personal data is revealed.
    pub fn status_text_width(&self) -> usize {
        let badge = if self.revealed() {
            REVEALED_BADGE.width() + 1
        } else {
            0
        };
        usize::from(self.width).saturating_sub(badge)
    }

    /// How many rows the status bar needs at this width: one, or two for a long message.
    pub fn status_rows(&self) -> u16 {
        let Some(line) = self.status_line() else {
            return 1;
        };
        let lead = match line.kind {
            StatusKind::Spinner { .. } => SPINNER_COLUMNS,
            _ => 0,
        };
        if line.text.width() + lead > self.status_text_width() {
            MAX_STATUS_ROWS
        } else {
            1
        }
    }

    /// A message said in another view is not about this one.
    pub(super) fn forget_other_views_notice(&mut self) {
        let view = self.view();
        if self.notice.as_ref().is_some_and(|n| n.view != view) {
            self.notice = None;
        }
    }

    /// The tree, the raw view and the results fit the rows the status bar leaves them.
    pub(super) fn fit_viewports(&mut self) {
        let (width, height, status) = (self.width, self.height, self.status_rows());
        if let Some(token) = &mut self.token {
            // The find line takes the body's last row.
            let rows = layout::tree_rows(width, height, status)
                .saturating_sub(usize::from(token.find.is_some()))
                .max(1);
            if token.tree.viewport_height() != rows {
                token.tree.set_viewport_height(rows);
            }
            if let Some(raw) = &mut token.raw {
                let last = raw
                    .lines
                    .len()
                    .saturating_sub(layout::raw_rows(width, height, status));
                raw.offset = raw.offset.min(last);
            }
        }
        let page = layout::results_rows(width, height, status);
        if let Some(results) = &mut self.results {
            results.select(results.selected, page);
        }
        if let Some(run) = &mut self.batch {
            run.select(run.selected, page);
        }
    }
}
