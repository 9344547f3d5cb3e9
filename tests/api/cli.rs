//! The administration commands of the real binary, on a database of the test's own.

use crate::helpers::Binary;
use phone_verify::sites::{SiteId, SiteLocale, Sites};

/// The binary on a database of the test's own, with the site store beside it.
struct Cli(Binary);

impl Cli {
    fn new() -> Self {
        Self(Binary::new())
    }

    fn run(&self, args: &[&str], stdin: &str) -> std::process::Output {
        self.0.run(args, stdin)
    }

    fn ok(&self, args: &[&str]) -> String {
        self.0.ok(args)
    }

    async fn sites(&self) -> Sites {
        Sites::new(phone_verify::db::Db::connect(&self.0.db_url).await.unwrap())
    }

    /// The site "shop" as stored.
    async fn shop(&self) -> phone_verify::sites::Site {
        let id = SiteId::parse("shop").unwrap();
        self.sites().await.get(&id).await.unwrap()
    }

    /// The site's active secrets as stored, newest first.
    async fn active_secrets(&self, id: &SiteId) -> Vec<String> {
        let secrets = self.sites().await.active_secrets(id).await.unwrap();
        secrets.iter().map(|s| s.expose().to_owned()).collect()
    }
}

fn secret_in(output: &str) -> String {
    output
        .split_whitespace()
        .find(|w| w.starts_with("whsec_"))
        .expect("a secret in the output")
        .to_owned()
}

#[tokio::test]
async fn a_site_is_added_listed_and_its_secret_rotated() {
    let cli = Cli::new();
    let added = cli.ok(&[
        "site",
        "add",
        "shop",
        "--name",
        "Shop",
        "--origin",
        "https://shop.example.com",
        "--callback",
        "https://shop.example.com/verified",
        "--callback",
        "https://shop.example.com/return/*",
        "--color-scheme",
        "dark",
        "--accent",
        "#0A66C2",
        "--max-tries",
        "3",
        "--locale",
        "es",
    ]);
    let first = secret_in(&added);
    let listed = cli.ok(&["site", "list"]);
    assert!(
        listed.contains("shop\tShop\torigins: https://shop.example.com"),
        "{listed}"
    );
    assert!(
        listed.contains("https://shop.example.com/return/*") && listed.contains("secrets: 1"),
        "{listed}"
    );
    assert!(
        listed.contains("locale: es\ttheme: dark #0a66c2\tmax tries: 3, code lifetime: server's"),
        "{listed}"
    );

    let site = cli.shop().await;
    assert!(site.allows_callback("https://shop.example.com/return/7"));
    assert!(!site.allows_callback("https://shop.example.com/other"));

    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = secret_in(&cli.ok(&["site", "rotate-secret", "shop"]));
    assert_ne!(first, second);
    let id = SiteId::parse("shop").unwrap();
    let active = cli.active_secrets(&id).await;
    assert_eq!(active, vec![second.clone(), first]);

    assert!(cli
        .ok(&["site", "revoke-old-secrets", "shop"])
        .contains("revoked 1"));
    let active = cli.active_secrets(&id).await;
    assert_eq!(active, vec![second]);
}

