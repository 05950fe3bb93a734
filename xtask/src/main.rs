//! `cargo xtask`: builds what tokendesk ships (the alias is in `.cargo/config.toml`).
//!
//! - `cargo xtask dist`: into `dist/`, the binary for x86_64 Linux with glibc 2.17 or later
//!   (cargo-zigbuild with Zig from PyPI), its manual page and completions, a .deb, an .rpm and
//!   SHA256SUMS. It installs the tools it lacks from crates.io and PyPI, checks everything it
//!   made, and stops with the reason when a check fails.
//! - `cargo xtask assets`: writes `assets/man/tokendesk.1` and `assets/completions/*` again
//!   from the command-line definition, after a change to it (`tests/project/shipped.rs` says when).

mod checks;
mod elf;

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// The Rust target; the `.2.17` suffix tells cargo-zigbuild which glibc to link against.
const TARGET: &str = "x86_64-unknown-linux-gnu";
const ZIG_TARGET: &str = "x86_64-unknown-linux-gnu.2.17";
/// Read by `src/version.rs` at build time: `--version` then says this is the 2.17 build.
const BASELINE_VARIABLE: &str = "TOKENDESK_GLIBC_BASELINE";

/// The tools, at the versions this was made with; any installed version is used as it is.
const CARGO_ZIGBUILD: &str = "cargo-zigbuild@0.24.1";
const CARGO_DEB: &str = "cargo-deb@3.8.0";
const CARGO_GENERATE_RPM: &str = "cargo-generate-rpm@0.21.1";
const ZIGLANG: &str = "ziglang==0.17.1";

/// The generated files: where they are kept in the repository, where they go in `dist/`,
/// and the arguments of the binary that prints them.
const GENERATED: [(&str, &str, &[&str]); 4] = [
    ("assets/man/tokendesk.1", "tokendesk.1", &["man"]),
    (
        "assets/completions/tokendesk.bash",
        "completions/tokendesk.bash",
        &["completions", "bash"],
    ),
    (
        "assets/completions/_tokendesk",
        "completions/_tokendesk",
        &["completions", "zsh"],
    ),
    (
        "assets/completions/tokendesk.fish",
        "completions/tokendesk.fish",
        &["completions", "fish"],
    ),
];

/// Where each file must be in the packages.
const DEB_FILES: [&str; 7] = [
    "./usr/bin/tokendesk",
    // cargo-deb compresses manual pages, as Debian wants them.
    "./usr/share/man/man1/tokendesk.1.gz",
    "./usr/share/bash-completion/completions/tokendesk",
    "./usr/share/zsh/vendor-completions/_tokendesk",
    "./usr/share/fish/vendor_completions.d/tokendesk.fish",
    "./usr/share/doc/tokendesk/config.example.toml",
    "./usr/share/doc/tokendesk/copyright",
];
const RPM_FILES: [&str; 7] = [
    "/usr/bin/tokendesk",
    "/usr/share/man/man1/tokendesk.1",
    "/usr/share/bash-completion/completions/tokendesk",
    "/usr/share/zsh/site-functions/_tokendesk",
    "/usr/share/fish/vendor_completions.d/tokendesk.fish",
    "/usr/share/doc/tokendesk/config.example.toml",
    "/usr/share/licenses/tokendesk/LICENSE",
];

/// Why a step failed, as one sentence.
struct Problem(String);

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<elf::ElfError> for Problem {
    fn from(error: elf::ElfError) -> Problem {
        Problem(format!("dist/tokendesk is {error}"))
    }
}

type Outcome<T> = Result<T, Problem>;

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    let outcome = match task.as_deref() {
        Some("dist") => dist(),
        Some("assets") => assets(),
        _ => {
            eprintln!(
                "usage: cargo xtask dist     build dist/: the glibc 2.17 binary, man page, completions, .deb, .rpm, SHA256SUMS\n       \
                 cargo xtask assets   write assets/man and assets/completions again from the command-line definition"
            );
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("xtask: FAILED: {problem}");
            ExitCode::FAILURE
        }
    }
}

/// The repository: the xtask crate's parent.
fn root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

fn step(text: &str) {
    eprintln!("xtask: {text}");
}

/// Runs `command` to the end, its output shown; a failure names it.
fn run(command: &mut Command) -> Outcome<()> {
    let status = command
        .status()
        .map_err(|e| Problem(format!("cannot run {}: {e}", shown(command))))?;
    if status.success() {
        Ok(())
    } else {
        Err(Problem(format!("{} failed ({status})", shown(command))))
    }
}

