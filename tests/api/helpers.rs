//! `TestApp`: the application on port 0, on a clock the test moves, with its own database.

use phone_verify::{
    clock::{Clock, ManualClock},
    server::{Application, Retention, Settings},
    sites::{sign, CallbackRule, SigningSecret, Site, SiteId, Sites},
    verigator::{
        wire::{AuthMethod, ServiceId, UserId},
        Accounts, VerigatorClient,
    },
};
use secrecy::SecretString;
use serde::Deserialize;
use std::{
    io::{BufRead, BufReader, Write},
    path::Path,
    process::{Child, Command, Output, Stdio},
    sync::Arc,
};

/// The widget account configured in `Leptos.toml`.
pub const WIDGET_USERNAME: &str = "widget";
/// Its development password.
pub const WIDGET_PASSWORD: &str = "development-only-password";
/// The phone number tests send codes to.
pub const PHONE: &str = "+37251234567";

/// A running server, its clock, and an HTTP client that does not follow redirects.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub clock: ManualClock,
    pub db_url: String,
    /// The server's retention job, to run a pass when the test says.
    pub retention: Retention,
}

/// Path of a file at the crate's root.
pub fn project_file(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// The header through which tests say which client a request comes from (see [`step_from`]).
pub const CLIENT_HEADER: &str = "x-forwarded-for";

/// The settings of `Leptos.toml`, on a free port and a database of the test's own, behind a
/// "proxy" on loopback: a test may name the client of a request in [`CLIENT_HEADER`].
pub fn test_settings() -> Settings {
    let mut settings = Settings::read(&project_file("Leptos.toml")).expect("Leptos.toml reads");
    settings.server.client_ip.header = CLIENT_HEADER.into();
    settings.server.client_ip.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    settings.leptos.site_addr = "127.0.0.1:0".parse().unwrap();
    settings.leptos.env = leptos::config::Env::DEV;
    settings.database.url = new_database_url();
    settings.verigator.widget_over_http = widget_over_http();
    settings.check().expect("the test settings are sound");
    settings
}

/// The variable that runs the suite with the widget calling the embedded Verigator API over
/// HTTP, as it calls a remote one (`http`); otherwise it calls the engine in process.
pub const TEST_VERIGATOR: &str = "PHONE_VERIFY_TEST_VERIGATOR";

/// Whether [`TEST_VERIGATOR`] asks for HTTP.
pub fn widget_over_http() -> bool {
    match std::env::var(TEST_VERIGATOR).as_deref() {
        Ok("http") => true,
        Ok("" | "local") | Err(_) => false,
        Ok(other) => panic!("{TEST_VERIGATOR}={other}: use http or local"),
    }
}

/// The variable that runs the suite on PostgreSQL: the URL of a server (and a user allowed to
/// create databases), on which each test gets a new database of its own.
pub const TEST_POSTGRES: &str = "PHONE_VERIFY_TEST_POSTGRES";

/// A new, empty database of the test's own: on the PostgreSQL server [`TEST_POSTGRES`] names,
/// else a new SQLite file.
pub fn new_database_url() -> String {
    let name = format!("phone_verify_test_{}", uuid::Uuid::new_v4().simple());
    match std::env::var(TEST_POSTGRES) {
        Ok(server) if !server.is_empty() => create_postgres_database(&server, &name),
        _ => format!(
            "sqlite://{}",
            std::env::temp_dir().join(format!("{name}.db")).display()
        ),
    }
}

/// Creates database `name` on the server at `server`; answers its URL.
fn create_postgres_database(server: &str, name: &str) -> String {
    let created = {
        let (server, name) = (server.to_owned(), name.to_owned());
        // Its own thread and runtime: callers may be inside a test's runtime, or in none.
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                use sqlx::Connection;
                let mut connection = sqlx::PgConnection::connect(&server).await?;
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut connection)
                    .await?;
                connection.close().await
            })?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })
        .join()
        .expect("the database creator does not panic")
    };
    if let Err(error) = created {
        panic!("cannot create a test database on {TEST_POSTGRES}: {error}");
    }
    let mut url = reqwest::Url::parse(server).expect("PHONE_VERIFY_TEST_POSTGRES is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// Starts the application from `Leptos.toml`.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(test_settings()).await
}

