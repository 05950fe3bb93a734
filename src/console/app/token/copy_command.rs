//! `$` (and `Ctrl-x` in a question, where `$` may be typed): the `tokendesk …` command line
//! for what is on screen, copied as the other copies are (`Effect::Copy`): the token on
//! screen (`show CODE`), the results' list (`list --acr N`), or in a confirmation the
//! command that would do the same action. The command line's own rule builds it
//! (`cli::shell_line`); nothing secret is in it.

use crate::api::Action;
use crate::cli::shell_line::{Shown, command_line};
use crate::console::app::msg::Effect;
use crate::console::app::questions::confirm::Confirm;
use crate::console::app::questions::question::Prompt;
use crate::console::app::state::{App, Screen, Tone};
use crate::keys::{Command, Key};

const LABEL: &str = "the command line";

impl App {
    /// The command line of the screen: the token's `show`, or the results' `list`.
    pub(in crate::console::app) fn screen_command(&self) -> Result<(String, String), String> {
        let shown = match self.screen {
            Screen::Token => {
                let token = self.token.as_ref().ok_or("Open a token first.")?;
                let code = token.summary.authentication_code.as_deref().ok_or(
                    "This token has no authentication code; a command line would need its pass code, which is never copied.",
                )?;
                command_line(&self.reach, &Shown::Token { code })
            }
            _ => {
                let results = self.results.as_ref().ok_or("No list is on screen.")?;
                command_line(
                    &self.reach,
                    &Shown::List {
                        owner: &results.query.owner,
                    },
                )
            }
        };
        shown
            .map(|line| (LABEL.to_owned(), line))
            .map_err(|why| format!("No command line to copy: {}", why.0))
    }

    /// Whether `key` in `prompt` copies the command line: `$` while it is answered by a
    /// key, Ctrl-x always. While a line is typed into (the reason, a delete's number or
    /// count) a character is text, so only the typed confirmation's keys count there.
    pub(in crate::console::app) fn copies_command(&self, prompt: &dyn Prompt, key: Key) -> bool {
        matches!(
            self.keymap.command(&[prompt.context()], key),
            Some(Command::CopyCommand | Command::CopyCommandInQuestion)
        )
    }

    /// The question's own hint for the status bar: the keys that copy its command line,
    /// as they work now ("$ or Ctrl-x", or only Ctrl-x while an answer is typed).
    pub(in crate::console::app) fn question_hint(&self, prompt: &dyn Prompt) -> Option<String> {
        let context = prompt.context();
        let keys: Vec<String> = [Command::CopyCommand, Command::CopyCommandInQuestion]
            .into_iter()
            .filter_map(|command| self.keymap.key_for(context, command))
            .map(|key| key.to_string())
            .collect();
        (!keys.is_empty()).then(|| {
            format!(
                "{} copies the command line that would do it.",
                keys.join(" or ")
            )
        })
    }

    pub(in crate::console::app) fn copy_confirmed_command(
        &mut self,
        confirm: &Confirm,
        effects: &mut Vec<Effect>,
    ) {
        let Some(code) = confirm.token.authentication_code.as_deref() else {
            return self.notify(
                Tone::Warning,
                "This token has no authentication code; a command line would need its pass code, which is never copied.",
            );
        };
        let built = command_line(
            &self.reach,
            &Shown::Act {
                action: confirm.action,
                code,
            },
        );
        self.copy_built(built, effects);
    }

    /// The batch on the marked tokens: on every token of the list (`--acr N`) when all of
    /// them are marked, else on the marked codes, read from standard input.
    pub(in crate::console::app) fn copy_batch_command(
        &mut self,
        action: Action,
        effects: &mut Vec<Effect>,
    ) {
        let Some(results) = &self.results else { return };
        let whole_list = results.total == Some(results.marked.len());
        let built = if whole_list {
            command_line(
                &self.reach,
                &Shown::ActOnList {
                    action,
                    owner: &results.query.owner,
                },
            )
        } else {
            let codes: Vec<String> = results
                .marked
                .values()
                .filter_map(|summary| summary.authentication_code.clone())
                .collect();
            command_line(
                &self.reach,
                &Shown::ActOnCodes {
                    action,
                    codes: &codes,
                },
            )
        };
        self.copy_built(built, effects);
    }

    fn copy_built(
        &mut self,
        built: Result<String, crate::cli::shell_line::Unwritable>,
        effects: &mut Vec<Effect>,
    ) {
        match built {
            Ok(line) => self.put_on_clipboard(LABEL.to_owned(), line, effects),
            Err(why) => self.notify(Tone::Warning, format!("No command line to copy: {}", why.0)),
        }
    }
}
