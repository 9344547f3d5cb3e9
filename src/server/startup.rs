//! Building the application and serving it; tests build the same application on port 0.

use super::{
    bodies::{self, read_whole_body},
    caching::cache_headers,
    client_ip::resolve_client,
    config::SmsProvider,
    headers::security_headers,
    precompress,
    request_metrics::count_requests,
    request_target::routable_targets_only,
    retention::Retention,
    serve::{serve, ServerSettings},
    supervise::supervised,
    Settings,
};
use crate::{
    abuse::Guard,
    callbacks::WebhookWorker,
    clock::{Clock, SystemClock},
    db,
    metrics::Metrics,
    paths,
    sessions::Sessions,
    sites::Sites,
    sms::{Messente, Outbox, SmsSender, Twilio},
    verigator::{
        self, pin_code::PinKey, Accounts, HttpVerigator, LocalVerigator, Verigator,
        VerigatorConnector,
    },
    web::{self, ensure_demo_site, AppState, DemoHost, MetricsState},
    widget::flow::Flow,
};
use anyhow::Context;
use axum::{extract::MatchedPath, http::StatusCode, Router};
use leptos::config::LeptosOptions;
use std::{future::Future, net::SocketAddr, path::PathBuf, sync::Arc, time::Duration};
use tokio::{net::TcpListener, sync::watch};
use tower::util::MapRequestLayer;
use tower_http::{
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    timeout::TimeoutLayer,
    trace::{DefaultOnFailure, TraceLayer},
};

/// How often the webhook worker looks for due deliveries.
const WEBHOOK_POLL: Duration = Duration::from_millis(250);

/// How often the metrics' histograms are drained into their buckets.
const METRICS_UPKEEP: Duration = Duration::from_secs(5);

/// How long the webhook worker has, after the grace period, to release its leases.
const WORKER_RELEASE: Duration = Duration::from_secs(5);

/// The largest request body the pages accept: their forms are tiny.
const MAX_PAGE_BODY_BYTES: usize = 16 * 1024;

/// A server bound to its address, ready to run, with its webhook worker.
pub struct Application {
    listener: TcpListener,
    router: Router,
    site_root: PathBuf,
    metrics: Metrics,
    worker: WebhookWorker,
    retention: Retention,
    server: ServerSettings,
}