#[test]
fn bad_site_input_is_refused_with_a_message() {
    let cli = Cli::new();
    let add = |option: &'static str, value: &'static str| -> Vec<&'static str> {
        let mut args = vec!["site", "add", "shop", "--name", "X"];
        args.extend(["--callback", "https://x.example.com/cb", option, value]);
        args
    };
    let options = [
        add("--max-tries", "0"),
        add("--code-lifetime", "5"),
        add("--resend-after", "-1"),
        add("--codes-per-day", "0"),
        add("--accent", "red"),
        add("--color-scheme", "sepia"),
        add("--locale", "xx"),
    ];
    let cases: [&[&str]; 4] = [
        &[
            "site",
            "add",
            "Bad Id",
            "--name",
            "X",
            "--callback",
            "https://x.example.com/cb",
        ],
        &[
            "site",
            "add",
            "shop",
            "--name",
            "X",
            "--origin",
            "https://x.example.com/page",
            "--callback",
            "https://x.example.com/cb",
        ],
        &[
            "site",
            "add",
            "shop",
            "--name",
            "X",
            "--callback",
            "https://x.example.com*",
        ],
        &["site", "rotate-secret", "nosuchsite"],
    ];
    for args in cases.into_iter().chain(options.iter().map(Vec::as_slice)) {
        let output = cli.run(args, "");
        assert!(!output.status.success(), "{args:?} succeeded");
        assert!(
            !String::from_utf8_lossy(&output.stderr).trim().is_empty(),
            "{args:?} said nothing"
        );
    }
    cli.ok(&[
        "site",
        "add",
        "shop",
        "--name",
        "X",
        "--callback",
        "https://x.example.com/cb",
    ]);
    let again = cli.run(
        &[
            "site",
            "add",
            "shop",
            "--name",
            "X",
            "--callback",
            "https://x.example.com/cb",
        ],
        "",
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
}

#[test]
fn an_account_is_created_from_a_password_on_standard_input() {
    let cli = Cli::new();
    let output = cli.run(&["account", "set", "shop"], "a-long-password-here\n");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("created account shop"));
    let short = cli.run(&["account", "set", "shop"], "short\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));
    let again = cli.run(&["account", "set", "shop"], "another-long-password\n");
    assert!(String::from_utf8_lossy(&again.stdout).contains("updated account shop"));
}

#[tokio::test]
async fn a_sites_options_change_with_set_and_the_rest_stays() {
    let cli = Cli::new();
    cli.0.add_shop(&["--locale", "es", "--max-tries", "3"]);
    cli.ok(&[
        "site",
        "set",
        "shop",
        "--accent",
        "#112233",
        "--resend-after",
        "60",
        "--abuse",
        "site.per-day=250",
        "--abuse",
        "country.allow=ee,lv",
        "--webhook-blocked",
        "--allow-totp",
    ]);
    let site = cli.shop().await;
    assert_eq!(site.locale.as_str(), "es");
    cli.ok(&["site", "set", "shop", "--locale", "auto"]);
    assert_eq!(cli.shop().await.locale, SiteLocale::Auto);
    cli.ok(&["site", "set", "shop", "--locale", "es"]);
    let site = cli.shop().await;
    assert_eq!(site.theme.accent.unwrap().as_str(), "#112233");
    assert_eq!(site.pin_limits.max_tries, Some(3));
    assert_eq!(site.pin_limits.resend_after_seconds, Some(60));
    assert_eq!(
        site.abuse_rules,
        serde_json::json!({"site": {"per-day": 250}, "country": {"allow": ["EE", "LV"]}})
    );
    assert!(site.webhook_blocked);
    assert!(site.allow_totp);

    cli.ok(&["site", "set", "shop", "--allow-totp", "false"]);
    let site = cli.shop().await;
    assert!(!site.allow_totp);

    for args in [
        &["site", "set", "nosuchsite", "--locale", "en"][..],
        &["site", "set", "shop", "--max-tries", "50"],
        &["site", "set", "shop", "--abuse", "site.per-day=0"],
        &["site", "set", "shop", "--abuse", "ip.per-year=3"],
    ] {
        let output = cli.run(args, "");
        assert!(!output.status.success(), "{args:?} succeeded");
        assert!(!output.stderr.is_empty(), "{args:?} said nothing");
    }
}

