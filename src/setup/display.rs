//! What the clerk's terminal can show, decided once at start: colour or not (`--color`,
//! `NO_COLOR`, the config's `color`), and UTF-8 or only ASCII (`--ascii`, the config's
//! `ascii`, the locale), and whether it takes the OSC 52 sequence that copies (`--clipboard`,
//! the config's `clipboard`). The console's theme and the mask glyph both follow it.

use clap::ValueEnum;

use crate::mask::Glyph;

/// `--color`: whether the console uses colour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColourChoice {
    /// Colour unless `NO_COLOR` is set and not empty.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColourChoice {
    pub fn parse(text: &str) -> Option<ColourChoice> {
        ColourChoice::from_str(text.trim(), true).ok()
    }

    /// Whether colour is used, given `NO_COLOR`'s value.
    pub fn colour(self, no_colour: Option<&str>) -> bool {
        match self {
            ColourChoice::Always => true,
            ColourChoice::Never => false,
            ColourChoice::Auto => no_colour.is_none_or(str::is_empty),
        }
    }
}

/// `--clipboard`: how copying reaches the clipboard.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ClipboardChoice {
    /// The OSC 52 escape sequence, through SSH and tmux.
    #[default]
    Osc52,
    /// No copying: `y`, `Y` and `c` say it is off.
    Off,
}

impl ClipboardChoice {
    pub fn parse(text: &str) -> Option<ClipboardChoice> {
        ClipboardChoice::from_str(text.trim(), true).ok()
    }
}

/// How the console draws: the theme is built from this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Display {
    /// Colours; without them bold, reverse and underline carry the same meanings.
    pub colour: bool,
    /// Only ASCII in borders, symbols, the spinner and masks.
    pub ascii: bool,
}

impl Default for Display {
    /// Colour and UTF-8, as most terminals have.
    fn default() -> Display {
        Display {
            colour: true,
            ascii: false,
        }
    }
}

impl Display {
    /// The choice made by flags and config (`ascii` only ever switches ASCII on), with the
    /// environment's `NO_COLOR` and locale.
    pub fn resolve(colour: ColourChoice, ascii: bool) -> Display {
        let var = |name| std::env::var(name).ok();
        Display {
            colour: colour.colour(var("NO_COLOR").as_deref()),
            ascii: ascii || !utf8_locale(var("LC_ALL"), var("LC_CTYPE"), var("LANG")),
        }
    }

    /// The mask glyph this terminal can show: stars where it takes only ASCII.
    pub fn mask_glyph(self) -> Glyph {
        if self.ascii {
            Glyph::Ascii
        } else {
            Glyph::Bullets
        }
    }
}

/// Whether the locale is UTF-8. The first of `LC_ALL`, `LC_CTYPE` and `LANG` that is set and
/// not empty decides, as for the C library; none set is the "C" locale, which is ASCII.
pub fn utf8_locale(lc_all: Option<String>, lc_ctype: Option<String>, lang: Option<String>) -> bool {
    let locale = [lc_all, lc_ctype, lang]
        .into_iter()
        .flatten()
        .find(|v| !v.is_empty())
        .unwrap_or_default()
        .to_ascii_lowercase();
    locale.contains("utf-8") || locale.contains("utf8")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    #[test]
    fn the_locale_decides_utf8_as_the_c_library_does() {
        assert!(utf8_locale(None, None, s("en_GB.UTF-8")));
        assert!(utf8_locale(None, None, s("C.utf8")));
        // LC_ALL wins over LANG, LC_CTYPE over LANG; an empty one does not count.
        assert!(!utf8_locale(s("POSIX"), None, s("en_US.UTF-8")));
        assert!(utf8_locale(s(""), s("de_DE.UTF-8"), s("C")));
        assert!(!utf8_locale(None, s("de_DE.ISO-8859-1"), s("de_DE.UTF-8")));
        assert!(!utf8_locale(None, None, None));
    }

    #[test]
    fn no_colour_counts_only_when_not_empty_and_only_for_auto() {
        assert!(ColourChoice::Auto.colour(None));
        assert!(ColourChoice::Auto.colour(Some("")));
        assert!(!ColourChoice::Auto.colour(Some("1")));
        assert!(ColourChoice::Always.colour(Some("1")));
        assert!(!ColourChoice::Never.colour(None));
        assert_eq!(ColourChoice::parse("Never"), Some(ColourChoice::Never));
        assert_eq!(ColourChoice::parse("grey"), None);
    }
}
