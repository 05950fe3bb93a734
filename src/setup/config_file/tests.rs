use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("/etc/tokendesk/config.toml"))
}

#[test]
fn a_full_profile_is_read() {
    let config = parse(
        r#"
default_profile = "prod"
mask = ["tax_number", " loyalty_pin "]

[profiles.prod]
url = "https://crm.example.com/crmapi/rest/v2"
username = "jdoe"
organisation = "ACME"
unit = "HQ"
password_command = "pass show crm/jdoe"
label = "PROD-EU"
colour = "Magenta"
read_only = true
ca_cert = "acme-ca.pem"
audit_log = "/var/log/tokendesk/jdoe.jsonl"
audit_syslog = "/dev/log"
password_command_timeout = 90
list_ceiling = 250000
recent = false
reason = "required"
reason_pattern = "^INC-[0-9]+$"
idle_lock = "5m"
theme = "light"

[profiles.test]
url = "https://crm-test.example.com"
color = "green"
"#,
    )
    .expect("parses");
    assert_eq!(config.default_profile.as_deref(), Some("prod"));
    assert_eq!(config.mask, ["tax_number", "loyalty_pin"]);
    let prod = config.profile("prod").expect("prod");
    assert_eq!(
        *prod,
        Profile {
            url: Some("https://crm.example.com/crmapi/rest/v2".into()),
            username: Some("jdoe".into()),
            organisation: Some("ACME".into()),
            unit: Some("HQ".into()),
            password_command: Some("pass show crm/jdoe".into()),
            label: Some("PROD-EU".into()),
            colour: Some(Colour::Magenta),
            read_only: true,
            ca_cert: Some(PathBuf::from("/etc/tokendesk/acme-ca.pem")),
            audit_log: Some(PathBuf::from("/var/log/tokendesk/jdoe.jsonl")),
            audit_syslog: Some(PathBuf::from("/dev/log")),
            password_command_timeout: Some(Duration::from_secs(90)),
            list_ceiling: Some(250_000),
            mouse: None,
            theme: Some(ThemeChoice::Light),
            recent: Some(false),
            reason: Some(ReasonRule::Required),
            reason_pattern: Some(ReasonPattern::new("^INC-[0-9]+$").expect("a pattern")),
            idle_lock: Some(Duration::from_secs(300)),
        }
    );
    let test = config.profile("test").expect("test");
    assert_eq!(test.colour, Some(Colour::Green));
    assert!(!test.read_only);
    assert_eq!(test.label, None);
}

#[test]
fn the_example_file_parses() {
    let example = include_str!("../../../assets/config.example.toml");
    let config = parse(example).expect("assets/config.example.toml parses");
    assert_eq!(config.default_profile.as_deref(), Some("test"));
    assert_eq!(config.profiles.keys().collect::<Vec<_>>(), ["prod", "test"]);
    let prod = config.profile("prod").expect("prod");
    assert_eq!(prod.label.as_deref(), Some("PROD-EU"));
    assert_eq!(prod.colour, Some(Colour::Red));
    assert_eq!(config.mask, ["tax_number", "udf_string_3"]);
    assert_eq!(
        config.keymap.hint(
            crate::keys::Context::Actions,
            Command::Act(crate::api::Action::Deactivate)
        ),
        "D"
    );
}

#[test]
fn mouse_is_read_at_the_top_and_per_profile() {
    let config =
        parse("mouse = true\n[profiles.p]\nmouse = false\n[profiles.q]\n").expect("parses");
    assert!(config.mouse);
    assert_eq!(config.profiles["p"].mouse, Some(false));
    assert_eq!(config.profiles["q"].mouse, None);
}

#[test]
fn theme_is_read_at_the_top_and_per_profile_and_a_wrong_one_is_refused() {
    let config =
        parse("theme = \"Dark\"\n[profiles.p]\ntheme = \"auto\"\n[profiles.q]\n").expect("parses");
    assert_eq!(config.theme, Some(ThemeChoice::Dark));
    assert_eq!(config.profiles["p"].theme, Some(ThemeChoice::Auto));
    assert_eq!(config.profiles["q"].theme, None);
    assert_eq!(parse("").expect("parses").theme, None);
    let error = parse("\ntheme = \"solarized\"\n").expect_err("no such theme");
    assert_eq!(error.position, Some((2, 9)), "{error}");
    assert_eq!(
        error.message,
        "theme \"solarized\" is not one of light, dark and auto (auto follows the terminal's background)."
    );
    let error = parse("[profiles.p]\ntheme = \"bright\"\n").expect_err("no such theme");
    assert_eq!(error.position, Some((2, 9)), "{error}");
    assert!(
        error
            .message
            .starts_with("in [profiles.p]: theme \"bright\" is not one of light, dark and auto"),
        "{error}"
    );
}

#[test]
fn color_and_ascii_are_read_and_a_wrong_color_is_refused() {
    let config = parse("color = \"never\"\nascii = true\n").expect("parses");
    assert_eq!(config.colour, Some(ColourChoice::Never));
    assert!(config.ascii);
    let error = parse("\ncolor = \"grey\"\n").expect_err("no such choice");
    assert_eq!(error.position, Some((2, 9)), "{error}");
    assert_eq!(
        error.message,
        "color \"grey\" is not one of auto, always and never."
    );
    let error = parse("\nclipboard = \"tmux\"\n").expect_err("no such choice");
    assert_eq!(error.position, Some((2, 13)), "{error}");
    assert_eq!(
        error.message,
        "clipboard \"tmux\" is not one of osc52 and off."
    );
}

