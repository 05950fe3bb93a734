//! What `cargo xtask dist` needs to know of an x86_64 ELF executable, read from its section
//! headers: the shared libraries it needs, the symbol versions it needs of them (what
//! `objdump -T` shows as GLIBC_2.17), and whether a symbol table is left in it.
//!
//! Bounded on purpose: every offset is checked against the file, and every list walked is
//! capped by its own count, so a damaged or hostile file is an error, never a panic or a loop.

use std::fmt;

const SHT_SYMTAB: u32 = 2;
const SHT_DYNAMIC: u32 = 6;
const SHT_GNU_VERNEED: u32 = 0x6fff_fffe;
const DT_NULL: u64 = 0;
const DT_NEEDED: u64 = 1;
const EM_X86_64: u16 = 62;
/// More entries than any real executable has; a count above it is a damaged file.
const MAX_ENTRIES: usize = 100_000;

/// The facts read from one executable.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Executable {
    /// DT_NEEDED: e.g. `libc.so.6`.
    pub needed: Vec<String>,
    /// Each needed library with the symbol versions needed of it: `("libc.so.6", "GLIBC_2.17")`.
    pub version_needs: Vec<(String, String)>,
    /// A `.symtab` is there: the file was not stripped.
    pub has_symbol_table: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub struct ElfError(pub String);

impl fmt::Display for ElfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn damaged(what: &str) -> ElfError {
    ElfError(format!("not a readable x86_64 ELF file: {what}"))
}

