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
            words.push(crate::audit::action_name(*action).into());
            positional(&mut words, code);
        }
        Shown::ActOnList { action, owner } => {
            words.push(crate::audit::action_name(*action).into());
            owner_option(&mut words, owner);
        }
        Shown::ActOnCodes { action, codes } => {
            if let Some(code) = codes.iter().find(|c| c.contains(['\n', '\r'])) {
                return Err(Unwritable(format!(
                    "the code {} holds a line break, so it cannot be a line of a batch's input.",
                    quote(code)
                )));
            }
            words.push(crate::audit::action_name(*action).into());
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

/// The option `id` of the command line's definition, as typed: `--url`.
fn flag(id: &str) -> String {
    let command = super::args::command();
    let long = std::iter::once(&command)
        .chain(command.get_subcommands())
        .flat_map(|c| c.get_arguments())
        .find(|a| a.get_id() == id)
        .and_then(|a| a.get_long())
        .map_or_else(|| id.replace('_', "-"), str::to_owned);
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
fn quote(text: &str) -> String {
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
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::args::{Cli, Command, TokenCommand};

    /// The words a POSIX shell makes of `line` (bare words and single quotes, which is all
    /// `quote` writes), and the here-document's lines after the first line, if any.
    fn shell_words(line: &str) -> (Vec<String>, Vec<String>) {
        let (first, body) = match line.split_once('\n') {
            Some((first, body)) => (first, body.lines().map(str::to_owned).collect()),
            None => (line, Vec::new()),
        };
        let mut words = Vec::new();
        let mut word: Option<String> = None;
        let mut quoted = false;
        let mut escaped = false;
        for c in first.chars() {
            if escaped {
                word.get_or_insert_with(String::new).push(c);
                escaped = false;
                continue;
            }
            match c {
                '\'' => {
                    quoted = !quoted;
                    word.get_or_insert_with(String::new);
                }
                ' ' if !quoted => words.extend(word.take()),
                '\\' if !quoted => escaped = true,
                c => word.get_or_insert_with(String::new).push(c),
            }
        }
        words.extend(word);
        // `<<'END'` is the shell's, not the command's.
        if let Some(at) = words.iter().position(|w| w.starts_with("<<")) {
            words.truncate(at);
        }
        (words, body)
    }

    fn parsed(line: &str) -> Cli {
        let (words, _) = shell_words(line);
        Cli::try_parse_from(&words).unwrap_or_else(|e| panic!("{line:?} does not parse: {e}"))
    }

    fn reach() -> Reach {
        Reach {
            demo: false,
            profile: Some("prod".into()),
            url: Some("https://crm.example.com/crmapi/rest/v2".into()),
            username: Some("jdoe".into()),
            organisation: Some("ACME".into()),
            unit: None,
            read_only: false,
        }
    }

    #[test]
    fn show_names_the_server_and_the_code_and_parses_back_the_same() {
        let line = command_line(
            &reach(),
            &Shown::Token {
                code: "99021047380",
            },
        )
        .expect("built");
        assert_eq!(
            line,
            "tokendesk --profile prod --url https://crm.example.com/crmapi/rest/v2 --username jdoe --organisation ACME show 99021047380"
        );
        let cli = parsed(&line);
        assert_eq!(cli.connection.profile.as_deref(), Some("prod"));
        assert_eq!(cli.connection.username.as_deref(), Some("jdoe"));
        match cli.command {
            Some(Command::Token(TokenCommand::Show { token, .. })) => {
                assert_eq!(token.code.as_deref(), Some("99021047380"));
                assert_eq!(token.pass_code, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_demo_and_read_only_are_kept_and_nothing_secret_is_there_to_keep() {
        let demo = Reach {
            demo: true,
            read_only: true,
            ..Reach::default()
        };
        let line = command_line(&demo, &Shown::Token { code: "c" }).expect("built");
        assert_eq!(line, "tokendesk --demo --read-only show c");
        let cli = parsed(&line);
        assert!(cli.connection.demo && cli.connection.read_only);
    }

    #[test]
    fn hostile_values_are_one_word_each_and_mean_what_they_say() {
        for hostile in [
            "it's",
            "$(rm -rf ~)",
            "`id`",
            "a b;c|d&e",
            "'; echo owned; '",
            "-x",
            "--demo",
            "\\n",
            "",
            "ñ*?[a]",
        ] {
            let owner = ListOwner::AccountsReceivable(hostile.into());
            let shown = [
                Shown::Token { code: hostile },
                Shown::List { owner: &owner },
                Shown::Act {
                    action: Action::Delete,
                    code: hostile,
                },
                Shown::ActOnList {
                    action: Action::Deactivate,
                    owner: &owner,
                },
            ];
            let mut reach = reach();
            reach.organisation = Some(hostile.into());
            for shown in shown {
                let line = command_line(&reach, &shown).expect("built");
                assert!(!line.contains('\n'), "{line}");
                let cli = parsed(&line);
                assert_eq!(
                    cli.connection.organisation.as_deref(),
                    Some(hostile),
                    "{line}"
                );
                let (code, acr) = match cli.command {
                    Some(Command::Token(TokenCommand::Show { token, .. })) => (token.code, None),
                    Some(Command::Token(TokenCommand::List { owner, .. })) => (None, owner.acr),
                    Some(Command::Token(TokenCommand::Delete(args))) => (args.target.code, None),
                    Some(Command::Token(TokenCommand::Deactivate(args))) => (None, args.target.acr),
                    other => panic!("{line}: {other:?}"),
                };
                assert_eq!(
                    code.or(acr).as_deref(),
                    Some(hostile),
                    "{line} means {hostile:?}"
                );
            }
        }
    }

    #[test]
    fn a_batch_of_marked_codes_is_a_here_document_no_code_can_end_early() {
        let codes: Vec<String> = ["99021047380", "END_OF_CODES", "$(id)", "it's"]
            .map(str::to_owned)
            .to_vec();
        let line = command_line(
            &reach(),
            &Shown::ActOnCodes {
                action: Action::Activate,
                codes: &codes,
            },
        )
        .expect("built");
        let (words, body) = shell_words(&line);
        let cli = Cli::try_parse_from(&words).expect("parses");
        match cli.command {
            Some(Command::Token(TokenCommand::Activate(args))) => {
                assert_eq!(args.target.from.as_deref(), Some(std::path::Path::new("-")));
                assert!(!args.yes, "it asks, as on any terminal");
            }
            other => panic!("{other:?}"),
        }
        let first = line.lines().next().expect("a first line");
        assert!(first.ends_with(" <<'END_OF_CODES_'"), "{first}");
        assert_eq!(body.last().map(String::as_str), Some("END_OF_CODES_"));
        assert_eq!(
            body[..body.len() - 1],
            codes[..],
            "every code a line, as it is"
        );
        let broken = vec!["a\nrm -rf ~".to_owned()];
        assert!(
            command_line(
                &reach(),
                &Shown::ActOnCodes {
                    action: Action::Delete,
                    codes: &broken,
                },
            )
            .is_err()
        );
    }

    #[test]
    fn quoting_leaves_plain_words_alone() {
        assert_eq!(quote("ACR0000000069"), "ACR0000000069");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
    }
}
