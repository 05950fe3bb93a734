//! Names the commit tokendesk is built from, and its date, for `tokendesk --version`.
//!
//! Lenient on purpose: without git, or outside a git checkout (a source tarball), the version
//! says "unknown commit" and the build goes on. The date is `SOURCE_DATE_EPOCH` when set, else
//! the commit's date, never the clock: two builds of one commit are the same.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, UNIX_EPOCH};

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).filter(|c| !c.is_empty());
    if commit.is_some() {
        watch_head();
    }
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .or_else(|| git(&["log", "-1", "--format=%ct", "HEAD"]))
        .and_then(|text| text.trim().parse::<u64>().ok());
    let commit = commit.map_or_else(|| "unknown commit".to_owned(), |c| format!("commit {c}"));
    let date = epoch.map_or_else(
        || "build date unknown".to_owned(),
        |secs| {
            let time = humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(secs));
            format!("built {}", &time.to_string()[..10])
        },
    );
    println!("cargo::rustc-env=TOKENDESK_BUILD_COMMIT={commit}");
    println!("cargo::rustc-env=TOKENDESK_BUILD_DATE={date}");
}

/// Reruns this script when HEAD moves (a commit, a checkout), and only then: HEAD itself,
/// and the branch's ref file (or, when the ref is packed, the files that may hold it).
fn watch_head() {
    let mut watched = Vec::new();
    watched.extend(git(&["rev-parse", "--git-path", "HEAD"]));
    let branch = git(&["rev-parse", "--symbolic-full-name", "HEAD"]).filter(|r| r != "HEAD");
    if let Some(branch_ref) = branch.and_then(|b| git(&["rev-parse", "--git-path", &b])) {
        if Path::new(&branch_ref).exists() {
            watched.push(branch_ref);
        } else {
            // A packed ref: it moves in packed-refs, or becomes a loose file beside its kin.
            watched.extend(git(&["rev-parse", "--git-path", "packed-refs"]));
            watched.extend(
                Path::new(&branch_ref)
                    .parent()
                    .map(|dir| dir.display().to_string()),
            );
        }
    }
    for path in watched.into_iter().filter(|p| Path::new(p).exists()) {
        println!("cargo::rerun-if-changed={path}");
    }
}

/// The trimmed output of a git command, or `None` when git is missing or says no.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    Some(text.trim().to_owned())
}
