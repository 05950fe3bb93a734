//! The manual page, `tokendesk.1`, generated from the command-line definition (clap_mangen):
//! `tokendesk man` prints it, the packages install it, and `assets/man/tokendesk.1` is the
//! copy the tests keep up to date. One page: each subcommand has a section of its own under
//! COMMANDS, with only its own options (the global ones are under OPTIONS once).

use clap::Command;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use crate::exit;

/// What each exit status means, as README's table says it.
const EXIT_STATUSES: [(u8, &str); 11] = [
    (
        0,
        "Done (also an action whose answer was lost, when the re-read shows it done).",
    ),
    (
        exit::REFUSED,
        "The server refused (not found, wrong life-cycle state, ...), or an action whose answer \
         was lost and the re-read shows it not done.",
    ),
    (
        exit::USAGE,
        "Usage: a missing option, a bad URL, a wrong config file, the console without a \
         terminal.",
    ),
    (
        exit::UNREACHABLE,
        "Could not reach the server, or no usable answer; for an action, the re-read could not \
         tell either, so its outcome is unknown.",
    ),
    (
        exit::AUTHENTICATION,
        "Log-in refused, session expired with no credentials to renew it, or the server refused \
         the new session too.",
    ),
    (
        exit::NOT_CONFIRMED,
        "An action was not confirmed (declined, or no terminal and no --yes).",
    ),
    (exit::READ_ONLY, "Read-only: the action was not sent."),
    (
        exit::NOT_AUDITED,
        "The audit log could not be written: the action was not sent, or nothing was revealed.",
    ),
    (
        exit::TERMINAL_LOST,
        "The console's terminal was lost (the SSH link dropped); nothing is printed.",
    ),
    (
        exit::LIMITED,
        "A list stopped at --limit or at the profile's list_ceiling: it holds more tokens than \
         were printed; a batch on such a list sends nothing.",
    ),
    (
        exit::UNVERIFIABLE,
        "audit --verify found no chain to verify: the log is empty or an older tokendesk wrote it.",
    ),
];

const FILES: [(&str, &str); 4] = [
    (
        "$XDG_CONFIG_HOME/tokendesk/config.toml",
        "The config file: profiles, masks, colours, keys (else ~/.config/tokendesk/config.toml).",
    ),
    (
        "/usr/share/doc/tokendesk/config.example.toml",
        "An example config file that documents every field (installed by the packages).",
    ),
    (
        "$XDG_STATE_HOME/tokendesk/audit.jsonl",
        "The audit log: one JSON line per action, intent first, outcome after \
         (else ~/.local/state/tokendesk/audit.jsonl).",
    ),
    (
        "$XDG_STATE_HOME/tokendesk/tokendesk.log",
        "The diagnostic log, readable by its owner only, never with a password or session token.",
    ),
];

const ENVIRONMENT: [(&str, &str); 3] = [
    (
        "TOKENDESK_PASSWORD",
        "The password for logging in; there is deliberately no option for it.",
    ),
    (
        "TOKENDESK_LOG",
        "How much the diagnostic log says, e.g. debug (default info).",
    ),
    (
        "NO_COLOR",
        "Set and not empty: no colours, unless --color always or the config's color = \"always\".",
    ),
];

/// The whole page, in roff.
pub fn page() -> String {
    // The page names the release, not the commit: it changes with the definition only.
    let mut cli = crate::cli::args::command()
        .version(env!("CARGO_PKG_VERSION"))
        .override_usage("tokendesk [OPTIONS]\ntokendesk [OPTIONS] COMMAND [COMMAND OPTIONS]")
        .disable_help_subcommand(true);
    cli.build();
    let man = Man::new(cli.clone())
        .title("TOKENDESK")
        .manual("User Commands")
        .source(format!("tokendesk {}", env!("CARGO_PKG_VERSION")));

    let pieces = [
        rendered(|w| man.render_title(w)),
        rendered(|w| man.render_name_section(w)),
        rendered(|w| man.render_synopsis_section(w)),
        description(&cli).to_roff(),
        rendered(|w| man.render_options_section(w)),
        commands(&cli),
        items(
            "EXIT STATUS",
            EXIT_STATUSES.map(|(s, m)| (s.to_string(), m)),
        )
        .to_roff(),
        items("FILES", FILES.map(|(f, m)| (f.to_owned(), m))).to_roff(),
        items("ENVIRONMENT", ENVIRONMENT.map(|(v, m)| (v.to_owned(), m))).to_roff(),
    ];
    // Each piece starts with roff's definition of the apostrophe; the page needs it once.
    let mut page = String::new();
    for (index, piece) in pieces.iter().enumerate() {
        for line in piece.lines() {
            let preamble = line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq");
            if index == 0 || !preamble {
                page.push_str(line);
                page.push('\n');
            }
        }
    }
    page
}