/// Starts the application from `settings`.
pub async fn spawn_app_with(settings: Settings) -> TestApp {
    let clock = ManualClock::at(1_700_000_000);
    let db_url = settings.database.url.clone();
    let app = Application::build_with_clock(settings, Arc::new(clock.clone()))
        .await
        .expect("the application builds");
    let address = format!("http://{}", app.local_addr());
    let retention = app.retention();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        address,
        client,
        clock,
        db_url,
        retention,
    }
}

/// A message of the development outbox.
#[derive(Debug, Deserialize)]
pub struct OutboxMessage {
    pub recipient: String,
    pub body: String,
}

impl TestApp {
    /// `GET path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("GET is answered")
    }

    /// Posts a urlencoded form as a browser without JavaScript does.
    pub async fn post_form(&self, path: &str, body: &str) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("referer", format!("{}{path}", self.address))
            .body(body.to_owned())
            .send()
            .await
            .expect("POST is answered")
    }

    /// Calls the `check_phone` server function, as a host's script would.
    pub async fn check_phone(&self, body: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/api/check_phone", self.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .expect("the server function is answered")
    }

    /// The embedded Verigator API's base URL.
    pub fn verigator_url(&self) -> String {
        format!("{}/v1", self.address)
    }

    /// A client of the embedded API with the widget's account.
    pub fn verigator(&self) -> VerigatorClient {
        VerigatorClient::new(
            &self.verigator_url(),
            WIDGET_USERNAME,
            &WIDGET_PASSWORD.to_owned().into(),
        )
        .unwrap()
    }

    /// Creates another API account and answers with a client that uses it.
    pub async fn other_account(&self, username: &str) -> VerigatorClient {
        let password: SecretString = format!("password-of-{username}").into();
        self.set_password_elsewhere(username, &password).await;
        VerigatorClient::new(&self.verigator_url(), username, &password).unwrap()
    }

    /// Creates `username`'s account or sets its password as another process would (the
    /// CLI): this server's memory of passwords has not seen it.
    pub async fn set_password_elsewhere(&self, username: &str, password: &SecretString) {
        let db = phone_verify::db::Db::connect(&self.db_url).await.unwrap();
        Accounts::new(db, Default::default())
            .upsert(username, password, 0)
            .await
            .unwrap();
    }

    /// The development outbox, newest first.
    pub async fn outbox(&self) -> Vec<OutboxMessage> {
        self.get("/dev/outbox.json")
            .await
            .json()
            .await
            .expect("the outbox is JSON")
    }

    /// SMS the development outbox holds for `phone`.
    pub async fn sms_to(&self, phone: &str) -> usize {
        self.outbox()
            .await
            .iter()
            .filter(|m| m.recipient == phone)
            .count()
    }

    /// Rows of `table` in the app's database (the outbox page shows only the newest 50).
    pub async fn rows_in(&self, table: &str) -> i64 {
        let db = phone_verify::db::Db::connect(&self.db_url).await.unwrap();
        phone_verify::db::on_db!(&db, |db| sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {table}"
        ))
        .fetch_one(db)
        .await)
        .unwrap()
    }

    /// The codes the abuse guard counts as sent for `site` today (what `abuse report` shows).
    pub async fn guard_counted(&self, site: &str) -> i64 {
        let db = phone_verify::db::Db::connect(&self.db_url).await.unwrap();
        phone_verify::abuse::Guard::new(db, phone_verify::abuse::Rules::default())
            .report(site, 1, self.clock.unix_seconds())
            .await
            .unwrap()
            .sent
    }

    /// Where the development outbox's SMS went, newest first.
    pub async fn recipients(&self) -> Vec<String> {
        self.outbox()
            .await
            .into_iter()
            .map(|m| m.recipient)
            .collect()
    }

    /// Starts an SMS authentication for `user` (at [`PHONE`]) and answers with its PIN.
    pub async fn send_pin(
        &self,
        client: &VerigatorClient,
        service: ServiceId,
        user: UserId,
    ) -> String {
        let method = client
            .initiate(service, user, AuthMethod::Sms)
            .await
            .unwrap();
        assert_eq!(method, AuthMethod::Sms);
        self.last_pin_to(PHONE).await
    }

    /// The PIN of the newest message to `phone`.
    pub async fn last_pin_to(&self, phone: &str) -> String {
        let messages = self.outbox().await;
        let message = messages
            .iter()
            .find(|m| m.recipient == phone)
            .expect("a message to that phone");
        pin_in(&message.body)
    }
}

