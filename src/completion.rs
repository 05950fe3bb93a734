//! The shell completion scripts, generated from the command-line definition (clap_complete):
//! `tokendesk completions SHELL` prints them, the packages install them, and
//! `assets/completions/` holds the copies the tests keep up to date.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, CompletionShell};

/// The script for `shell`, completing `tokendesk`'s subcommands and options.
pub fn script(shell: CompletionShell) -> String {
    let shell = match shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
    };
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "tokendesk", &mut bytes);
    // The definition is Rust text, so the script is UTF-8.
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_script_completes_the_subcommands_and_their_options() {
        for shell in [
            CompletionShell::Bash,
            CompletionShell::Zsh,
            CompletionShell::Fish,
        ] {
            let script = script(shell);
            for word in ["deactivate", "completions", "acr", "bulk-account"] {
                assert!(script.contains(word), "{shell:?} lacks {word}");
            }
        }
    }
}
