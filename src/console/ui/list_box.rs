//! The box the help, a token's history and the recent tokens are drawn in: a title on its
//! top border, a few rows of its own that stay put (the recent list's filter), then the
//! list from its first line shown, the highlighted line pointed at by a `>` in the gutter
//! before it (a move rewrites two cells, not two rows: reverse video on the line would
//! also cost its row's worth again where a scroll brings a line in), and a key hint on
//! its bottom border. The rows beside the box are blank, so the terminal can scroll the
//! list's rows whole (`scroll_view`): blank cells move unseen. The dialogs (`modal`) are
//! framed and placed as this box is (`boxed`, `centred`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::scroll::{ScrollView, Scrolling};
use super::{fit, theme::Theme};
use crate::console::app::scrolling::{ScrollingList, visible_lines};

pub struct ListBox<'a> {
    /// The title's forms, longest first: the longest that fits is drawn.
    pub titles: Vec<String>,
    /// A dim hint on the bottom border.
    pub hint: Option<String>,
    /// The widest the box gets, borders included.
    pub widest: u16,
    /// Rows above the list that do not scroll.
    pub head: Vec<Line<'a>>,
    pub lines: Vec<Line<'a>>,
    pub list: ScrollingList,
}

impl ListBox<'_> {
    /// The box in `area`: as wide as it may be, as high as its lines need, showing at most
    /// as many as the app scrolls by.
    fn rect(&self, area: Rect) -> Rect {
        let width = self.widest.min(area.width.saturating_sub(2));
        let head = self.head.len();
        let shown = self.lines.len().clamp(1, visible_lines(area.height, head));
        let height = u16::try_from(head + shown + 2).unwrap_or(u16::MAX);
        centred(area, width, height)
    }

    /// The rows of the screen the list is in, across its width, and its first line shown.
    fn list_rows(&self, area: Rect) -> (Rect, usize) {
        let rect = self.rect(area);
        let head = u16::try_from(self.head.len()).unwrap_or(u16::MAX);
        let top = rect.y.saturating_add(1).saturating_add(head);
        let height = rect.bottom().saturating_sub(1).saturating_sub(top);
        let offset = self
            .list
            .offset
            .min(self.lines.len().saturating_sub(usize::from(height)));
        (Rect::new(area.x, top, area.width, height), offset)
    }

    /// The list's rows, as `frame_bytes::Screen` scrolls them for `what`.
    pub fn scroll_view(&self, what: Scrolling, area: Rect) -> ScrollView {
        let (rows, offset) = self.list_rows(area);
        ScrollView { what, rows, offset }
    }

    pub fn draw(self, frame: &mut Frame, theme: Theme, area: Rect) {
        let rect = self.rect(area);
        let (rows, offset) = self.list_rows(area);
        let room = usize::from(rect.width.saturating_sub(4));
        let title = fit(&longest_that_fits(self.titles, room), room);
        frame.render_widget(Clear, Rect::new(area.x, rect.y, area.width, rect.height));
        let mut block = boxed(theme, &title, false).padding(Padding::horizontal(1));
        if let Some(hint) = self.hint {
            block = block.title_bottom(Span::styled(format!(" {hint} "), theme.dim()));
        }
        let mut lines = self.head;
        lines.extend(
            self.lines
                .into_iter()
                .skip(offset)
                .take(usize::from(rows.height))
                .map(|line| super::fit_line(line, room)),
        );
        frame.render_widget(Paragraph::new(lines).block(block), rect);
        // The pointer in the padding left of the highlighted line.
        if let Some(at) = self.list.selected.and_then(|at| at.checked_sub(offset))
            && let Ok(at) = u16::try_from(at)
            && at < rows.height
            && rect.width > 2
        {
            let pointer = super::pointer(theme, true);
            frame.buffer_mut()[(rect.x + 1, rows.y + at)]
                .set_symbol(&pointer.content)
                .set_style(pointer.style);
        }
    }
}

/// A centred rectangle of at most `width` x `height` inside `area`.
pub(super) fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

pub(super) fn boxed<'a>(theme: Theme, title: &'a str, danger: bool) -> Block<'a> {
    let style = if danger {
        theme.danger()
    } else {
        theme.title()
    };
    Block::bordered()
        .border_set(theme.border())
        .title(Span::styled(format!(" {title} "), style))
        .border_style(if danger { theme.danger() } else { theme.dim() })
}

/// The first of `forms` (longest first) no wider than `room`, else the last one.
fn longest_that_fits(forms: Vec<String>, room: usize) -> String {
    let last = forms.len().saturating_sub(1);
    forms
        .into_iter()
        .enumerate()
        .find(|(i, form)| form.width() <= room || *i == last)
        .map(|(_, form)| form)
        .unwrap_or_default()
}
