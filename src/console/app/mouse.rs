//! The mouse, while its reporting is on (`--mouse`, `mouse = true`, or its key): the wheel
//! scrolls the view under it (the help, a token's history and the recent list too), a
//! click selects a row, a double click opens a result, toggles a node or says a batch's
//! row whole. The terminal adapter turns the terminal's reports into [`Mouse`]; here they
//! become what the keys would do.

use std::time::Duration;

use ratatui::layout::Rect;

use super::layout;
use super::msg::Effect;
use super::state::{App, Modal, Screen, Tone};
use crate::keys::{Command, Context};

/// What the mouse did, and where: the cell, column and row from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mouse {
    pub kind: MouseKind,
    pub column: u16,
    pub row: u16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MouseKind {
    /// The left button pressed.
    Click,
    WheelUp,
    WheelDown,
}

/// Two clicks on the same row this close together are a double click.
pub const DOUBLE_CLICK: Duration = Duration::from_millis(400);

/// The last click: the row of the view it selected, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LastClick {
    pub index: usize,
    pub at: Duration,
}

impl App {
    /// The mouse key: reporting off (the terminal selects text again) or on.
    pub(super) fn switch_mouse(&mut self, effects: &mut Vec<Effect>) {
        self.mouse = !self.mouse;
        self.last_click = None;
        effects.push(Effect::MouseReporting(self.mouse));
        let key = self.keymap.hint(Context::Always, Command::Mouse);
        let said = if self.mouse {
            format!(
                "Mouse on: the wheel scrolls, a click selects; {key} gives text selection back to the terminal."
            )
        } else {
            format!("Mouse off: the terminal selects text; {key} turns the mouse on.")
        };
        self.notify(Tone::Info, said);
    }

    pub(super) fn mouse(&mut self, mouse: Mouse, effects: &mut Vec<Effect>) {
        // A report that was on its way when reporting went off.
        if !self.mouse {
            self.changed = false;
            return;
        }
        let wheel = match mouse.kind {
            MouseKind::WheelUp => Some(Command::Up),
            MouseKind::WheelDown => Some(Command::Down),
            MouseKind::Click => None,
        };
        match (&self.modal, wheel) {
            (Some(Modal::Help | Modal::History(_) | Modal::Recent(_)), Some(command)) => {
                let before = self.box_list();
                match self.modal {
                    Some(Modal::Help) => _ = self.help_scroll(command),
                    Some(Modal::History(_)) => _ = self.history_scroll(command),
                    _ => self.recent_move(command == Command::Down),
                }
                // The wheel at a list's end moves nothing: nothing to draw.
                self.changed = self.box_list() != before;
                return;
            }
            (Some(_), _) => {
                self.changed = false;
                return;
            }
            (None, Some(command)) => {
                if self.rows_under(mouse.row).is_some() {
                    self.command(command, effects);
                } else {
                    self.changed = false;
                }
                return;
            }
            (None, None) => {}
        }
        let Some(index) = self.rows_under(mouse.row) else {
            self.changed = false;
            return;
        };
        let double = self
            .last_click
            .is_some_and(|last| last.index == index && self.clock.since(last.at) <= DOUBLE_CLICK);
        self.last_click = (!double).then_some(LastClick {
            index,
            at: self.clock.now,
        });
        let page = layout::results_rows(self.width, self.height, self.status_rows());
        match self.screen {
            // A batch's row: selected, and a double click says it whole, as Enter does.
            Screen::Results if self.batch.is_some() => {
                if self
                    .batch
                    .as_ref()
                    .is_none_or(|run| index >= run.items.len())
                {
                    return;
                }
                self.select_batch_row(index);
                if double {
                    self.command(Command::Open, effects);
                }
            }
            Screen::Results => {
                let Some(results) = &mut self.results else {
                    return;
                };
                if index >= results.rows.len() {
                    return;
                }
                // The row clicked is where the clerk is: no move waits for a read.
                results.moves_ahead = 0;
                results.select(index, page);
                if double {
                    self.command(Command::Open, effects);
                }
            }
            Screen::Token => {
                let Some(token) = self.token.as_mut().filter(|t| t.raw.is_none()) else {
                    return;
                };
                let tree = &mut token.tree;
                let Some(&id) = tree.visible().get(index) else {
                    return;
                };
                tree.go_to(id);
                if double {
                    tree.toggle();
                }
            }
            _ => self.changed = false,
        }
    }

    /// The row of the view's content under screen row `row`: a result, a tree row or a
    /// line of the raw JSON, a batch's row.
    fn rows_under(&self, row: u16) -> Option<usize> {
        let area = Rect::new(0, 0, self.width, self.height);
        let regions = layout::regions(area, self.status_rows())?;
        let (rows, offset) = match self.screen {
            Screen::Home => return None,
            Screen::Token => {
                let token = self.token.as_ref()?;
                let (_, rows) = layout::token_split(regions.body);
                let offset = token.raw.as_ref().map_or(token.tree.offset(), |r| r.offset);
                (rows, offset)
            }
            Screen::Results => {
                let body = regions.body;
                let titles = body.height.min(layout::RESULTS_HEADER_ROWS);
                let rows = Rect::new(body.x, body.y + titles, body.width, body.height - titles);
                let offset = match (&self.batch, &self.results) {
                    (Some(run), _) => run.offset,
                    (None, Some(results)) => results.offset,
                    _ => return None,
                };
                (rows, offset)
            }
        };
        (rows.top()..rows.bottom())
            .contains(&row)
            .then(|| offset + usize::from(row - rows.top()))
    }
}
