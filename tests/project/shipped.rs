//! What ships beside the binary: the manual page and the completions kept in `assets/` are
//! what the binary prints from its command-line definition (`cargo xtask dist` packages the
//! same bytes), bash loads the completion and completes with it, and `--version` names the
//! commit the binary was built from.

use std::path::Path;
use std::process::Command;

const BINARY: &str = env!("CARGO_BIN_EXE_tokendesk");

fn printed(args: &[&str]) -> String {
    let output = Command::new(BINARY)
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "tokendesk {args:?}: {output:?}");
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn kept(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_kept_manual_page_and_completions_are_those_of_the_definition() {
    for (path, args) in [
        ("assets/man/tokendesk.1", &["man"][..]),
        (
            "assets/completions/tokendesk.bash",
            &["completions", "bash"],
        ),
        ("assets/completions/_tokendesk", &["completions", "zsh"]),
        (
            "assets/completions/tokendesk.fish",
            &["completions", "fish"],
        ),
    ] {
        assert!(
            kept(path) == printed(args),
            "{path} is out of date with the command-line definition (src/cli.rs): \
             run `cargo xtask assets` and commit it"
        );
    }
}

#[test]
fn the_manual_page_has_every_subcommand_and_every_option() {
    use clap::CommandFactory;
    let page = printed(&["man"]);
    let cli = tokendesk::cli::args::Cli::command();
    for sub in cli.get_subcommands().filter(|s| s.get_name() != "help") {
        assert!(
            page.contains(&format!(".SS \"tokendesk {}\"", sub.get_name())),
            "no section for {}",
            sub.get_name()
        );
        for arg in sub.get_arguments().chain(cli.get_arguments()) {
            if let Some(long) = arg.get_long() {
                let written = format!("\\-\\-{}", long.replace('-', "\\-"));
                assert!(page.contains(&written), "--{long} is not in the page");
            }
        }
    }
}

#[test]
fn bash_loads_the_completion_and_completes_subcommands_and_options() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/completions/tokendesk.bash");
    // What bash does on Tab: the words so far, then the function the script registered.
    let complete = |words: &str| {
        let output = Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source \"$1\" && complete -p tokendesk && COMP_WORDS=({words}) && \
                 COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)) && COMP_LINE=\"${{COMP_WORDS[*]}}\" && \
                 COMP_POINT=${{#COMP_LINE}} && _tokendesk tokendesk \"${{COMP_WORDS[-1]}}\" && \
                 printf '%s\\n' \"${{COMPREPLY[@]}}\""
            ))
            .arg("bash")
            .arg(&script)
            .output();
        let Ok(output) = output else {
            return None; // no bash on this machine
        };
        assert!(output.status.success(), "{output:?}");
        Some(String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let Some(subcommands) = complete("tokendesk de") else {
        return;
    };
    assert!(
        subcommands.starts_with("complete ")
            && subcommands
                .lines()
                .next()
                .is_some_and(|l| l.ends_with("-F _tokendesk tokendesk")),
        "{subcommands}"
    );
    let offered: Vec<&str> = subcommands.lines().skip(1).collect();
    assert_eq!(offered, ["deactivate", "delete"]);
    let options = complete("tokendesk deactivate --con").unwrap_or_default();
    assert!(options.lines().any(|l| l == "--concurrency"), "{options}");
    let shell = complete("tokendesk completions f").unwrap_or_default();
    assert_eq!(shell.lines().skip(1).collect::<Vec<_>>(), ["fish"]);
}

#[test]
fn the_version_line_names_the_commit() {
    let line = printed(&["--version"]);
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let expected = match &head {
        Some(hash) => format!("(commit {}, built ", &hash[..12]),
        None => "(unknown commit, ".to_owned(),
    };
    assert!(
        line.starts_with(&format!(
            "tokendesk {} {expected}",
            env!("CARGO_PKG_VERSION")
        )),
        "{line}"
    );
    // The build for old jump hosts says so; this one, from `cargo test`, does not.
    assert!(
        line.trim_end()
            .ends_with("a local build, for the glibc it was built with)"),
        "{line}"
    );
    assert_eq!(printed(&["-V"]), line);
}

#[test]
fn fish_completes_subcommands_and_the_shells_of_completions() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/completions/tokendesk.fish");
    let complete = |line: &str| {
        let output = Command::new("fish")
            .arg("-c")
            .arg(format!("source $argv[1]; complete -C'{line}'"))
            .arg(&script)
            .output()
            .ok()?; // no fish on this machine
        assert!(output.status.success(), "{output:?}");
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        Some(
            text.lines()
                .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
                .collect::<Vec<_>>(),
        )
    };
    let Some(subcommands) = complete("tokendesk de") else {
        return;
    };
    assert_eq!(subcommands, ["deactivate", "delete"]);
    assert_eq!(
        complete("tokendesk completions ").unwrap_or_default(),
        ["bash", "fish", "zsh"]
    );
}
