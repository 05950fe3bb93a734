//! Copying to the clerk's clipboard: `y` the selected value, `Y` the selected subtree as
//! pretty JSON (the whole token in the raw view), `c` on the results the selected token's
//! authentication code. What is copied is what is shown: personal data masked unless
//! revealed. The app only asks (`Effect::Copy`); the event loop writes the OSC 52
//! sequence. The status bar names what was copied and its length, never its content.

use serde_json::Value;

use crate::console::app::msg::Effect;
use crate::console::app::state::{App, Screen, Tone};
use crate::console::clipboard;
use crate::keys::Command;

impl App {
    pub(in crate::console::app) fn copy(&mut self, command: Command, effects: &mut Vec<Effect>) {
        let chosen = match (command, self.screen) {
            (Command::CopyCode, Screen::Results) => self.code_to_copy(),
            (Command::Copy | Command::CopyJson, Screen::Token) => {
                self.tree_to_copy(command == Command::CopyJson)
            }
            (Command::CopyCommand, Screen::Token | Screen::Results) => self.screen_command(),
            _ => return,
        };
        match chosen {
            Ok((label, text)) => self.put_on_clipboard(label, text, effects),
            Err(why) => self.notify(Tone::Warning, why),
        }
    }

    /// `text` to the clipboard, the status bar naming `label` and its length.
    pub(in crate::console::app) fn put_on_clipboard(
        &mut self,
        label: String,
        text: String,
        effects: &mut Vec<Effect>,
    ) {
        if !self.copy {
            return self.notify(
                Tone::Warning,
                "Copying is off (--clipboard off, or clipboard = \"off\" in the config file).",
            );
        }
        if clipboard::sequence_len(text.len()) > clipboard::MAX_SEQUENCE_BYTES {
            return self.notify(
                Tone::Warning,
                format!(
                    "Not copied: {label} is {} bytes, more than a terminal takes in one copy (about 75 KB).",
                    text.len()
                ),
            );
        }
        let characters = text.chars().count();
        self.notify(
            Tone::Success,
            format!("Copied {label} ({characters} characters)."),
        );
        effects.push(Effect::Copy { label, text });
    }

    /// The selected token's authentication code, masked if the config masks it: the row
    /// highlighted, in a batch's rows when they are on screen.
    fn code_to_copy(&self) -> Result<(String, String), String> {
        let summary = match &self.batch {
            Some(run) => run.items.get(run.selected).map(|item| item.summary()),
            None => self
                .results
                .as_ref()
                .and_then(|r| r.rows.get(r.selected))
                .map(|row| &row.summary),
        }
        .ok_or("No token is selected.")?;
        let code = summary
            .authentication_code
            .as_deref()
            .ok_or("This token has no authentication code to copy.")?;
        let code = self.mask.show(&["authentication_code"], code, false);
        Ok(("the authentication code".into(), code.into_owned()))
    }

    /// The selected node's value (a branch as JSON), or its subtree as JSON; in the raw
    /// view, the whole token as JSON.
    fn tree_to_copy(&self, as_json: bool) -> Result<(String, String), String> {
        let token = self.token.as_ref().ok_or("Open a token first.")?;
        let revealed = token.tree.revealed();
        let shown = if revealed {
            token.data.clone()
        } else {
            self.mask.json(&token.data)
        };
        if token.raw.is_some() {
            return Ok(("the token as JSON".into(), pretty(&shown)));
        }
        let id = token
            .tree
            .selected()
            .ok_or("There is nothing to copy here.")?;
        let node = token.tree.node(id);
        let value = shown
            .pointer(&token.tree.path(id))
            .ok_or("This field cannot be copied.")?;
        let label = crate::text::sanitize(&node.label).into_owned();
        Ok(match value {
            Value::String(text) if !as_json => (label, text.clone()),
            Value::Null if !as_json => (label, String::new()),
            Value::Number(_) | Value::Bool(_) if !as_json => (label, value.to_string()),
            _ => (format!("{label} as JSON"), pretty(value)),
        })
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}
