//! What the shipped binary must be, checked from its ELF facts: no glibc symbol version above
//! the baseline (2.17 runs on RHEL 7 and everything later), only glibc's own libraries (no
//! OpenSSL, nothing a jump host may lack), stripped, and small enough to copy around.

use crate::elf::Executable;

/// The oldest glibc the binary must run on.
pub const GLIBC_BASELINE: [u32; 2] = [2, 17];
/// The budget of the binary (README, BENCHMARKS.md): 8 MB.
pub const MAX_SIZE: u64 = 8_000_000;
/// Libraries every glibc system has; anything else (libssl, libcrypto, ...) is refused.
const GLIBC_LIBRARIES: [&str; 8] = [
    "libc.so.6",
    "libm.so.6",
    "libpthread.so.0",
    "libdl.so.2",
    "librt.so.1",
    "libutil.so.1",
    "libgcc_s.so.1",
    "ld-linux-x86-64.so.2",
];

/// `GLIBC_2.17` -> `[2, 17]`; `GLIBC_PRIVATE` and other names -> `None`.
pub fn glibc_version(name: &str) -> Option<Vec<u32>> {
    let number = name.strip_prefix("GLIBC_")?;
    number.split('.').map(|part| part.parse().ok()).collect()
}

/// The highest glibc version the binary needs, as written (`GLIBC_2.17`).
pub fn highest_glibc(executable: &Executable) -> Option<&str> {
    executable
        .version_needs
        .iter()
        .filter_map(|(_, name)| glibc_version(name).map(|v| (v, name.as_str())))
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, name)| name)
}

/// Every way the binary falls short, one sentence each; empty when it is fit to ship.
pub fn problems(executable: &Executable, size: u64) -> Vec<String> {
    let mut problems = Vec::new();
    let baseline = GLIBC_BASELINE.to_vec();
    let baseline_text = format!("GLIBC_{}.{}", GLIBC_BASELINE[0], GLIBC_BASELINE[1]);
    for (library, name) in &executable.version_needs {
        match glibc_version(name) {
            Some(version) if version > baseline => problems.push(format!(
                "it needs {name} of {library}, newer than {baseline_text}: it would not start on older jump hosts"
            )),
            Some(_) => {}
            None if name.starts_with("GLIBC_") => problems.push(format!(
                "it needs {name} of {library}, which no glibc promises to keep"
            )),
            None => {}
        }
    }
    for library in &executable.needed {
        if !GLIBC_LIBRARIES.contains(&library.as_str()) {
            problems.push(format!(
                "it needs {library}, which is not part of glibc (no OpenSSL or other library may be needed)"
            ));
        }
    }
    if executable.needed.is_empty() {
        problems.push("it needs no libc.so.6: not the dynamically linked glibc build".to_owned());
    }
    if executable.has_symbol_table {
        problems.push("it still has its symbol table: it was not stripped".to_owned());
    }
    if size > MAX_SIZE {
        problems.push(format!("it is {size} bytes, over the budget of {MAX_SIZE}"));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn executable(needed: &[&str], versions: &[&str]) -> Executable {
        Executable {
            needed: needed.iter().map(|n| n.to_string()).collect(),
            version_needs: versions
                .iter()
                .map(|v| ("libc.so.6".to_owned(), v.to_string()))
                .collect(),
            has_symbol_table: false,
        }
    }

    #[test]
    fn versions_compare_as_numbers_not_text() {
        assert_eq!(glibc_version("GLIBC_2.17"), Some(vec![2, 17]));
        assert_eq!(glibc_version("GLIBC_2.2.5"), Some(vec![2, 2, 5]));
        assert_eq!(glibc_version("GLIBC_PRIVATE"), None);
        assert_eq!(glibc_version("GCC_3.0"), None);
        let fine = executable(
            &["libc.so.6"],
            &["GLIBC_2.2.5", "GLIBC_2.17", "GLIBC_2.3.4"],
        );
        assert_eq!(highest_glibc(&fine), Some("GLIBC_2.17"));
        assert_eq!(problems(&fine, 6_000_000), Vec::<String>::new());
    }

    #[test]
    fn a_symbol_newer_than_the_baseline_is_refused() {
        let new = executable(&["libc.so.6"], &["GLIBC_2.17", "GLIBC_2.34"]);
        assert_eq!(highest_glibc(&new), Some("GLIBC_2.34"));
        let found = problems(&new, 1);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("GLIBC_2.34"), "{found:?}");
        // 2.18 is above 2.17 (and 2.9 below it, as numbers).
        assert_eq!(
            problems(&executable(&["libc.so.6"], &["GLIBC_2.18"]), 1).len(),
            1
        );
        assert!(problems(&executable(&["libc.so.6"], &["GLIBC_2.9"]), 1).is_empty());
        assert_eq!(
            problems(&executable(&["libc.so.6"], &["GLIBC_PRIVATE"]), 1).len(),
            1
        );
        // Versions of other libraries (libgcc_s's GCC_3.0) are not glibc's to judge.
        assert!(problems(&executable(&["libc.so.6"], &["GCC_3.0", "GLIBC_2.17"]), 1).is_empty());
    }

    #[test]
    fn openssl_unstripped_and_oversized_binaries_are_refused() {
        let ssl = executable(&["libc.so.6", "libssl.so.3"], &["GLIBC_2.17"]);
        assert!(problems(&ssl, 1)[0].contains("libssl.so.3"));
        let mut unstripped = executable(&["libc.so.6"], &[]);
        unstripped.has_symbol_table = true;
        assert_eq!(problems(&unstripped, 1).len(), 1);
        assert_eq!(
            problems(&executable(&["libc.so.6"], &[]), MAX_SIZE + 1).len(),
            1
        );
        assert_eq!(
            problems(&executable(&["libc.so.6"], &[]), MAX_SIZE).len(),
            0
        );
        assert_eq!(problems(&executable(&[], &[]), 1).len(), 1);
    }
}
