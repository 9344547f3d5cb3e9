//! `TestApp`: the application on port 0 and a client for it.

use phone_verify::server::{Application, Settings};
use std::path::Path;

/// A running server and an HTTP client that does not follow redirects.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
}

/// Path of a file at the crate's root.
pub fn project_file(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// Starts the application from `Leptos.toml`, bound to a free port.
pub async fn spawn_app() -> TestApp {
    let mut settings = Settings::load(&project_file("Leptos.toml")).expect("Leptos.toml loads");
    settings.leptos.site_addr = "127.0.0.1:0".parse().unwrap();
    // A database of its own, so tests can run in parallel.
    let db_file = std::env::temp_dir().join(format!("phone-verify-test-{}.db", uuid::Uuid::new_v4()));
    settings.database.url = format!("sqlite://{}", db_file.display());
    let app = Application::build(settings).await.expect("the application builds");
    let address = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp { address, client }
}

impl TestApp {
    /// `GET path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("GET is answered")
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
}