/// Runs `command` and returns its standard output; `None` when it cannot run or fails.
fn output_of(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

fn shown(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    output_of(Command::new("git").args(args).current_dir(root)).map(|s| s.trim().to_owned())
}

fn read(path: &Path) -> Outcome<Vec<u8>> {
    std::fs::read(path).map_err(|e| Problem(format!("cannot read {}: {e}", path.display())))
}

fn write(path: &Path, bytes: &[u8]) -> Outcome<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Problem(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(path, bytes)
        .map_err(|e| Problem(format!("cannot write {}: {e}", path.display())))
}

/// What `binary ARGS` prints, for the generated files.
fn printed_by(binary: &Path, args: &[&str]) -> Outcome<Vec<u8>> {
    let output = Command::new(binary)
        .args(args)
        .output()
        .map_err(|e| Problem(format!("cannot run {}: {e}", binary.display())))?;
    if !output.status.success() || output.stdout.is_empty() {
        return Err(Problem(format!(
            "{} {} printed nothing ({})",
            binary.display(),
            args.join(" "),
            output.status
        )));
    }
    Ok(output.stdout)
}

fn assets() -> Outcome<()> {
    let root = root();
    run(cargo()
        .args([
            "build",
            "--quiet",
            "--package",
            "tokendesk",
            "--bin",
            "tokendesk",
        ])
        .current_dir(&root))?;
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let binary = target_dir.join("debug/tokendesk");
    for (kept, _, args) in GENERATED {
        write(&root.join(kept), &printed_by(&binary, args)?)?;
        step(&format!("wrote {kept}"));
    }
    Ok(())
}

fn dist() -> Outcome<()> {
    let started = Instant::now();
    let root = root();
    let dist = root.join("dist");
    let version = package_version(&root)?;
    let commit = git(&root, &["rev-parse", "HEAD"]);
    if git(&root, &["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty())
    {
        step(
            "note: the tree has changes not committed; --version names the last commit all the same",
        );
    }
    // The packages' files are dated as the binary is: the commit's date, unless one is given.
    let source_date = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .or_else(|| git(&root, &["log", "-1", "--format=%ct"]));

    tools()?;

    step(&format!("building tokendesk {version} for {ZIG_TARGET}"));
    let mut build = cargo();
    build
        .args([
            "zigbuild",
            "--release",
            "--locked",
            "--package",
            "tokendesk",
        ])
        .args(["--bin", "tokendesk", "--target", ZIG_TARGET])
        .env(BASELINE_VARIABLE, "2.17")
        .current_dir(&root);
    // SOURCE_DATE_EPOCH is not set for the build (build.rs takes the commit's date by
    // itself): the cc crate tracks it, so aws-lc's C would be compiled again for every commit.
    run(&mut build)?;
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let built = target_dir.join(TARGET).join("release/tokendesk");

    if dist.exists() {
        std::fs::remove_dir_all(&dist)
            .map_err(|e| Problem(format!("cannot empty {}: {e}", dist.display())))?;
    }
    let binary = dist.join("tokendesk");
    write(&binary, &read(&built)?)?;
    make_executable(&binary)?;

    let highest = check_binary(&root, &binary)?;
    check_version_line(&binary, commit.as_deref())?;
    generate(&root, &dist, &binary)?;
    check_bash_completion(&dist)?;

    let deb = format!("tokendesk_{version}_amd64.deb");
    let rpm = format!("tokendesk-{version}.x86_64.rpm");
    let mut cargo_deb = cargo();
    cargo_deb
        .args(["deb", "--no-build", "--no-strip", "--package", "tokendesk"])
        .arg("--output")
        .arg(dist.join(&deb))
        .current_dir(&root);
    let mut cargo_rpm = cargo();
    cargo_rpm
        // The root package; its --package names a directory of the workspace.
        .arg("generate-rpm")
        // zstd payloads are beyond the rpm of the oldest hosts (CentOS 7, Amazon Linux 2).
        .args(["--payload-compress", "gzip", "--auto-req", "no"])
        .arg("--output")
        .arg(dist.join(&rpm))
        .current_dir(&root);
    for (package, command) in [(&deb, &mut cargo_deb), (&rpm, &mut cargo_rpm)] {
        step(&format!("packaging {package}"));
        if let Some(date) = &source_date {
            command.env("SOURCE_DATE_EPOCH", date);
        }
        run(command)?;
    }
    check_listing(
        &deb,
        Command::new("dpkg-deb").arg("-c").arg(dist.join(&deb)),
        &DEB_FILES,
        "apt-get install dpkg",
    )?;
    check_listing(
        &rpm,
        Command::new("rpm").arg("-qlp").arg(dist.join(&rpm)),
        &RPM_FILES,
        "apt-get install rpm",
    )?;

    let mut shipped = vec!["tokendesk".to_owned()];
    shipped.extend(GENERATED.iter().map(|(_, name, _)| name.to_string()));
    shipped.extend([deb, rpm]);
    checksums(&dist, &shipped)?;

    eprintln!();
    for name in shipped.iter().chain([&"SHA256SUMS".to_owned()]) {
        let size = std::fs::metadata(dist.join(name))
            .map(|m| m.len())
            .unwrap_or(0);
        eprintln!("  dist/{name:<40} {size:>10} bytes");
    }
    step(&format!(
        "done in {:.0} s: the binary needs at most {highest}, no OpenSSL, stripped, within {} bytes",
        started.elapsed().as_secs_f64(),
        checks::MAX_SIZE
    ));
    Ok(())
}

/// `0.1.0`, from `cargo pkgid` (`path+file:///...#tokendesk@0.1.0` or `...#0.1.0`).
fn package_version(root: &Path) -> Outcome<String> {
    let id = output_of(
        cargo()
            .args(["pkgid", "--package", "tokendesk"])
            .current_dir(root),
    )
    .ok_or_else(|| Problem("cargo pkgid cannot name the tokendesk package".to_owned()))?;
    let tail = id.trim().rsplit(['#', '@']).next().unwrap_or_default();
    if tail.is_empty() || !tail.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(Problem(format!("cannot read the version in {id:?}")));
    }
    Ok(tail.to_owned())
}

/// Installs from crates.io and PyPI what is missing; says in a sentence what it cannot.
fn tools() -> Outcome<()> {
    if output_of(Command::new("rustc").arg("-vV")).is_some_and(|v| !v.contains(TARGET)) {
        let installed = output_of(Command::new("rustup").args(["target", "list", "--installed"]));
        if !installed.is_some_and(|list| list.lines().any(|t| t == TARGET)) {
            return Err(Problem(format!(
                "the Rust target {TARGET} is needed: rustup target add {TARGET}"
            )));
        }
    }
    for (program, package) in [
        ("cargo-zigbuild", CARGO_ZIGBUILD),
        ("cargo-deb", CARGO_DEB),
        ("cargo-generate-rpm", CARGO_GENERATE_RPM),
    ] {
        if output_of(Command::new(program).arg("-V")).is_none() {
            step(&format!("installing {package} from crates.io"));
            run(cargo().args(["install", "--locked", package]))?;
        }
    }
    let zig_on_path = output_of(Command::new("zig").arg("version")).is_some();
    let zig_from_pypi = || output_of(Command::new("python3").args(["-m", "ziglang", "version"]));
    if !zig_on_path && zig_from_pypi().is_none() {
        step(&format!("installing {ZIGLANG} from PyPI"));
        run(Command::new("python3").args(["-m", "pip", "install", "--user", ZIGLANG])).map_err(
            |e| {
                Problem(format!(
                    "{e}; Zig is needed: python3 -m pip install {ZIGLANG}, or zig on PATH"
                ))
            },
        )?;
        if zig_from_pypi().is_none() {
            return Err(Problem(format!(
                "Zig is still not found; python3 -m pip install {ZIGLANG}, or put zig on PATH"
            )));
        }
    }
    Ok(())
}

fn make_executable(path: &Path) -> Outcome<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| Problem(format!("cannot make {} executable: {e}", path.display())))
}