/// clap_mangen writes to an `io::Write`; a `Vec` takes every byte, and roff is UTF-8.
fn rendered(render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut bytes = Vec::new();
    render(&mut bytes).expect("a Vec takes every byte");
    String::from_utf8_lossy(&bytes).into_owned()
}

fn description(cli: &Command) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["DESCRIPTION"]);
    roff.text([roman(
        "tokendesk finds a customer's access token on a CRM.COM, shows everything the CRM \
         knows about it, and deactivates, re-activates or deletes it, with a confirmation \
         that names the server and an audit log of every action.",
    )]);
    roff.control("PP", []);
    roff.text([
        roman("The console is a full-screen program for the terminal: "),
        bold("?"),
        roman(" lists every key, "),
        bold("/"),
        roman(" searches, "),
        bold("q"),
        roman(" quits. The commands below do the same work for scripts; "),
        bold("--demo"),
        roman(" runs any of them against the built-in simulator."),
    ]);
    if let Some(after) = cli.get_after_help() {
        roff.control("PP", []);
        roff.text([roman(after.to_string())]);
    }
    roff
}

/// COMMANDS: a section per subcommand with its synopsis and its own options.
fn commands(cli: &Command) -> String {
    let mut out = Roff::new();
    out.control("SH", ["COMMANDS"]);
    let mut text = out.to_roff();
    for sub in cli.get_subcommands().filter(|s| !s.is_hide_set()) {
        let own_only = sub
            .clone()
            .mut_args(|arg| {
                let global = arg.is_global_set() || arg.get_id() == "help";
                arg.hide(global)
            })
            .disable_help_flag(true);
        let man = Man::new(own_only);
        let mut heading = Roff::new();
        heading.control("SS", [format!("tokendesk {}", sub.get_name()).as_str()]);
        if let Some(about) = sub.get_long_about().or(sub.get_about()) {
            heading.text([roman(about.to_string())]);
        }
        heading.control("PP", []);
        text.push_str(&heading.to_roff());
        text.push_str(&without_headings(&rendered(|w| {
            man.render_synopsis_section(w)
        })));
        text.push_str(&without_headings(&rendered(|w| {
            man.render_options_section(w)
        })));
    }
    text
}

/// A section's body without its `.SH` line, to sit inside a subcommand's `.SS`.
fn without_headings(roff: &str) -> String {
    roff.lines()
        .filter(|line| !line.starts_with(".SH"))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// A section of tagged paragraphs: a name in bold, then what it means.
fn items<const N: usize>(title: &str, entries: [(String, &str); N]) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", [title]);
    for (name, meaning) in entries {
        roff.control("TP", []);
        roff.text([bold(name)]);
        roff.text([roman(meaning)]);
    }
    roff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_exit_status_is_explained_once() {
        let statuses: Vec<u8> = EXIT_STATUSES.iter().map(|(s, _)| *s).collect();
        let explained: Vec<u8> = (0..=exit::UNVERIFIABLE).collect();
        assert_eq!(statuses, explained);
    }

    #[test]
    fn the_page_does_not_change_with_the_commit() {
        let page = page();
        assert_eq!(page.matches(".ds Aq").count(), 2, "one preamble: {page}");
        assert!(page.contains("\n.TH TOKENDESK 1"), "{page}");
        assert!(!page.contains(env!("TOKENDESK_BUILD_COMMIT")), "{page}");
    }

    #[test]
    fn each_subcommand_has_a_section_with_its_own_options_only() {
        let page = page();
        for name in [
            "show",
            "list",
            "deactivate",
            "activate",
            "delete",
            "simulate",
            "profiles",
            "audit",
            "man",
            "completions",
        ] {
            assert!(
                page.contains(&format!(".SS \"tokendesk {name}\"")),
                "no section for {name}"
            );
        }
        // --url is global: described once, under OPTIONS.
        assert_eq!(page.matches("\\-\\-url").count(), 1, "{page}");
        assert!(!page.contains("tokendesk\\-show(1)"));
    }
}
