//! The shell completion scripts, generated from the command-line definition (clap_complete):
//! `tokendesk completions SHELL` prints them, the packages install them, and
//! `assets/completions/` holds the copies the tests keep up to date.

use clap::ValueEnum;
use clap_complete::Shell;

use crate::cli::args::CompletionShell;

/// The script for `shell`, completing `tokendesk`'s subcommands and options.
pub fn script(shell: CompletionShell) -> String {
    let shell = match shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
    };
    let mut bytes = Vec::new();
    clap_complete::generate(
        shell,
        &mut crate::cli::args::command(),
        "tokendesk",
        &mut bytes,
    );
    // The definition is Rust text, so the script is UTF-8.
    let mut script = String::from_utf8_lossy(&bytes).into_owned();
    if shell == Shell::Fish {
        // clap_complete's fish script offers file names for a value given without an
        // option; `tokendesk completions` takes one of the shells.
        let shells: Vec<String> = CompletionShell::value_variants()
            .iter()
            .filter_map(|s| s.to_possible_value())
            .map(|value| value.get_name().to_owned())
            .collect();
        script.push_str(&format!(
            "complete -c tokendesk -n \"__fish_tokendesk_using_subcommand completions\" -f -a \"{}\"\n",
            shells.join(" ")
        ));
    }
    script
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

    #[test]
    fn fish_is_told_the_shells_completions_takes() {
        let fish = script(CompletionShell::Fish);
        assert!(fish.ends_with(
            "complete -c tokendesk -n \"__fish_tokendesk_using_subcommand completions\" -f -a \"bash zsh fish\"\n"
        ));
        assert!(fish.contains("function __fish_tokendesk_using_subcommand"));
    }
}