/// The glibc baseline, the libraries, the strip and the size, read from the ELF file, then
/// cross-checked with objdump when it is there, and the dependency tree free of OpenSSL.
/// Returns the highest glibc version needed.
fn check_binary(root: &Path, binary: &Path) -> Outcome<String> {
    let bytes = read(binary)?;
    let executable = elf::read(&bytes)?;
    let problems = checks::problems(&executable, bytes.len() as u64);
    if !problems.is_empty() {
        return Err(Problem(format!(
            "dist/tokendesk is not fit to ship: {}",
            problems.join("; ")
        )));
    }
    let highest = checks::highest_glibc(&executable)
        .ok_or_else(|| Problem("dist/tokendesk needs no glibc version at all".to_owned()))?
        .to_owned();
    step(&format!(
        "dist/tokendesk: {} bytes, needs {}, at most {highest}, stripped",
        bytes.len(),
        executable.needed.join(" ")
    ));

    if let Some(dump) = output_of(Command::new("objdump").arg("-T").arg(binary)) {
        let by_objdump = dump
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .filter_map(|word| checks::glibc_version(word).map(|v| (v, word)))
            .max_by(|a, b| a.0.cmp(&b.0))
            .map(|(_, word)| word.to_owned());
        if by_objdump.as_deref() != Some(highest.as_str()) {
            return Err(Problem(format!(
                "objdump -T finds {by_objdump:?} as the highest glibc version, this reader {highest}"
            )));
        }
        step("objdump -T agrees");
    }

    let tree = output_of(
        cargo()
            .args([
                "tree",
                "--locked",
                "--package",
                "tokendesk",
                "--edges",
                "normal",
            ])
            .args(["--target", TARGET, "--prefix", "none"])
            .current_dir(root),
    )
    .ok_or_else(|| Problem("cargo tree failed".to_owned()))?;
    // openssl-probe only looks for certificate files; the crates that bring OpenSSL are these.
    let brings_openssl = |line: &&str| {
        let name = line.split_whitespace().next().unwrap_or_default();
        matches!(
            name,
            "openssl" | "openssl-sys" | "openssl-src" | "native-tls"
        )
    };
    if let Some(crate_line) = tree.lines().find(brings_openssl) {
        return Err(Problem(format!(
            "the binary's dependencies include OpenSSL: {crate_line}"
        )));
    }
    Ok(highest)
}