#[test]
fn a_time_limit_and_a_ceiling_must_be_above_zero() {
    let half = parse("[profiles.p]\npassword_command_timeout = 0.5\n").expect("parses");
    assert_eq!(
        half.profile("p").expect("p").password_command_timeout,
        Some(Duration::from_millis(500))
    );
    for (text, said) in [
        (
            "[profiles.p]\npassword_command_timeout = 0\n",
            "password_command_timeout is a number of seconds above 0, like 60.",
        ),
        (
            "[profiles.p]\npassword_command_timeout = -5\n",
            "password_command_timeout is a number of seconds above 0, like 60.",
        ),
        (
            "[profiles.p]\nlist_ceiling = 0\n",
            "list_ceiling is a number of tokens above 0, like 100000.",
        ),
        (
            "[profiles.p]\nlist_ceiling = -1\n",
            "list_ceiling is a number of tokens above 0, like 100000.",
        ),
    ] {
        let error = parse(text).expect_err(text);
        assert_eq!(error.position.map(|(line, _)| line), Some(2), "{error}");
        assert_eq!(error.message, format!("in [profiles.p]: {said}"), "{error}");
    }
}

#[test]
fn reason_and_its_pattern_are_read_and_checked() {
    let config =
        parse("[profiles.p]\nreason = \"required\"\nreason_pattern = \"^[A-Z]+-[0-9]+$\"\n")
            .expect("parses");
    let profile = config.profile("p").expect("p");
    assert_eq!(profile.reason, Some(ReasonRule::Required));
    assert_eq!(
        profile.reason_pattern.as_ref().map(ReasonPattern::written),
        Some("^[A-Z]+-[0-9]+$".to_owned())
    );
    let plain = parse("reason = \"optional\"\n[profiles.p]\n").expect("parses");
    assert_eq!(plain.reason, Some(ReasonRule::Optional));
    assert_eq!(plain.profile("p").expect("p").reason, None);

    let wrong = parse("[profiles.p]\nreason = \"always\"\n").expect_err("no such rule");
    assert_eq!(wrong.position, Some((2, 10)));
    assert_eq!(
        wrong.message,
        "in [profiles.p]: reason \"always\" is not one of off, optional and required."
    );
    let broken = parse("[profiles.p]\nreason = \"optional\"\nreason_pattern = \"^[A-Z+$\"\n")
        .expect_err("not a regular expression");
    assert_eq!(broken.position, Some((3, 18)));
    assert!(
        broken
            .message
            .starts_with("in [profiles.p]: reason_pattern is not a regular expression: "),
        "{broken}"
    );
}

#[test]
fn idle_lock_is_a_duration_at_the_top_and_in_a_profile() {
    let config = parse("idle_lock = \"20s\"\n[profiles.p]\nidle_lock = \"0\"\n[profiles.q]\n")
        .expect("parses");
    assert_eq!(config.idle_lock, Some(Duration::from_secs(20)));
    assert_eq!(
        config.profile("p").expect("p").idle_lock,
        Some(Duration::ZERO)
    );
    assert_eq!(config.profile("q").expect("q").idle_lock, None);
    let wrong = parse("[profiles.p]\nidle_lock = \"soon\"\n").expect_err("not a duration");
    assert_eq!(wrong.position, Some((2, 13)));
    assert_eq!(
        wrong.message,
        "in [profiles.p]: idle_lock \"soon\" is not a duration; write one like \"15m\" or \"30s\", or \"0\" for no lock."
    );
    let top = parse("idle_lock = \"15 parsecs\"\n").expect_err("not a duration");
    assert_eq!(top.position, Some((1, 13)));
}

#[test]
fn an_empty_file_is_no_profiles() {
    let config = parse("").expect("parses");
    assert!(config.profiles.is_empty());
    assert_eq!(config.default_profile, None);
}

#[test]
fn positions_are_lines_and_characters() {
    let text = "a = 1\nβγ = 2\n";
    assert_eq!(line_column(text, 0), (1, 1));
    assert_eq!(line_column(text, 6), (2, 1));
    // after "βγ" (4 bytes): the third character
    assert_eq!(line_column(text, 10), (2, 3));
    assert_eq!(line_column(text, 999), (3, 1));
}

#[test]
fn errors_point_at_the_problem() {
    let error = parse("[profiles.prod]\nurl = \"https://crm.example.com\"\npasword = \"x\"\n")
        .expect_err("unknown key");
    assert_eq!(error.position, Some((3, 1)), "{error}");
    assert!(error.message.contains("pasword"), "{error}");
    let error = parse("[profiles.prod]\nread_only = \"yes\"\n").expect_err("wrong type");
    assert_eq!(error.position, Some((2, 13)), "{error}");
    let error = parse("[profiles.prod]\npassword = \"hunter2\"\n").expect_err("a password");
    assert!(error.message.contains("password_command"), "{error}");
    assert!(!error.to_string().contains("hunter2"), "{error}");
}

#[test]
fn an_unknown_profile_lists_the_real_ones() {
    let config = parse("[profiles.prod]\n[profiles.test]\n").expect("parses");
    let error = config.profile("prd").expect_err("unknown");
    assert_eq!(
        error.to_string(),
        "/etc/tokendesk/config.toml: there is no profile \"prd\"; the profiles are: prod, test."
    );
}
