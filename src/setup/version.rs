//! What `tokendesk --version` says: the version, the commit and date of the build (from
//! `build.rs`), and whether this is the build for old jump hosts, made by `cargo xtask dist`
//! with `TOKENDESK_GLIBC_BASELINE` set, which links against glibc 2.17 and runs on any later one.

/// The version line, after the program's name.
pub const LINE: &str = match option_env!("TOKENDESK_GLIBC_BASELINE") {
    Some(_) => concat!(
        env!("CARGO_PKG_VERSION"),
        " (",
        env!("TOKENDESK_BUILD_COMMIT"),
        ", ",
        env!("TOKENDESK_BUILD_DATE"),
        "; the jump-host build, for glibc 2.17 and later)"
    ),
    None => concat!(
        env!("CARGO_PKG_VERSION"),
        " (",
        env!("TOKENDESK_BUILD_COMMIT"),
        ", ",
        env!("TOKENDESK_BUILD_DATE"),
        "; a local build, for the glibc it was built with)"
    ),
};
