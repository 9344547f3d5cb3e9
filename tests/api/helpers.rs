//! `TestApp`: the application on port 0, on a clock the test moves, with its own database.

use phone_verify::{
    clock::ManualClock,
    server::{Application, Settings},
    verigator::{
        wire::{AuthMethod, ServiceId, UserId},
        Accounts, VerigatorClient,
    },
};
use secrecy::SecretString;
use serde::Deserialize;
use std::{path::Path, sync::Arc};

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
}

/// Path of a file at the crate's root.
pub fn project_file(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// The settings of `Leptos.toml`, on a free port and a database of the test's own.
pub fn test_settings() -> Settings {
    let mut settings = Settings::load(&project_file("Leptos.toml")).expect("Leptos.toml loads");
    settings.leptos.site_addr = "127.0.0.1:0".parse().unwrap();
    let db_file =
        std::env::temp_dir().join(format!("phone-verify-test-{}.db", uuid::Uuid::new_v4()));
    settings.database.url = format!("sqlite://{}", db_file.display());
    settings
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

    /// Calls the `check_phone` server function as the island does.
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
        let db = phone_verify::db::connect(&self.db_url).await.unwrap();
        Accounts::new(db)
            .upsert(username, &password, 0)
            .await
            .unwrap();
        VerigatorClient::new(&self.verigator_url(), username, &password).unwrap()
    }

    /// The development outbox, newest first.
    pub async fn outbox(&self) -> Vec<OutboxMessage> {
        self.get("/dev/outbox.json")
            .await
            .json()
            .await
            .expect("the outbox is JSON")
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

/// The PIN of an SMS text: the digits after "code is ".
pub fn pin_in(text: &str) -> String {
    let after = text.split_once("code is ").expect("an SMS with a code").1;
    after.chars().take_while(char::is_ascii_digit).collect()
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