/// The PIN of an SMS text, in any language: the last run of digits of its first line.
pub fn pin_in(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or_default();
    let pin = first_line
        .split(|c: char| !c.is_ascii_digit())
        .rfind(|run| !run.is_empty())
        .expect("an SMS with a code");
    pin.to_owned()
}

/// A service named "Shop" with one user, "alice", at [`PHONE`].
pub async fn service_and_user(client: &VerigatorClient) -> (ServiceId, UserId) {
    let service = client
        .create_service("shop.example.com", "Shop")
        .await
        .unwrap();
    let user = client
        .create_user(service.id, "alice", PHONE)
        .await
        .unwrap();
    (service.id, user.id)
}

/// The callback URL of the test site.
pub const CALLBACK: &str = "https://shop.example.com/verified";

/// Adds the site "shop" (webhooks to `webhook_url`, loopback allowed); answers with its secret.
pub async fn add_site(app: &TestApp, webhook_url: Option<&str>) -> SigningSecret {
    create_site(app, shop_site(webhook_url)).await
}

/// Stores `site`; answers with its first secret.
pub async fn create_site(app: &TestApp, site: Site) -> SigningSecret {
    let sites = Sites::new(phone_verify::db::Db::connect(&app.db_url).await.unwrap());
    sites.create(site, app.clock.unix_seconds()).await.unwrap()
}

/// The site "shop", with default options (webhooks to `webhook_url`, loopback allowed).
pub fn shop_site(webhook_url: Option<&str>) -> Site {
    Site {
        embed_origins: vec!["https://shop.example.com".into()],
        callback_urls: vec![CallbackRule::parse(CALLBACK).unwrap()],
        webhook_url: webhook_url.map(str::to_owned),
        allow_private_callbacks: webhook_url.is_some(),
        ..Site::new(
            SiteId::parse("shop").unwrap(),
            "Shop".into(),
            WIDGET_USERNAME.into(),
            WIDGET_PASSWORD.to_owned().into(),
        )
    }
}

/// The query string of a request signed with `secret`, with `extra` parameters (which
/// replace the defaults of the same name).
pub fn signed_query(app: &TestApp, secret: &SigningSecret, extra: &[(&str, &str)]) -> String {
    signed_query_at(secret, app.clock.unix_seconds(), extra)
}