impl Application {
    /// Builds the application on the system clock.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// Opens the database, binds the address from the settings (port 0 picks a free port)
    /// and builds the router; `clock` is every time-dependent part's clock.
    pub async fn build_with_clock(
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Self> {
        let db = db::Db::connect(&settings.database.url).await?;
        let listener = TcpListener::bind(settings.leptos.site_addr)
            .await
            .with_context(|| format!("cannot listen on {}", settings.leptos.site_addr))?;
        let address = listener.local_addr()?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .build()?;

        let guard = Guard::new(db.clone(), settings.abuse.clone());
        let outbox = (settings.sms.provider == SmsProvider::Outbox)
            .then(|| Outbox::new(db.clone(), clock.clone()));
        let mut api = None;
        let mut verigator_engine = None;
        let connector: Arc<dyn VerigatorConnector> = if settings.verigator.is_embedded() {
            let sms: Arc<dyn SmsSender> = match settings.sms.provider {
                SmsProvider::Outbox => {
                    Arc::new(outbox.clone().expect("made above for this provider"))
                }
                SmsProvider::Messente => Arc::new(Messente::new(
                    settings
                        .sms
                        .messente
                        .clone()
                        .context("[sms.messente] is missing")?,
                    http.clone(),
                )),
                SmsProvider::Twilio => Arc::new(Twilio::new(
                    settings
                        .sms
                        .twilio
                        .clone()
                        .context("[sms.twilio] is missing")?,
                    http.clone(),
                )),
            };
            let pin_key = match settings.verigator.pin_key_bytes()? {
                Some(bytes) => PinKey::new(bytes),
                None => {
                    tracing::warn!(
                        "no PIN key configured: pending PINs will not survive a restart"
                    );
                    PinKey::random()
                }
            };
            let accounts = Arc::new(Accounts::new(db.clone(), settings.verigator.logins));
            accounts
                .upsert(
                    &settings.verigator.username,
                    &settings.verigator.password,
                    clock.unix_seconds(),
                )
                .await
                .context("cannot create the widget's Verigator account")?;
            let engine = Verigator::new(
                db.clone(),
                clock.clone(),
                sms,
                settings.verigator.pin,
                pin_key,
                guard.clone(),
            );
            let engine = Arc::new(engine);
            verigator_engine = Some(engine.clone());
            api = Some(verigator::http::ApiState {
                engine: engine.clone(),
                accounts: accounts.clone(),
                clock: clock.clone(),
            });
            if settings.verigator.widget_over_http {
                Arc::new(HttpVerigator::new(format!("http://{address}/v1"), http))
            } else {
                Arc::new(LocalVerigator::new(engine, accounts))
            }
        } else {
            Arc::new(HttpVerigator::new(settings.verigator.url.clone(), http))
        };
        let worker = WebhookWorker::new(db.clone(), clock.clone(), WEBHOOK_POLL)
            .context("cannot build the webhook client")?;
        let retention = Retention::new(
            db.clone(),
            settings.retention,
            guard.clone(),
            outbox.clone(),
            verigator_engine,
            clock.clone(),
        );
        let flow = Flow::new(
            Sites::new(db.clone()),
            Sessions::new(db.clone()),
            clock.clone(),
            connector,
            settings.verigator.pin,
            guard,
            settings.widget.default_country,
        );

        // A development server (the outbox, the embedded API) shows the demo host at `/`.
        let demo = if outbox.is_some() && api.is_some() {
            ensure_demo_site(
                &Sites::new(db.clone()),
                &settings.verigator.username,
                &settings.verigator.password,
                address.port(),
                clock.unix_seconds(),
            )
            .await
            .context("cannot create the demo site")?;
            Some(Arc::new(DemoHost::default()))
        } else {
            None
        };
        let site_root = PathBuf::from(&*settings.leptos.site_root);
        // Before the first request: a compressed copy of an older file must not be sent.
        if site_root.is_dir() {
            if let Err(error) = precompress::remove_stale(&site_root) {
                tracing::warn!(%error, "cannot remove stale compressed files; serving without them");
            }
        }
        let state = AppState {
            leptos_options: with_build_file_names(settings.leptos),
            widget: settings.widget,
            db,
            outbox,
            flow,
            clock,
            demo,
            client_ip: settings.server.client_ip.clone(),
            public_origin: settings.server.public_origin().map(str::to_owned),
            heartbeat: worker.heartbeat(),
            metrics: MetricsState {
                metrics: Metrics::install(),
                access: settings.metrics,
            },
        };
        Ok(Self {
            listener,
            site_root,
            metrics: state.metrics.metrics.clone(),
            router: router(state, api, &settings.server),
            worker,
            retention,
            server: settings.server,
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The retention job (tests run its passes at the times they choose).
    pub fn retention(&self) -> Retention {
        self.retention.clone()
    }

    /// Serves, delivers webhooks and prunes old records until SIGINT or SIGTERM, then stops
    /// accepting and gives the requests and deliveries in flight the shutdown grace period to
    /// finish. Webhooks not yet delivered wait in the database for the next start.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// The same, until `stop` resolves.
    pub async fn run_until(self, stop: impl Future<Output = ()>) -> std::io::Result<()> {
        tokio::task::spawn_blocking(move || precompress_site(&self.site_root));
        let (worker, retention) = (self.worker, self.retention);
        let (stop_worker, worker_stops) = watch::channel(false);
        let grace = Duration::from_secs(self.server.shutdown_grace_seconds);
        let worker = tokio::spawn(supervised("webhook delivery", move || {
            worker.clone().run(worker_stops.clone(), grace)
        }));
        let retention = tokio::spawn(supervised("retention", move || retention.clone().run()));
        let metrics = self.metrics;
        let upkeep = tokio::spawn(async move {
            let mut every = tokio::time::interval(METRICS_UPKEEP);
            loop {
                every.tick().await;
                metrics.upkeep();
            }
        });
        let mut deadline = None;
        let stopping = async {
            stop.await;
            tracing::info!(grace_seconds = grace.as_secs(), "stopping");
            deadline = Some(tokio::time::Instant::now() + grace);
            let _ = stop_worker.send(true);
        };
        let served = serve(self.listener, self.router, &self.server, stopping).await;
        retention.abort();
        upkeep.abort();
        // The worker keeps to the grace period itself, releasing what it drops; this only
        // bounds a worker stuck on its database.
        let deadline = deadline.unwrap_or_else(tokio::time::Instant::now) + WORKER_RELEASE;
        let abort = worker.abort_handle();
        if tokio::time::timeout_at(deadline, worker).await.is_err() {
            abort.abort();
            tracing::warn!(
                "the webhook worker did not stop in time; its leases lapse by themselves"
            );
        }
        served
    }
}

/// Writes the missing compressed copies of the site folder's files named by their content
/// (`precompress`); a folder this process may not write (a read-only deployment) is served as
/// it is, compressed on the fly.
fn precompress_site(root: &std::path::Path) {
    if !root.is_dir() {
        return;
    }
    match precompress::precompress(root, precompress::Files::ContentHashed) {
        Ok(done) if done.written > 0 => {
            tracing::info!(written = done.written, "compressed the site's files")
        }
        Ok(_) => {}
        Err(error) => tracing::info!(
            %error,
            "the site's files are compressed on the fly (run `phone-verify precompress` after a build)"
        ),
    }
}

/// Leptos's options, with file hashing on only when the build that hashed the files wrote their
/// names beside this binary (cargo-leptos does; a test binary or `cargo run` has none, and its
/// pages name the files plainly).
fn with_build_file_names(mut options: LeptosOptions) -> LeptosOptions {
    if options.hash_files {
        let beside_binary = std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.join(options.hash_file.as_ref())));
        if !beside_binary.as_ref().is_some_and(|file| file.is_file()) {
            tracing::warn!(
                expected = ?beside_binary,
                "hash-files is on but the build's hash file is not beside this binary: pages \
                 name /pkg files without their hashes (copy it with the binary)"
            );
            options.hash_files = false;
        }
    }
    options
}

/// All routes: Leptos pages and server functions, form posts, static files, and the embedded
/// Verigator API when there is one.
fn router(
    state: AppState,
    api: Option<verigator::http::ApiState>,
    timeouts: &ServerSettings,
) -> Router {
    let mut app = web::routes(&state)
        .layer(axum::middleware::from_fn(read_whole_body))
        .layer(RequestBodyLimitLayer::new(MAX_PAGE_BODY_BYTES));
    if let Some(api) = api {
        app = app.nest(paths::VERIGATOR_API, verigator::http::router(api));
    }
    app.layer(axum::middleware::from_fn_with_state(
        state.client_ip.clone(),
        resolve_client,
    ))
    .layer(axum::middleware::from_fn(security_headers))
    .layer(axum::middleware::from_fn(cache_headers))
    .layer(CompressionLayer::new())
    .layer(MapRequestLayer::new({
        let within = Duration::from_secs(timeouts.body_read_seconds);
        move |request| bodies::due_within(request, within)
    }))
    .layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        Duration::from_secs(timeouts.request_seconds),
    ))
    .layer(
        TraceLayer::new_for_http()
            .make_span_with(request_span)
            // A failure's cause is logged once, where it is known; a line for each 5xx on top
            // would let a flood of refused requests (503 at once) flood the log.
            .on_failure(DefaultOnFailure::new().level(tracing::Level::DEBUG)),
    )
    .layer(axum::middleware::from_fn(count_requests))
    .layer(axum::middleware::from_fn(routable_targets_only))
    .with_state(state)
}

/// A request's span: its method and its route, never its URI. Query strings carry signatures
/// and numbers, and a session page's path is the session's capability.
fn request_span(request: &http::Request<axum::body::Body>) -> tracing::Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("(no route)", MatchedPath::as_str);
    tracing::debug_span!("request", method = %request.method(), route)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
