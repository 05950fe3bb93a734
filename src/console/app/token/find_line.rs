//! The find line under a token's tree or raw view (`f`): what is typed, and where it
//! matches. A type file: the searching is `find.rs`.

use tui_input::Input;

/// The open find line.
#[derive(Debug, Default)]
pub struct FindLine {
    pub input: Input,
    /// What matches, in order: node ids in the tree, line numbers in the raw view.
    pub matches: Vec<usize>,
    /// Which of `matches` the cursor is on.
    pub current: usize,
}

impl FindLine {
    /// "2/5", "no match", or nothing for an empty line.
    pub fn position(&self) -> String {
        if self.input.value().is_empty() {
            String::new()
        } else if self.matches.is_empty() {
            "no match".into()
        } else {
            format!("{}/{}", self.current + 1, self.matches.len())
        }
    }
}
