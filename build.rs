//! Names the commit and the date of a build for `tokendesk --version`.
//!
//! Lenient on purpose: without git, or outside a repository (a source tarball), the line says
//! "unknown commit" and the build goes on. The date is `SOURCE_DATE_EPOCH` when it is set,
//! else the commit's own date, never the clock's: two builds of one commit say the same.
//! The script reruns only when HEAD moves (or the variable changes), not on every build.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, UNIX_EPOCH};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");

    let commit = head_commit();
    if let Some(head) = &commit {
        for file in files_that_move_with_head(&head.git_dir, &head.common_dir) {
            println!("cargo:rerun-if-changed={}", file.display());
        }
    }

    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|text| text.trim().parse::<u64>().ok())
        .or(commit.as_ref().map(|head| head.time));
    let commit_text = match &commit {
        Some(head) => format!("commit {}", head.short_hash),
        None => "unknown commit".to_owned(),
    };
    let date_text = match epoch {
        Some(seconds) => format!("built {}", utc_date(seconds)),
        None => "build date unknown".to_owned(),
    };
    println!("cargo:rustc-env=TOKENDESK_BUILD_COMMIT={commit_text}");
    println!("cargo:rustc-env=TOKENDESK_BUILD_DATE={date_text}");
}

/// What git says of HEAD, with where its files are.
struct Head {
    short_hash: String,
    time: u64,
    /// This checkout's git directory: `.git`, or `.git/worktrees/NAME` for a worktree (whose
    /// `.git` is a file pointing there).
    git_dir: PathBuf,
    /// Where the refs live (the main repository's `.git` for a worktree).
    common_dir: PathBuf,
}

fn git(args: &[&str]) -> Option<String> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let output = Command::new("git")
        .args(args)
        .current_dir(&manifest_dir)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8(output.stdout)
        .ok()
        .map(|text| text.trim().to_owned())
}

fn head_commit() -> Option<Head> {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    // Only this crate's own repository: a tarball unpacked inside some other repository
    // must not take that repository's commit for its own.
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != manifest_dir.canonicalize().ok()? {
        return None;
    }
    // Relative to the crate when git gives them so (git before 2.31 has no absolute form).
    let dirs = git(&["rev-parse", "--git-dir", "--git-common-dir"])?;
    let mut dirs = dirs.lines().map(|dir| manifest_dir.join(dir));
    let (git_dir, common_dir) = (dirs.next()?, dirs.next()?);
    let shown = git(&["show", "--no-patch", "--format=%H %ct", "HEAD"])?;
    let (hash, time) = shown.split_once(' ')?;
    if hash.len() < 12 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    Some(Head {
        short_hash: hash[..12].to_owned(),
        time: time.trim().parse().ok()?,
        git_dir,
        common_dir,
    })
}

/// HEAD itself, and the branch file it points to: a commit rewrites the branch's file
/// (or, when the branch is only in `packed-refs`, creates it in `refs/heads`). Only files
/// that exist are named, since cargo reruns on every build for a missing one.
fn files_that_move_with_head(git_dir: &Path, common_dir: &Path) -> Vec<PathBuf> {
    let head = git_dir.join("HEAD");
    let mut files = vec![head.clone()];
    let branch = std::fs::read_to_string(&head)
        .ok()
        .and_then(|text| text.strip_prefix("ref: ").map(|r| r.trim().to_owned()));
    if let Some(branch) = branch {
        let loose = common_dir.join(&branch);
        if loose.is_file() {
            files.push(loose);
        } else {
            files.push(common_dir.join("packed-refs"));
            files.extend(loose.parent().map(Path::to_path_buf));
        }
    }
    files.retain(|file| file.exists());
    files
}

/// `2026-12-05` for seconds since the epoch, in UTC.
fn utc_date(seconds: u64) -> String {
    let stamp = humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(seconds));
    stamp.to_string().chars().take(10).collect()
}