/// Little-endian reads that fail, rather than panic, past the end.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn slice(&self, at: u64, len: u64) -> Result<&[u8], ElfError> {
        let start = usize::try_from(at).map_err(|_| damaged("an offset out of range"))?;
        let len = usize::try_from(len).map_err(|_| damaged("a size out of range"))?;
        start
            .checked_add(len)
            .and_then(|end| self.0.get(start..end))
            .ok_or_else(|| damaged("it ends before a part it points to"))
    }

    fn u16(&self, at: u64) -> Result<u16, ElfError> {
        let b = self.slice(at, 2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&self, at: u64) -> Result<u32, ElfError> {
        let b = self.slice(at, 4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&self, at: u64) -> Result<u64, ElfError> {
        let b = self.slice(at, 8)?;
        let mut word = [0; 8];
        word.copy_from_slice(b);
        Ok(u64::from_le_bytes(word))
    }

    /// The NUL-terminated string at `at` within the string table `table`.
    fn string(&self, table: &Section, at: u64) -> Result<String, ElfError> {
        let text = self.slice(table.offset, table.size)?;
        let start = usize::try_from(at).map_err(|_| damaged("a string out of range"))?;
        let rest = text
            .get(start..)
            .ok_or_else(|| damaged("a string past its table"))?;
        let end = rest
            .iter()
            .position(|&b| b == 0)
            .ok_or_else(|| damaged("a string without its end"))?;
        Ok(String::from_utf8_lossy(&rest[..end]).into_owned())
    }
}

#[derive(Clone, Copy, Debug)]
struct Section {
    kind: u32,
    offset: u64,
    size: u64,
    link: u32,
    info: u32,
}

/// Reads the facts of an x86_64 little-endian ELF64 file.
pub fn read(file: &[u8]) -> Result<Executable, ElfError> {
    let bytes = Bytes(file);
    if bytes.slice(0, 4)? != b"\x7fELF" {
        return Err(damaged("no ELF magic"));
    }
    if bytes.slice(4, 2)? != [2, 1] {
        return Err(damaged("not 64-bit little-endian"));
    }
    if bytes.u16(18)? != EM_X86_64 {
        return Err(damaged("not for x86_64"));
    }
    let section_table = bytes.u64(0x28)?;
    let entry_size = u64::from(bytes.u16(0x3a)?);
    let count = usize::from(bytes.u16(0x3c)?);
    if entry_size < 64 {
        return Err(damaged("section headers too small"));
    }
    let mut sections = Vec::with_capacity(count);
    for index in 0..count as u64 {
        let at = section_table
            .checked_add(index * entry_size)
            .ok_or_else(|| damaged("a section header out of range"))?;
        sections.push(Section {
            kind: bytes.u32(at + 4)?,
            offset: bytes.u64(at + 24)?,
            size: bytes.u64(at + 32)?,
            link: bytes.u32(at + 40)?,
            info: bytes.u32(at + 44)?,
        });
    }
    let linked = |section: &Section| {
        sections
            .get(section.link as usize)
            .copied()
            .ok_or_else(|| damaged("a section linked to one that is not there"))
    };

    let mut executable = Executable {
        has_symbol_table: sections.iter().any(|s| s.kind == SHT_SYMTAB),
        ..Executable::default()
    };
    for section in &sections {
        match section.kind {
            SHT_DYNAMIC => {
                executable.needed = needed(&bytes, section, &linked(section)?)?;
            }
            SHT_GNU_VERNEED => {
                executable.version_needs = version_needs(&bytes, section, &linked(section)?)?;
            }
            _ => {}
        }
    }
    Ok(executable)
}

/// The DT_NEEDED entries of the dynamic section.
fn needed(bytes: &Bytes, dynamic: &Section, strings: &Section) -> Result<Vec<String>, ElfError> {
    let mut names = Vec::new();
    let entries = (dynamic.size / 16).min(MAX_ENTRIES as u64);
    for index in 0..entries {
        let at = dynamic.offset + index * 16;
        match bytes.u64(at)? {
            DT_NULL => break,
            DT_NEEDED => names.push(bytes.string(strings, bytes.u64(at + 8)?)?),
            _ => {}
        }
    }
    Ok(names)
}

/// The version needs: a chain of libraries (`sh_info` of them), each with a chain of versions.
fn version_needs(
    bytes: &Bytes,
    verneed: &Section,
    strings: &Section,
) -> Result<Vec<(String, String)>, ElfError> {
    let mut needs = Vec::new();
    let mut at = verneed.offset;
    let end = verneed
        .offset
        .checked_add(verneed.size)
        .ok_or_else(|| damaged("the version needs out of range"))?;
    for _ in 0..(verneed.info as usize).min(MAX_ENTRIES) {
        if at >= end {
            return Err(damaged("a version need past its section"));
        }
        let versions = usize::from(bytes.u16(at + 2)?);
        let library = bytes.string(strings, u64::from(bytes.u32(at + 4)?))?;
        let mut aux = at + u64::from(bytes.u32(at + 8)?);
        for _ in 0..versions {
            let name = bytes.string(strings, u64::from(bytes.u32(aux + 8)?))?;
            needs.push((library.clone(), name));
            if needs.len() > MAX_ENTRIES {
                return Err(damaged("too many version needs"));
            }
            aux += u64::from(bytes.u32(aux + 12)?);
        }
        let next = u64::from(bytes.u32(at + 12)?);
        if next == 0 {
            break;
        }
        at += next;
    }
    Ok(needs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `.dynamic` entries naming `libraries`, then the DT_NULL that ends them.
    fn needing<'a>(libraries: &[&'a str]) -> Vec<(u64, &'a str)> {
        let mut entries: Vec<(u64, &str)> = libraries.iter().map(|l| (DT_NEEDED, *l)).collect();
        entries.push((DT_NULL, ""));
        entries
    }

    /// A small ELF64 file made in the test: `.dynstr`, `.dynamic` with the `dynamic` entries
    /// (a DT_NEEDED names a library, any other tag has the value 0), `.gnu.version_r` with
    /// `needs`, and a `.symtab` when `symbols`.
    fn made_elf(dynamic: &[(u64, &str)], needs: &[(&str, &[&str])], symbols: bool) -> Vec<u8> {
        let mut dynstr = vec![0u8];
        let name_at = |name: &str, dynstr: &mut Vec<u8>| {
            let at = dynstr.len() as u32;
            dynstr.extend_from_slice(name.as_bytes());
            dynstr.push(0);
            at
        };
        let entries = dynamic;
        let mut dynamic = Vec::new();
        for (tag, library) in entries {
            let value = match *tag {
                DT_NEEDED => u64::from(name_at(library, &mut dynstr)),
                _ => 0,
            };
            dynamic.extend_from_slice(&tag.to_le_bytes());
            dynamic.extend_from_slice(&value.to_le_bytes());
        }
        let mut verneed = Vec::new();
        for (index, (library, versions)) in needs.iter().enumerate() {
            let file = name_at(library, &mut dynstr);
            let last = index + 1 == needs.len();
            let size = 16 + 16 * versions.len() as u32;
            verneed.extend_from_slice(&1u16.to_le_bytes());
            verneed.extend_from_slice(&(versions.len() as u16).to_le_bytes());
            verneed.extend_from_slice(&file.to_le_bytes());
            verneed.extend_from_slice(&16u32.to_le_bytes());
            verneed.extend_from_slice(&(if last { 0 } else { size }).to_le_bytes());
            for (v, version) in versions.iter().enumerate() {
                let name = name_at(version, &mut dynstr);
                let last_version = v + 1 == versions.len();
                verneed.extend_from_slice(&0u32.to_le_bytes());
                verneed.extend_from_slice(&0u16.to_le_bytes());
                verneed.extend_from_slice(&0u16.to_le_bytes());
                verneed.extend_from_slice(&name.to_le_bytes());
                verneed.extend_from_slice(&(if last_version { 0u32 } else { 16 }).to_le_bytes());
            }
        }

        // Header (64 bytes), then the three or four sections' contents, then their headers.
        let mut file = vec![0u8; 64];
        file[..4].copy_from_slice(b"\x7fELF");
        file[4] = 2;
        file[5] = 1;
        file[18..20].copy_from_slice(&EM_X86_64.to_le_bytes());
        let mut headers: Vec<(u32, u64, u64, u32, u32)> = vec![(0, 0, 0, 0, 0)];
        let mut place = |kind: u32, body: &[u8], link: u32, info: u32, file: &mut Vec<u8>| {
            headers.push((kind, file.len() as u64, body.len() as u64, link, info));
            file.extend_from_slice(body);
        };
        place(3, &dynstr, 0, 0, &mut file);
        place(SHT_DYNAMIC, &dynamic, 1, 0, &mut file);
        place(SHT_GNU_VERNEED, &verneed, 1, needs.len() as u32, &mut file);
        if symbols {
            place(SHT_SYMTAB, &[0; 24], 1, 0, &mut file);
        }
        let table = file.len() as u64;
        file[0x28..0x30].copy_from_slice(&table.to_le_bytes());
        file[0x3a..0x3c].copy_from_slice(&64u16.to_le_bytes());
        file[0x3c..0x3e].copy_from_slice(&(headers.len() as u16).to_le_bytes());
        for (kind, offset, size, link, info) in headers {
            let mut header = [0u8; 64];
            header[4..8].copy_from_slice(&kind.to_le_bytes());
            header[24..32].copy_from_slice(&offset.to_le_bytes());
            header[32..40].copy_from_slice(&size.to_le_bytes());
            header[40..44].copy_from_slice(&link.to_le_bytes());
            header[44..48].copy_from_slice(&info.to_le_bytes());
            file.extend_from_slice(&header);
        }
        file
    }

    #[test]
    fn the_needed_libraries_and_their_versions_are_read() {
        let file = made_elf(
            &needing(&["libc.so.6", "libm.so.6"]),
            &[
                ("libm.so.6", &["GLIBC_2.2.5"]),
                ("libc.so.6", &["GLIBC_2.3", "GLIBC_2.17", "GLIBC_2.14"]),
            ],
            false,
        );
        assert_eq!(
            read(&file),
            Ok(Executable {
                needed: vec!["libc.so.6".into(), "libm.so.6".into()],
                version_needs: vec![
                    ("libm.so.6".into(), "GLIBC_2.2.5".into()),
                    ("libc.so.6".into(), "GLIBC_2.3".into()),
                    ("libc.so.6".into(), "GLIBC_2.17".into()),
                    ("libc.so.6".into(), "GLIBC_2.14".into()),
                ],
                has_symbol_table: false,
            })
        );
    }

    #[test]
    fn a_symbol_table_is_noticed() {
        let file = made_elf(&needing(&["libc.so.6"]), &[], true);
        assert!(read(&file).is_ok_and(|e| e.has_symbol_table));
    }

    #[test]
    fn every_cut_short_file_is_an_error_not_a_panic() {
        let file = made_elf(
            &needing(&["libc.so.6"]),
            &[("libc.so.6", &["GLIBC_2.17"])],
            true,
        );
        // The last 16 bytes (the last header's alignment and entry size) are never read.
        for length in 0..file.len() - 16 {
            assert!(read(&file[..length]).is_err(), "cut at {length}");
        }
        assert!(read(&file[..file.len() - 16]).is_ok());
    }

    #[test]
    fn other_files_are_refused() {
        let mut file = made_elf(&needing(&[]), &[], false);
        file[18] = 183; // aarch64
        assert!(read(&file).is_err());
        let mut file = made_elf(&needing(&[]), &[], false);
        file[0x3a] = 32; // section headers of 32 bytes: a 32-bit layout, or damage
        assert_eq!(
            read(&file).map_err(|e| e.to_string()),
            Err("not a readable x86_64 ELF file: section headers too small".to_owned())
        );
        assert!(read(b"#!/bin/sh\necho hello\n").is_err());
    }

    #[test]
    fn a_version_chain_that_points_at_itself_ends() {
        let mut file = made_elf(&needing(&[]), &[("libc.so.6", &["GLIBC_2.17"])], false);
        // Claim a million libraries; the chain's own `next` of 0 ends it after one.
        let verneed_header = file.len() - 64;
        file[verneed_header + 44..verneed_header + 48].copy_from_slice(&1_000_000u32.to_le_bytes());
        assert_eq!(read(&file).map(|e| e.version_needs.len()), Ok(1));
    }

    #[test]
    fn the_dynamic_entries_end_at_dt_null_or_at_the_end_of_their_section() {
        // Linkers pad .dynamic with DT_NULLs; what follows the first one is not read.
        let padded = made_elf(
            &[
                (DT_NEEDED, "libc.so.6"),
                (DT_NULL, ""),
                (DT_NEEDED, "libssl.so.3"),
            ],
            &[],
            false,
        );
        assert_eq!(
            read(&padded).map(|e| e.needed),
            Ok(vec!["libc.so.6".to_owned()])
        );
        // Without a DT_NULL, the section's own size ends the walk: here it holds only the
        // first entry, and what follows it in the file is not read.
        let mut unended = made_elf(&needing(&["libc.so.6", "libssl.so.3"]), &[], false);
        let header = section_header(&unended, SHT_DYNAMIC);
        unended[header + 32..header + 40].copy_from_slice(&16u64.to_le_bytes());
        assert_eq!(
            read(&unended).map(|e| e.needed),
            Ok(vec!["libc.so.6".to_owned()])
        );
    }

    /// Where the header of the first section of `kind` is, in a file made by `made_elf`.
    fn section_header(file: &[u8], kind: u32) -> usize {
        let bytes = Bytes(file);
        let table = bytes.u64(0x28).expect("header");
        (0..u64::from(bytes.u16(0x3c).expect("count")))
            .map(|i| table + i * 64)
            .find(|at| bytes.u32(at + 4) == Ok(kind))
            .expect("the section is there") as usize
    }

    /// Where the contents of the first section of `kind` are.
    fn section_offset(file: &[u8], kind: u32) -> usize {
        let header = section_header(file, kind) as u64;
        Bytes(file).u64(header + 24).expect("offset") as usize
    }

    #[test]
    fn a_version_chain_looping_on_itself_is_capped_at_a_hundred_thousand_needs() {
        let looping = |count: u16| {
            let mut file = made_elf(
                &needing(&[]),
                &[
                    ("libc.so.6", &["GLIBC_2.17"]),
                    ("libm.so.6", &["GLIBC_2.2.5"]),
                ],
                false,
            );
            // Each library claims `count` versions, and its one version's `next` of 0 makes
            // the walk read that same version again and again.
            let verneed = section_offset(&file, SHT_GNU_VERNEED);
            for library in [verneed, verneed + 32] {
                file[library + 2..library + 4].copy_from_slice(&count.to_le_bytes());
            }
            read(&file).map(|e| e.version_needs.len())
        };
        assert_eq!(looping(50_000), Ok(100_000));
        assert_eq!(looping(50_001), Err(damaged("too many version needs")));
    }

    #[test]
    fn this_test_binary_is_read_as_objdump_reads_it() {
        let Ok(path) = std::env::current_exe() else {
            return;
        };
        let Ok(file) = std::fs::read(&path) else {
            return;
        };
        let executable = read(&file).expect("the test binary is an ELF file");
        assert!(executable.needed.iter().any(|n| n == "libc.so.6"));
        assert!(
            executable
                .version_needs
                .iter()
                .any(|(_, v)| v == "GLIBC_2.2.5")
        );
    }
}