/// Standard error of a failed run.
fn failure(output: std::process::Output) -> String {
    assert!(!output.status.success());
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_start_that_fails_says_why_one_cause_a_line_without_a_backtrace() {
    let cli = Binary::new();
    // A URL of a database the server does not speak: refused by name (never read as a
    // folder called "mysql:"), its password not repeated; RUST_BACKTRACE, as developers set
    // it, brings no backtrace.
    let said = failure(cli.run_with_env(
        &["serve"],
        &[
            ("DATABASE_URL", "mysql://root:s3cret@127.0.0.1:3306/verify"),
            ("RUST_BACKTRACE", "1"),
        ],
    ));
    assert!(
        said.starts_with(
            "error: cannot start the server\n  because: the database URL is a \"mysql\" URL, \
             and this server stores in SQLite or PostgreSQL: set DATABASE_URL"
        ),
        "{said}"
    );
    assert!(
        !said.contains("s3cret") && !said.to_lowercase().contains("backtrace"),
        "{said}"
    );
    assert!(!std::path::Path::new("mysql:").exists());

    // A PostgreSQL server that is not there: where, and the system's reason, never the
    // password.
    let said = failure(cli.run_with_env(
        &["serve"],
        &[(
            "DATABASE_URL",
            "postgres://verify:s3cret@127.0.0.1:9/verify",
        )],
    ));
    assert!(
        said.contains("  because: cannot connect to PostgreSQL at 127.0.0.1:9/verify\n  because: "),
        "{said}"
    );
    assert!(!said.contains("s3cret"), "{said}");

    // A database that cannot be reached: the folder, and the system's reason.
    let said = failure(cli.run_with_env(
        &["serve"],
        &[(
            "DATABASE_URL",
            "sqlite:///proc/no-such-folder/phone-verify.db",
        )],
    ));
    assert!(
        said.contains(
            "  because: cannot create the database folder /proc/no-such-folder\n  because: "
        ),
        "{said}"
    );

    // A broken Leptos table: the file, the key and what is wrong with it.
    let text = std::fs::read_to_string(crate::helpers::project_file("Leptos.toml")).unwrap();
    let config = std::env::temp_dir().join(format!("broken-{}.toml", uuid::Uuid::new_v4()));
    std::fs::write(
        &config,
        text.replace(
            r#"site-addr = "127.0.0.1:3000""#,
            r#"site-addr = "nowhere""#,
        ),
    )
    .unwrap();
    let broken = Binary {
        config: config.clone(),
        ..Binary::new()
    };
    let said = failure(broken.run(&["site", "list"], ""));
    std::fs::remove_file(&config).unwrap();
    assert!(
        said.starts_with("error: bad [package.metadata.leptos] table in "),
        "{said}"
    );
    assert!(
        said.contains("\n  because: ") && said.contains("site-addr"),
        "{said}"
    );
}

#[test]
fn logs_written_to_a_file_carry_no_colour_codes_and_can_be_json() {
    let cli = Binary::new();
    let plain = cli.run_with_env(&["site", "list"], &[("RUST_LOG", "debug")]);
    let log = String::from_utf8_lossy(&plain.stderr);
    assert!(log.lines().count() > 3, "{log}");
    assert!(
        !log.contains('\u{1b}'),
        "colour codes in a log that is not a terminal"
    );
    let json = cli.run_with_env(
        &["site", "list"],
        &[("RUST_LOG", "debug"), ("PHONE_VERIFY_LOG_FORMAT", "json")],
    );
    for line in String::from_utf8_lossy(&json.stderr).lines() {
        let event: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
        assert!(
            event["level"].is_string() && event["timestamp"].is_string(),
            "{line}"
        );
    }
}

#[test]
fn precompress_writes_the_copies_on_a_build_machine_without_the_servers_secrets() {
    let root = std::env::temp_dir().join(format!("site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    let script: String = (0..100)
        .map(|i| format!("export const v{i} = {i};\n"))
        .collect();
    std::fs::write(root.join("pkg/app.js"), &script).unwrap();
    let site_root = root.display().to_string();
    // Production mode, on the shipped settings: the server itself would refuse to start.
    let output = Binary::new().run_with_env(
        &["precompress"],
        &[("LEPTOS_ENV", "PROD"), ("LEPTOS_SITE_ROOT", &site_root)],
    );
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(said.contains("2 compressed copies written"), "{said}");
    assert!(root.join("pkg/app.js.br").is_file());
    assert!(root.join("pkg/app.js.gz").is_file());
    std::fs::remove_dir_all(root).unwrap();
}
