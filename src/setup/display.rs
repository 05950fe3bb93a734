//! What the clerk's terminal can show, decided at start (the palette perhaps once more, when
//! the terminal answers what its background is): colour or not (`--color`,
//! `NO_COLOR`, the config's `color`), and UTF-8 or only ASCII (`--ascii`, the config's
//! `ascii`, the locale), and whether it takes the OSC 52 sequence that copies (`--clipboard`,
//! the config's `clipboard`), and which background its colours are chosen for (`--theme`,
//! the config's `theme`, else the terminal's answer). The console's theme and the mask glyph
//! follow it.

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

/// One of a flag's choices written in the config file, read as clap reads the flag (case
/// aside, spaces around it aside).
pub fn choice<T: ValueEnum>(text: &str) -> Option<T> {
    T::from_str(text.trim(), true).ok()
}

impl ColourChoice {
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

/// `--theme`: which background the console's colours are chosen to read on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ThemeChoice {
    /// The terminal's own background, as it answers when asked (OSC 11); dark until it
    /// answers, and for good if it never does.
    #[default]
    Auto,
    Light,
    Dark,
}

/// The background the colours in force are chosen for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Palette {
    #[default]
    Dark,
    Light,
}

/// A colour as a terminal reports it, each channel scaled to 16 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb {
    pub red: u16,
    pub green: u16,
    pub blue: u16,
}

impl Rgb {
    /// Relative luminance (sRGB, as WCAG defines it): 0 for black, 1 for white.
    fn luminance(self) -> f64 {
        let linear = |channel: u16| {
            let c = f64::from(channel) / f64::from(u16::MAX);
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.red) + 0.7152 * linear(self.green) + 0.0722 * linear(self.blue)
    }

    /// The palette that reads on this background: light above the middle of perceived
    /// lightness (CIE L* 50, a luminance of 0.1842), where dark text stands out more than
    /// light text does.
    pub fn palette(self) -> Palette {
        if self.luminance() > MID_LIGHTNESS {
            Palette::Light
        } else {
            Palette::Dark
        }
    }
}

/// The luminance of CIE L* 50: ((50 + 16) / 116)^3.
const MID_LIGHTNESS: f64 = 0.184_186;

/// How the console draws: the theme is built from this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Display {
    /// Colours; without them bold, reverse and underline carry the same meanings.
    pub colour: bool,
    /// Only ASCII in borders, symbols, the spinner and masks.
    pub ascii: bool,
    /// The theme asked for: a palette, or the terminal's answer.
    pub theme: ThemeChoice,
    /// The palette in force.
    pub palette: Palette,
}

impl Default for Display {
    /// Colour and UTF-8, as most terminals have, on a dark background until the terminal
    /// says otherwise.
    fn default() -> Display {
        Display {
            colour: true,
            ascii: false,
            theme: ThemeChoice::Auto,
            palette: Palette::Dark,
        }
    }
}

impl Display {
    /// The choice made by flags and config (`ascii` only ever switches ASCII on), with the
    /// environment's `NO_COLOR` and locale.
    pub fn resolve(colour: ColourChoice, ascii: bool, theme: ThemeChoice) -> Display {
        let var = |name| std::env::var(name).ok();
        Display {
            colour: colour.colour(var("NO_COLOR").as_deref()),
            ascii: ascii || !utf8_locale(var("LC_ALL"), var("LC_CTYPE"), var("LANG")),
            theme,
            palette: match theme {
                ThemeChoice::Light => Palette::Light,
                ThemeChoice::Auto | ThemeChoice::Dark => Palette::Dark,
            },
        }
    }

    /// Whether the terminal's background colour decides the palette: only under the
    /// `auto` theme, and only in colour, where a palette shows at all.
    pub fn follows_background(self) -> bool {
        self.colour && self.theme == ThemeChoice::Auto
    }

    /// Takes the palette that reads on the terminal's `background`, if the theme follows
    /// it; says whether the palette changed.
    pub fn follow(&mut self, background: Rgb) -> bool {
        if !self.follows_background() {
            return false;
        }
        let before = self.palette;
        self.palette = background.palette();
        self.palette != before
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
        assert_eq!(choice::<ColourChoice>("Never"), Some(ColourChoice::Never));
        assert_eq!(choice::<ColourChoice>("grey"), None);
    }

    fn grey(level: u16) -> Rgb {
        Rgb {
            red: level,
            green: level,
            blue: level,
        }
    }

    /// 8-bit channels as a terminal's 16-bit ones (0x76 is 0x7676).
    fn rgb8(red: u8, green: u8, blue: u8) -> Rgb {
        let wide = |c: u8| u16::from(c) * 257;
        Rgb {
            red: wide(red),
            green: wide(green),
            blue: wide(blue),
        }
    }

    #[test]
    fn a_background_is_light_above_the_middle_of_perceived_lightness() {
        assert_eq!(grey(u16::MAX).palette(), Palette::Light);
        assert_eq!(grey(0).palette(), Palette::Dark);
        // The grey of L* 50 lies between 0x76 (L* 49.6) and 0x77 (L* 50.03).
        assert_eq!(rgb8(0x76, 0x76, 0x76).palette(), Palette::Dark);
        assert_eq!(rgb8(0x77, 0x77, 0x77).palette(), Palette::Light);
        // Solarized's light and dark backgrounds; a saturated blue is dark, a yellow light.
        assert_eq!(rgb8(0xfd, 0xf6, 0xe3).palette(), Palette::Light);
        assert_eq!(rgb8(0x00, 0x2b, 0x36).palette(), Palette::Dark);
        assert_eq!(rgb8(0x00, 0x00, 0xff).palette(), Palette::Dark);
        assert_eq!(rgb8(0xff, 0xff, 0x00).palette(), Palette::Light);
        // Green weighs most, blue least.
        assert_eq!(rgb8(0x00, 0xa0, 0x00).palette(), Palette::Light);
        assert_eq!(rgb8(0x00, 0x00, 0xa0).palette(), Palette::Dark);
    }

    #[test]
    fn only_the_auto_theme_in_colour_follows_the_background() {
        let white = grey(u16::MAX);
        let mut auto = Display::default();
        assert!(auto.follow(white), "dark to light is a change");
        assert_eq!(auto.palette, Palette::Light);
        assert!(!auto.follow(white), "light again is none");
        assert!(auto.follow(grey(0)));
        assert_eq!(auto.palette, Palette::Dark);
        for theme in [ThemeChoice::Dark, ThemeChoice::Light] {
            let mut chosen = Display::resolve(ColourChoice::Always, false, theme);
            let palette = chosen.palette;
            assert!(!chosen.follow(white) && !chosen.follow(grey(0)));
            assert_eq!(chosen.palette, palette, "{theme:?} wins over the answer");
        }
        let mut monochrome = Display {
            colour: false,
            ..Display::default()
        };
        assert!(!monochrome.follows_background());
        assert!(!monochrome.follow(white));
        assert_eq!(
            Display::resolve(ColourChoice::Always, false, ThemeChoice::Light).palette,
            Palette::Light
        );
        assert_eq!(choice::<ThemeChoice>(" Light "), Some(ThemeChoice::Light));
        assert_eq!(choice::<ThemeChoice>("bright"), None);
    }
}
