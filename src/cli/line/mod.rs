//! The `tokendesk …` command line for what the console shows (`$`): the token on screen,
//! the results' list, or the action a confirmation asks about. Built with the command
//! line's own option names (read from its clap definition, so a renamed option cannot be
//! left behind), quoted for a POSIX shell so that pasting it runs that command and nothing
//! else. It names the server as the console reached it ([`Reach`]), never a password, a
//! session token, a pass code or personal data: a token is named by its authentication
//! code.

use crate::api::{Action, ListOwner};
use crate::setup::reach::Reach;

/// What the command is to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown<'a> {
    /// `show CODE`.
    Token { code: &'a str },
    /// `list --acr N` or `list --rp N`.
    List { owner: &'a ListOwner },
    /// `deactivate CODE` (and the others).
    Act { action: Action, code: &'a str },
    /// A batch on every token of an account or participant: `deactivate --acr N`.
    ActOnList {
        action: Action,
        owner: &'a ListOwner,
    },
    /// A batch on these codes, read from standard input: `deactivate --from - <<'END'`.
    ActOnCodes { action: Action, codes: &'a [String] },
}

/// Why no command line can be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unwritable(pub String);

/// The command line, or why there is none (a code holding a line break cannot be a line of
/// a batch's input).
pub fn command_line(reach: &Reach, shown: &Shown<'_>) -> Result<String, Unwritable> {
    let mut words: Vec<String> = vec!["tokendesk".into()];
    if reach.demo {
        words.push(flag("demo"));
    }
    for (id, value) in [
        ("profile", &reach.profile),
        ("url", &reach.url),
        ("username", &reach.username),
        ("organisation", &reach.organisation),
        ("unit", &reach.unit),
    ] {
        if let Some(value) = value {
            option(&mut words, id, value);
        }
    }
    if reach.read_only {
        words.push(flag("read_only"));
    }
    let mut here_document = None;
    match shown {
        Shown::Token { code } => {
            words.push("show".into());
            positional(&mut words, code);
        }
        Shown::List { owner } => {
            words.push("list".into());
            owner_option(&mut words, owner);
        }
        Shown::Act { action, code } => {
            words.push(subcommand(*action).into());
            positional(&mut words, code);
        }
        Shown::ActOnList { action, owner } => {
            words.push(subcommand(*action).into());
            owner_option(&mut words, owner);
        }
        Shown::ActOnCodes { action, codes } => {
            if let Some(code) = codes.iter().find(|c| c.contains(['\n', '\r'])) {
                return Err(Unwritable(format!(
                    "the code {} holds a line break, so it cannot be a line of a batch's input.",
                    quote(code)
                )));
            }
            words.push(subcommand(*action).into());
            option(&mut words, "from", "-");
            here_document = Some(codes);
        }
    }
    let mut line = words.join(" ");
    if let Some(codes) = here_document {
        // The end marker must be no code's line, or the rest would run as commands.
        let mut end = "END_OF_CODES".to_owned();
        while codes.contains(&end) {
            end.push('_');
        }
        line.push_str(&format!(" <<'{end}'\n"));
        for code in codes.iter() {
            line.push_str(code);
            line.push('\n');
        }
        line.push_str(&end);
    }
    Ok(line)
}

/// The subcommand that takes `action` (a test parses it back).
fn subcommand(action: Action) -> &'static str {
    match action {
        Action::Deactivate => "deactivate",
        Action::Activate => "activate",
        Action::Delete => "delete",
    }
}

/// The option `id` of the command line's definition, as typed: `--url`.
fn flag(id: &str) -> String {
    let long = super::args::command()
        .get_arguments()
        .find(|a| a.get_id() == id)
        .and_then(|a| a.get_long().map(str::to_owned))
        .or_else(|| {
            super::args::command()
                .get_subcommands()
                .flat_map(|s| s.get_arguments().cloned().collect::<Vec<_>>())
                .find(|a| a.get_id() == id)
                .and_then(|a| a.get_long().map(str::to_owned))
        })
        .unwrap_or_else(|| id.replace('_', "-"));
    format!("--{long}")
}

/// `--id VALUE`; `--id=VALUE` when the value starts with `-` (it would read as an option).
fn option(words: &mut Vec<String>, id: &str, value: &str) {
    if value.starts_with('-') && value != "-" {
        words.push(format!("{}={}", flag(id), quote(value)));
    } else {
        words.push(flag(id));
        words.push(quote(value));
    }
}

/// A positional value; after `--` when it starts with `-`.
fn positional(words: &mut Vec<String>, value: &str) {
    if value.starts_with('-') {
        words.push("--".into());
    }
    words.push(quote(value));
}

fn owner_option(words: &mut Vec<String>, owner: &ListOwner) {
    match owner {
        ListOwner::AccountsReceivable(number) => option(words, "acr", number),
        ListOwner::RewardsParticipant(number) => option(words, "rp", number),
    }
}

/// `text` as one word of a POSIX shell: as it is when it holds only characters no shell
/// treats specially, else in single quotes (inside which nothing is special, a `'` written
/// `'\''`).
pub fn quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests;
