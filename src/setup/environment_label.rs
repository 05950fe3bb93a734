//! The environment label: the few characters that tell a clerk which CRM.COM they are about
//! to change (`PROD-EU`, `TEST`), shown on every screen, in every confirmation and in every
//! command-line prompt. Without a configured label the server's host stands in for it.

use std::fmt;

/// The colours a label may be drawn in. Named, not RGB: a jump host's terminal may know
/// only the sixteen ANSI colours, and these read on dark and light backgrounds alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Colour {
    Red,
    Yellow,
    Green,
    Cyan,
    Blue,
    Magenta,
    White,
}

impl Colour {
    pub const ALL: [Colour; 7] = [
        Colour::Red,
        Colour::Yellow,
        Colour::Green,
        Colour::Cyan,
        Colour::Blue,
        Colour::Magenta,
        Colour::White,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Colour::Red => "red",
            Colour::Yellow => "yellow",
            Colour::Green => "green",
            Colour::Cyan => "cyan",
            Colour::Blue => "blue",
            Colour::Magenta => "magenta",
            Colour::White => "white",
        }
    }

    /// A colour by its name, in any case.
    pub fn parse(name: &str) -> Option<Colour> {
        Colour::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name.trim()))
    }

    /// "red, yellow, green, cyan, blue, magenta or white", for error messages.
    pub fn choices() -> String {
        let names: Vec<&str> = Colour::ALL.iter().map(|c| c.name()).collect();
        let (last, rest) = names.split_last().unwrap_or((&"", &[]));
        format!("{} or {last}", rest.join(", "))
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the console puts at the top of every screen and the command line in its prompts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The profile's label, or the host when it has none.
    pub text: String,
    /// `None`: the theme's ordinary colour.
    pub colour: Option<Colour>,
    /// False when `text` is only the host, standing in for a label nobody configured.
    pub configured: bool,
}

impl Label {
    /// The label to show: the configured one in its colour (red when none is given and the
    /// label says PROD, in any case), else the host in the ordinary colour.
    pub fn resolve(label: Option<&str>, colour: Option<Colour>, host: &str) -> Label {
        match label.map(str::trim).filter(|l| !l.is_empty()) {
            Some(text) => Label {
                text: text.to_owned(),
                colour: colour.or_else(|| {
                    text.to_ascii_uppercase()
                        .contains("PROD")
                        .then_some(Colour::Red)
                }),
                configured: true,
            },
            None => Label {
                text: host.to_owned(),
                colour,
                configured: false,
            },
        }
    }

    /// How a command-line prompt names the server: `PROD-EU (crm.example.com)`, or just the
    /// host when there is no label.
    pub fn place(&self, host: &str) -> String {
        if self.configured && self.text != host {
            format!("{} ({host})", self.text)
        } else {
            host.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prod_labels_are_red_unless_told_otherwise() {
        let prod = Label::resolve(Some("PROD-EU"), None, "crm.example.com");
        assert_eq!(prod.text, "PROD-EU");
        assert_eq!(prod.colour, Some(Colour::Red));
        assert!(prod.configured);
        assert_eq!(
            Label::resolve(Some("eu-prod"), None, "h").colour,
            Some(Colour::Red)
        );
        assert_eq!(
            Label::resolve(Some("PROD-EU"), Some(Colour::Magenta), "h").colour,
            Some(Colour::Magenta)
        );
        assert_eq!(Label::resolve(Some("TEST"), None, "h").colour, None);
        assert_eq!(
            Label::resolve(Some("TEST"), Some(Colour::Green), "h").colour,
            Some(Colour::Green)
        );
    }

    #[test]
    fn without_a_label_the_host_stands_in() {
        for missing in [None, Some(""), Some("   ")] {
            let label = Label::resolve(missing, None, "crm.example.com");
            assert_eq!(label.text, "crm.example.com");
            assert!(!label.configured);
            assert_eq!(label.colour, None);
            assert_eq!(label.place("crm.example.com"), "crm.example.com");
        }
        let prod = Label::resolve(Some("PROD-EU"), None, "crm.example.com");
        assert_eq!(prod.place("crm.example.com"), "PROD-EU (crm.example.com)");
    }

    #[test]
    fn colours_by_name() {
        for colour in Colour::ALL {
            assert_eq!(Colour::parse(colour.name()), Some(colour));
        }
        assert_eq!(Colour::parse(" RED "), Some(Colour::Red));
        assert_eq!(Colour::parse("pink"), None);
        assert_eq!(
            Colour::choices(),
            "red, yellow, green, cyan, blue, magenta or white"
        );
    }
}