/// `--version` names the commit and says it is the glibc 2.17 build.
fn check_version_line(binary: &Path, commit: Option<&str>) -> Outcome<()> {
    let line = String::from_utf8_lossy(&printed_by(binary, &["--version"])?).into_owned();
    let line = line.trim();
    let names_commit = match commit {
        Some(hash) => line.contains(&format!("commit {}", &hash[..hash.len().min(12)])),
        None => line.contains("unknown commit"),
    };
    if !names_commit || !line.contains("glibc 2.17") {
        return Err(Problem(format!(
            "dist/tokendesk --version says {line:?}: not the commit {commit:?} and the glibc 2.17 build"
        )));
    }
    step(line);
    Ok(())
}

/// The manual page and completions, printed by the binary that ships, and the same as the
/// copies kept in `assets/` (which `tests/project/shipped.rs` holds to the definition).
fn generate(root: &Path, dist: &Path, binary: &Path) -> Outcome<()> {
    for (kept, name, args) in GENERATED {
        let printed = printed_by(binary, args)?;
        if read(&root.join(kept))? != printed {
            return Err(Problem(format!(
                "{kept} differs from what the binary prints (tokendesk {}): run cargo xtask assets and commit it",
                args.join(" ")
            )));
        }
        write(&dist.join(name), &printed)?;
    }
    step("man page and completions written, the same as assets/");
    Ok(())
}

/// bash loads the completion and registers it for `tokendesk`.
fn check_bash_completion(dist: &Path) -> Outcome<()> {
    let script = dist.join("completions/tokendesk.bash");
    let Some(registered) = output_of(
        Command::new("bash")
            .arg("-c")
            .arg("source \"$1\" && complete -p tokendesk")
            .arg("bash")
            .arg(&script),
    ) else {
        return Err(Problem(
            "bash cannot load dist/completions/tokendesk.bash".to_owned(),
        ));
    };
    step(&format!("bash: {}", registered.trim()));
    Ok(())
}

/// The package lists every file where it belongs; without the lister, says it was not checked.
fn check_listing(
    package: &str,
    lister: &mut Command,
    expected: &[&str],
    how_to_get: &str,
) -> Outcome<()> {
    let program = lister.get_program().to_string_lossy().into_owned();
    let Some(listing) = output_of(lister) else {
        step(&format!(
            "NOT CHECKED: {package}'s files ({program} is not here: {how_to_get})"
        ));
        return Ok(());
    };
    let paths: Vec<&str> = listing
        .lines()
        .filter_map(|line| line.split_whitespace().last())
        .collect();
    let missing: Vec<&str> = expected
        .iter()
        .filter(|path| !paths.contains(path))
        .copied()
        .collect();
    if !missing.is_empty() {
        return Err(Problem(format!("{package} lacks {}", missing.join(", "))));
    }
    step(&format!("{package}: every file in its place ({program})"));
    Ok(())
}

/// SHA256SUMS in the form `sha256sum -c` reads, then read back by it.
fn checksums(dist: &Path, names: &[String]) -> Outcome<()> {
    let sums = output_of(Command::new("sha256sum").args(names).current_dir(dist))
        .ok_or_else(|| Problem("sha256sum failed (it comes with coreutils)".to_owned()))?;
    write(&dist.join("SHA256SUMS"), sums.as_bytes())?;
    run(Command::new("sha256sum")
        .args(["--check", "--quiet", "SHA256SUMS"])
        .current_dir(dist))?;
    step("SHA256SUMS written and checked");
    Ok(())
}
