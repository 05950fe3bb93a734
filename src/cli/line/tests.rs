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