/// The same, signed at `ts` (for a server process on the wall clock).
pub fn signed_query_at(secret: &SigningSecret, ts: i64, extra: &[(&str, &str)]) -> String {
    let ts = ts.to_string();
    let mut pairs: Vec<(String, String)> = [
        ("site", "shop"),
        ("user", "alice@example.com"),
        ("callback_url", CALLBACK),
        ("ts", ts.as_str()),
    ]
    .iter()
    .filter(|(name, _)| !extra.iter().any(|(k, _)| k == name))
    .chain(extra)
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let sig = sign(secret, &pairs);
    pairs.push(("sig".into(), sig));
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// Starts a session; answers with its page path.
pub async fn start(app: &TestApp, secret: &SigningSecret, extra: &[(&str, &str)]) -> String {
    let response = app
        .get(&format!("/verify?{}", signed_query(app, secret, extra)))
        .await;
    assert_eq!(response.status(), 303);
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// The phone step's form, sending a code to `phone` (E.164).
pub fn send_to(phone: &str) -> String {
    format!("step=send_code&phone={}", phone.replace('+', "%2B"))
}

/// Posts a step's form (`step=NAME&field=…`, the step naming its server function) from the
/// session page at `page`, as a browser without JavaScript does; checks the answer is a
/// `303 See Other` back to the page, follows it, and answers with the page's status and HTML.
pub async fn step(app: &TestApp, page: &str, form: &str) -> (u16, String) {
    step_from(app, page, form, None).await
}

/// [`step`] from the client at `client` (through the test's trusted proxy), or from loopback.
pub async fn step_from(
    app: &TestApp,
    page: &str,
    form: &str,
    client: Option<&str>,
) -> (u16, String) {
    let response = step_response(app, page, form, client).await;
    let status = response.status().as_u16();
    let html = response.text().await.unwrap();
    // Whole pages: a browser without JavaScript cannot swap streamed fragments in.
    assert!(!html.contains("Loading…"), "a streamed page: {html}");
    (status, html)
}

/// [`step_from`], answering with the page's whole response (its headers too).
pub async fn step_response(
    app: &TestApp,
    page: &str,
    form: &str,
    client: Option<&str>,
) -> reqwest::Response {
    let redirect = post_step(app, page, form, client).await;
    assert_eq!(redirect.status(), 303, "a step answers See Other");
    let location = redirect.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, page, "a step redirects to its page");
    app.get(&location).await
}

/// Posts a step's form to its server function, as the page's form does; answers with the
/// server function's own answer (a redirect).
pub async fn post_step(
    app: &TestApp,
    page: &str,
    form: &str,
    client: Option<&str>,
) -> reqwest::Response {
    let mut request = step_request(&app.client, &app.address, page, form)
        .header("accept", "text/html")
        .header("referer", format!("{}{page}", app.address));
    if let Some(client) = client {
        request = request.header(CLIENT_HEADER, client);
    }
    request.send().await.expect("POST is answered")
}

/// The POST of a step's form (`step=NAME&…`) from the session page at `page` to its server
/// function on the server at `address`, as the page's form sends it.
pub fn step_request(
    http: &reqwest::Client,
    address: &str,
    page: &str,
    form: &str,
) -> reqwest::RequestBuilder {
    let (step, fields) = step_fields(page, form);
    http.post(format!("{address}/api/step/{step}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(fields)
}

/// The step's name, and the form the page's step form posts: its fields, the session and
/// whether the page is framed.
pub fn step_fields(page: &str, form: &str) -> (String, String) {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(form.as_bytes())
        .into_owned()
        .collect();
    let step = pairs
        .iter()
        .find(|(k, _)| k == "step")
        .map(|(_, v)| v.clone())
        .expect("the form names its step");
    let (frame, session) = page
        .strip_prefix("/embed/")
        .map(|s| ("1", s))
        .or_else(|| page.strip_prefix("/verify/").map(|s| ("0", s)))
        .expect("a session page");
    let fields = form_urlencoded::Serializer::new(String::new())
        .append_pair("session", session)
        .append_pair("frame", frame)
        .extend_pairs(pairs.iter().filter(|(k, _)| k != "step"))
        .finish();
    (step, fields)
}

/// The hidden fields of the return form (the one form that is not a step's), in page order.
pub fn return_fields(html: &str) -> Vec<(String, String)> {
    html.split("<form ")
        .skip(1)
        .filter_map(|form| form.split_once("</form>").map(|(inside, _)| inside))
        .filter(|form| !form.contains(r#"action="/api/step/"#))
        .flat_map(|form| form.split("<input type=\"hidden\" name=\"").skip(1))
        .filter_map(|rest| {
            let (name, rest) = rest.split_once('"')?;
            let value = rest.split_once("value=\"")?.1.split_once('"')?.0;
            Some((
                name.to_owned(),
                value.replace("&amp;", "&").replace("&#x2B;", "+"),
            ))
        })
        .collect()
}

/// The value of field `name` among `fields`.
pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The real `phone-verify` binary, on a database file of the test's own.
pub struct Binary {
    /// The database all its runs share.
    pub db_url: String,
    /// Its configuration file.
    pub config: std::path::PathBuf,
}

impl Binary {
    /// A binary with a new, empty database, on `Leptos.toml`.
    pub fn new() -> Self {
        Self {
            db_url: new_database_url(),
            config: project_file("Leptos.toml"),
        }
    }

    /// A binary configured as in production: `Leptos.toml` with an SMS provider, a password
    /// and a PIN key of its own (run it with [`Binary::run_outside_development`]).
    pub fn in_production() -> Self {
        let text = std::fs::read_to_string(project_file("Leptos.toml")).unwrap();
        let edits = [
            (
                "provider = \"outbox\"",
                "provider = \"twilio\"\n\n[sms.twilio]\naccount-sid = \"AC0123\"\nauth-token = \"token\"\nfrom = \"+15005550006\"",
            ),
            (
                "password = \"development-only-password\"",
                "password = \"a-password-of-production\"",
            ),
            ("pin-key = \"\"", "pin-key = \"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\""),
            (
                "public-url = \"\"",
                "public-url = \"https://verify.example.com\"",
            ),
        ];
        let text = edits.iter().fold(text, |text, (from, to)| {
            assert!(text.contains(from), "Leptos.toml has no {from}");
            text.replacen(from, to, 1)
        });
        let config =
            std::env::temp_dir().join(format!("phone-verify-prod-{}.toml", uuid::Uuid::new_v4()));
        std::fs::write(&config, text).unwrap();
        Self {
            config,
            ..Self::new()
        }
    }

    fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_phone-verify"));
        command
            .env("PHONE_VERIFY_CONFIG", &self.config)
            .env("LEPTOS_ENV", "DEV")
            .env("DATABASE_URL", &self.db_url)
            .env("RUST_LOG", "error");
        command
    }

    /// Runs a command to its end, `stdin` on its standard input.
    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        self.run_command(self.command(), args, stdin)
    }

    /// Runs a command to its end with these environment variables set.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = self.command();
        command.envs(env.iter().copied());
        self.run_command(command, args, "")
    }

    /// Runs a command with `Leptos.toml` as shipped, not in development mode.
    pub fn run_outside_development(&self, args: &[&str]) -> Output {
        let mut command = self.command();
        command.env_remove("LEPTOS_ENV");
        self.run_command(command, args, "")
    }

    fn run_command(&self, mut command: Command, args: &[&str], stdin: &str) -> Output {
        let mut child = command
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// Runs a command that must succeed; answers with its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args, "");
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Adds the site "shop" (callback `CALLBACK`) with `options`; answers with its secret.
    pub fn add_shop(&self, options: &[&str]) -> SigningSecret {
        let mut args = vec![
            "site",
            "add",
            "shop",
            "--name",
            "Shop",
            "--callback",
            CALLBACK,
        ];
        args.extend(options);
        let added = self.ok(&args);
        let secret = added.split_whitespace().find(|w| w.starts_with("whsec_"));
        SigningSecret::parse(secret.expect("a secret in the output")).unwrap()
    }

    /// Starts the server on a free port; answers once it listens.
    pub fn serve(&self) -> ServerProcess {
        self.serve_logging("info")
    }

    /// Starts the server on a free port, logging at `level` (`RUST_LOG`); answers once it
    /// listens, with its log so far and to come.
    pub fn serve_logging(&self, level: &str) -> ServerProcess {
        self.serve_with(level, &[])
    }

    /// The same, with these environment variables set.
    pub fn serve_with(&self, level: &str, env: &[(&str, &str)]) -> ServerProcess {
        let mut child = self
            .command()
            .envs(env.iter().copied())
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", level)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server runs");
        let mut log = BufReader::new(child.stderr.take().unwrap()).lines();
        let address = loop {
            let line = log
                .next()
                .expect("the server logs where it listens")
                .unwrap();
            if let Some(at) = line.find("listening on http://") {
                break line[at + "listening on ".len()..].trim().to_owned();
            }
        };
        // Keep reading, or the server blocks on a full pipe.
        let kept = Arc::new(std::sync::Mutex::new(String::new()));
        let sink = kept.clone();
        std::thread::spawn(move || {
            for line in log.map_while(Result::ok) {
                let mut kept = sink.lock().unwrap();
                kept.push_str(&line);
                kept.push('\n');
            }
        });
        ServerProcess {
            child,
            address,
            log: kept,
        }
    }
}

/// A running server process.
pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// What it logged after it began to listen.
    pub log: Arc<std::sync::Mutex<String>>,
}

impl ServerProcess {
    /// Asks it to stop (SIGTERM), as a service manager does; answers how it exited and how
    /// long it took.
    pub fn terminate(mut self) -> (std::process::ExitStatus, std::time::Duration) {
        let asked = std::time::Instant::now();
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -TERM failed");
        let status = self.child.wait().unwrap();
        (status, asked.elapsed())
    }

    /// Kills it at once (SIGKILL), as a crash or a power cut would.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The value of `name` in a Content-Security-Policy (`frame-ancestors`, `script-src`…).
pub fn csp_directive(policy: &str, name: &str) -> Option<String> {
    policy
        .split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix(name).map(|rest| rest.trim().to_owned()))
        .filter(|_| !name.is_empty())
}

/// An authenticator app on the Verigator user that a first verification by SMS at `phone`
/// gave the site "shop"'s default host user, enrolled and confirmed by the host's backend.
pub struct AuthenticatorApp {
    key: Vec<u8>,
    /// The site's Verigator service.
    pub service: ServiceId,
    /// The host user's Verigator user.
    pub user: UserId,
}

impl AuthenticatorApp {
    /// Verifies `phone` by SMS in a session of its own, then enrols and confirms an app.
    pub async fn after_sms(app: &TestApp, secret: &SigningSecret, phone: &str) -> Self {
        let first = start(app, secret, &[("state", "first")]).await;
        step(app, &first, &send_to(phone)).await;
        let pin = app.last_pin_to(phone).await;
        step(app, &first, &format!("step=check_code&code={pin}")).await;
        let site = Sites::new(phone_verify::db::Db::connect(&app.db_url).await.unwrap())
            .get(&SiteId::parse("shop").unwrap())
            .await
            .unwrap();
        let service = site
            .verigator_service
            .expect("a service after the first code");
        let client = app.verigator();
        let user = client.list_users(service).await.unwrap().users[0].id;
        let enrolment = client.enrol_totp(service, user).await.unwrap();
        let key = data_encoding::BASE32_NOPAD
            .decode(enrolment.secret.as_bytes())
            .unwrap();
        let enrolled = Self { key, service, user };
        assert!(client
            .confirm_totp(service, user, &enrolled.code(app))
            .await
            .unwrap());
        enrolled
    }

    /// The code the app shows now.
    pub fn code(&self, app: &TestApp) -> String {
        use phone_verify::verigator::totp;
        totp::code_at_step(
            &self.key,
            totp::step_at(app.clock.unix_seconds()),
            totp::DIGITS,
        )
    }
}
