//! Issue 11's findings, each reproduced: callback paths that walk out of their rule, plain
//! http outside development, results that could pass for requests, secrets in the log,
//! passwords that outlive their change, unlimited password guesses.

use crate::helpers::{
    add_site, create_site, return_fields, send_to, shop_site, signed_query, signed_query_at,
    spawn_app, spawn_app_with, start, step, test_settings, Binary, TestApp, CALLBACK,
    CLIENT_HEADER, PHONE, WIDGET_USERNAME,
};
use phone_verify::{
    clock::{Clock, SystemClock},
    sites::{check_result, CallbackRule, ResultError, Site, RESULT_KIND},
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn a_callback_path_that_walks_out_of_its_prefix_is_refused() {
    let app = spawn_app().await;
    let site = Site {
        callback_urls: vec![CallbackRule::parse("https://shop.example.com/return/*").unwrap()],
        ..shop_site(None)
    };
    let secret = create_site(&app, site).await;
    for escape in [
        "https://shop.example.com/return/../admin",
        "https://shop.example.com/return/%2e%2e/admin",
        "https://shop.example.com/return/..%2Fadmin",
        "https://shop.example.com/return\\..\\admin",
    ] {
        let query = signed_query(&app, &secret, &[("callback_url", escape)]);
        let response = app.get(&format!("/verify?{query}")).await;
        assert_eq!(response.status(), 400, "{escape}");
        let html = response.text().await.unwrap();
        assert!(html.contains("callback"), "{escape}: {html}");
    }
    let query = signed_query(
        &app,
        &secret,
        &[("callback_url", "https://shop.example.com/return/42")],
    );
    assert_eq!(app.get(&format!("/verify?{query}")).await.status(), 303);
}

#[test]
fn outside_development_results_go_over_https_only() {
    let cli = Binary::in_production();
    let add = |callback: &str, webhook: &str| {
        cli.run_outside_development(&[
            "site",
            "add",
            "shop",
            "--name",
            "Shop",
            "--callback",
            callback,
            "--webhook",
            webhook,
        ])
    };
    for (callback, webhook) in [
        (
            "http://shop.example.com/verified",
            "https://shop.example.com/hooks",
        ),
        (
            "https://shop.example.com/verified",
            "http://shop.example.com/hooks",
        ),
    ] {
        let refused = add(callback, webhook);
        assert!(!refused.status.success());
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(said.contains("must be https"), "{said}");
    }
    let added = add(
        "https://shop.example.com/verified",
        "https://shop.example.com/hooks",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
}

#[tokio::test]
async fn a_result_says_it_is_one_and_a_request_cannot_pass_for_one() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    // A request carrying a kind is refused: results and requests cannot be swapped.
    let query = signed_query(&app, &secret, &[("kind", RESULT_KIND)]);
    let response = app.get(&format!("/verify?{query}")).await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("`kind`"));

    let page = start(&app, &secret, &[]).await;
    step(&app, &page, &send_to(PHONE)).await;
    let pin = app.last_pin_to(PHONE).await;
    let (_, html) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    let fields = return_fields(&html);
    let now = app.clock.unix_seconds();
    let checked = check_result(std::slice::from_ref(&secret), &fields, now, 300).unwrap();
    assert!(checked.verified);
    assert_eq!(checked.user, "alice@example.com");
    assert_eq!(checked.phone.as_deref(), Some(PHONE));
    // The host's own request URL, signed with the same secret, is not a result.
    let request: Vec<(String, String)> =
        form_urlencoded::parse(signed_query(&app, &secret, &[]).as_bytes())
            .into_owned()
            .collect();
    assert_eq!(
        check_result(std::slice::from_ref(&secret), &request, now, 300),
        Err(ResultError::NotAResult)
    );
}

#[tokio::test]
async fn the_log_holds_no_query_string_session_id_or_number_even_at_debug() {
    let cli = Binary::new();
    let secret = cli.add_shop(&[]);
    let server = cli.serve_logging("debug");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let query = signed_query_at(
        &secret,
        SystemClock.unix_seconds(),
        &[("state", "marker-of-the-query")],
    );
    let sig = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "sig")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let started = http
        .get(format!("{}/verify?{query}", server.address))
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 303);
    let page = started.headers()["location"].to_str().unwrap().to_owned();
    let session = page.rsplit('/').next().unwrap().to_owned();
    let sent = crate::helpers::step_request(&http, &server.address, &page, &send_to(PHONE))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    // Let the last lines reach the log.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let log = server.log.lock().unwrap().clone();
    assert!(log.contains("code sent"), "{log}");
    for secret_part in [&sig, "marker-of-the-query", &session, &PHONE[1..]] {
        assert!(
            !log.contains(secret_part),
            "{secret_part} in the log:\n{log}"
        );
    }
}

/// `GET` a service that does not exist, as `credentials` from `client`: 404 when the
/// credentials are good, 401 when not, 429 while throttled.
async fn probe(app: &TestApp, credentials: &str, client: &str) -> (u16, Option<String>) {
    let response = app
        .client
        .get(format!(
            "{}/service/service/00000000-0000-0000-0000-000000000000",
            app.verigator_url()
        ))
        .header("x-service-auth", credentials)
        .header(CLIENT_HEADER, client)
        .send()
        .await
        .unwrap();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (response.status().as_u16(), retry_after)
}

#[tokio::test]
async fn a_changed_password_stops_the_old_one_at_once_even_from_another_process() {
    let app = spawn_app().await;
    let cli = Binary {
        db_url: app.db_url.clone(),
        ..Binary::new()
    };
    let set = |password: &str| {
        let output = cli.run(&["account", "set", "acme"], &format!("{password}\n"));
        assert!(output.status.success(), "{output:?}");
    };
    set("the-first-password");
    assert_eq!(
        probe(&app, "acme:the-first-password", "198.51.100.1")
            .await
            .0,
        404
    );
    set("the-second-password");
    assert_eq!(
        probe(&app, "acme:the-first-password", "198.51.100.1")
            .await
            .0,
        401
    );
    assert_eq!(
        probe(&app, "acme:the-second-password", "198.51.100.1")
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn failed_logins_slow_down_the_network_that_fails() {
    let app = spawn_app().await;
    app.other_account("acme").await;
    app.other_account("globex").await;
    let good = "acme:password-of-acme";
    // Five failures at one username from one network: that network waits for the name...
    for i in 0..5 {
        let guess = format!("acme:wrong-{i}");
        assert_eq!(probe(&app, &guess, "198.51.100.1").await.0, 401);
    }
    let (status, retry_after) = probe(&app, good, "198.51.100.1").await;
    assert_eq!(status, 429);
    assert_eq!(retry_after.as_deref(), Some("900"));
    // ... and may fail at other names up to ten failures in all, then waits for every name.
    for i in 0..5 {
        let guess = format!("globex:wrong-{i}");
        assert_eq!(probe(&app, &guess, "198.51.100.1").await.0, 401);
    }
    assert_eq!(
        probe(&app, "globex:password-of-globex", "198.51.100.1")
            .await
            .0,
        429
    );
    assert_eq!(probe(&app, "initech:any", "198.51.100.1").await.0, 429);
    // Another network is not held up.
    assert_eq!(probe(&app, good, "198.51.100.2").await.0, 404);
    // Its window over, the network may try again.
    app.clock.advance(900);
    assert_eq!(probe(&app, good, "198.51.100.1").await.0, 404);
}

#[tokio::test]
async fn strangers_failures_never_lock_the_owner_out() {
    let app = spawn_app().await;
    app.other_account("acme").await;
    // The review's attack, in a process that has not seen the owner's password (as after
    // every start): twenty wrong passwords from two addresses, twenty more from twenty.
    for i in 0..20 {
        let status = probe(
            &app,
            &format!("acme:wrong-{i}"),
            &format!("203.0.113.{}", i % 2),
        )
        .await
        .0;
        assert!(status == 401 || status == 429, "{status}");
    }
    for i in 0..20 {
        let client = format!("2001:db8:{i}::1");
        let guess = format!("acme:wrong-again-{i}");
        assert_eq!(probe(&app, &guess, &client).await.0, 401);
    }
    // The owner, from a network of its own, has never logged in before: it gets in.
    assert_eq!(
        probe(&app, "acme:password-of-acme", "198.51.100.7").await.0,
        404
    );
}

#[tokio::test]
async fn a_network_that_has_logged_in_is_not_held_up_by_strangers_at_its_address() {
    let app = spawn_app().await;
    app.other_account("acme").await;
    let office = "198.51.100.7";
    assert_eq!(probe(&app, "acme:password-of-acme", office).await.0, 404);
    // Strangers behind the office's NAT fail at other names until the address waits.
    for i in 0..10 {
        let guess = format!("user{i}:wrong");
        assert_eq!(probe(&app, &guess, office).await.0, 401);
    }
    assert_eq!(probe(&app, "someone:else", office).await.0, 429);
    // The owner's password changes (this process has never seen the new one), and the
    // office, known to the name, still gets in with it.
    app.set_password_elsewhere("acme", &"a new password for acme".to_owned().into())
        .await;
    assert_eq!(
        probe(&app, "acme:a new password for acme", office).await.0,
        404
    );
    // A known network's own failures at the name still count.
    for i in 0..5 {
        let guess = format!("acme:wrong-{i}");
        assert_eq!(probe(&app, &guess, office).await.0, 401);
    }
    assert_eq!(probe(&app, "acme:another guess", office).await.0, 429);
}

#[tokio::test]
async fn a_name_is_known_to_its_latest_networks_only() {
    use phone_verify::verigator::accounts::throttle::KNOWN_NETWORKS_PER_USERNAME;
    let app = spawn_app().await;
    app.other_account("acme").await;
    // Someone holding the password logs in from one network more than a name keeps.
    let networks: Vec<String> = (0..=KNOWN_NETWORKS_PER_USERNAME)
        .map(|i| format!("2001:db8:{i:x}::1"))
        .collect();
    for network in &networks {
        assert_eq!(probe(&app, "acme:password-of-acme", network).await.0, 404);
        app.clock.advance(1);
    }
    let (oldest, latest) = (&networks[0], networks.last().unwrap());
    // Strangers at both addresses fail until each waits; the password changes.
    for network in [oldest, latest] {
        for i in 0..10 {
            let guess = format!("user{i}:wrong");
            assert_eq!(probe(&app, &guess, network).await.0, 401);
        }
    }
    app.set_password_elsewhere("acme", &"a new password for acme".to_owned().into())
        .await;
    // The oldest network was forgotten; the latest is still known to the name. (In this
    // order: once the new password has matched, this process lets it in from anywhere.)
    let new = "acme:a new password for acme";
    assert_eq!(probe(&app, new, oldest).await.0, 429);
    assert_eq!(probe(&app, new, latest).await.0, 404);
}

#[tokio::test]
async fn a_header_no_client_sends_is_refused_before_it_counts() {
    let app = spawn_app().await;
    app.other_account("acme").await;
    let network = "198.51.100.9";
    // Over 1 KiB, or a name no account can have: refused, and not counted against the network.
    let long = format!("acme:{}", "x".repeat(2048));
    for i in 0..15 {
        assert_eq!(probe(&app, &long, network).await.0, 401);
        let impossible = format!("no such name {i}:wrong");
        assert_eq!(probe(&app, &impossible, network).await.0, 401);
    }
    assert_eq!(probe(&app, "acme:password-of-acme", network).await.0, 404);
}

#[tokio::test]
async fn a_client_still_sending_an_old_password_does_not_lock_its_network_out() {
    let app = spawn_app().await;
    app.other_account("acme").await;
    let office = "198.51.100.7";
    assert_eq!(probe(&app, "acme:password-of-acme", office).await.0, 404);
    app.set_password_elsewhere("acme", &"a new password for acme".to_owned().into())
        .await;
    // One of the office's clients was not given the new password, and keeps calling.
    for _ in 0..10 {
        assert_eq!(probe(&app, "acme:password-of-acme", office).await.0, 401);
    }
    // The ones that were get in: the old password was one failure, not ten.
    assert_eq!(
        probe(&app, "acme:a new password for acme", office).await.0,
        404
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flood_of_wrong_passwords_is_answered_busy_at_once_not_queued() {
    let mut settings = test_settings();
    settings.verigator.logins.hashing_workers = 1;
    settings.verigator.logins.hashing_queue = 1;
    let app = spawn_app_with(settings).await;
    app.other_account("acme").await;
    // The owner logs in once, so that its network is known.
    assert_eq!(
        probe(&app, "acme:password-of-acme", "198.51.100.7").await.0,
        404
    );
    // Forty wrong passwords at once, each from a network of its own.
    let guesses = (0..40).map(|i| {
        let app = &app;
        async move { probe(app, &format!("acme:wrong-{i}"), &format!("2001:db8:{i}::1")).await }
    });
    let answers = futures::future::join_all(guesses).await;
    let busy: Vec<_> = answers
        .iter()
        .filter(|(status, _)| *status == 503)
        .collect();
    assert!(
        answers
            .iter()
            .all(|(status, _)| *status == 401 || *status == 503),
        "{answers:?}"
    );
    assert!(
        !busy.is_empty(),
        "one worker and one place queued all forty"
    );
    assert!(busy.iter().all(|(_, retry)| retry.as_deref() == Some("1")));
}

#[tokio::test]
async fn anyones_wrong_guesses_at_the_widgets_account_do_not_stop_its_visitors() {
    // The widget calling the embedded engine in process, the path this protects (a remote
    // Verigator server throttles as it sees fit).
    let mut settings = test_settings();
    settings.verigator.widget_over_http = false;
    let app = spawn_app_with(settings).await;
    // Before the widget's first call in this process (as after every start): wrong guesses
    // at its username, until the guessing network is throttled.
    for i in 0..5 {
        let guess = format!("{WIDGET_USERNAME}:wrong-{i}");
        assert_eq!(probe(&app, &guess, "203.0.113.1").await.0, 401);
    }
    let guess = format!("{WIDGET_USERNAME}:another");
    assert_eq!(probe(&app, &guess, "203.0.113.1").await.0, 429);

    // A visitor verifies all the same.
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;
    let (status, _) = step(&app, &page, &send_to(PHONE)).await;
    assert_eq!(status, 200, "the code is sent");
    let pin = app.last_pin_to(PHONE).await;
    let (status, body) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("verified") || body.contains("Verified"),
        "{body}"
    );
}

#[tokio::test]
async fn a_site_with_the_wrong_api_password_sends_nothing_however_often_asked() {
    let app = spawn_app().await;
    let site = Site {
        verigator_password: "not-the-password".to_owned().into(),
        ..shop_site(None)
    };
    let secret = create_site(&app, site).await;
    for _ in 0..3 {
        let page = start(&app, &secret, &[]).await;
        let (status, body) = step(&app, &page, &send_to(PHONE)).await;
        // The visitor is told the service is unavailable, never why.
        assert_eq!(status, 503);
        assert!(!body.contains("password"), "{body}");
    }
    assert!(app.outbox().await.is_empty(), "an SMS went");
}

#[tokio::test]
async fn concurrent_guesses_cannot_all_pass_one_throttle_check() {
    // Room for every guess to wait for a check, so that each is counted.
    let mut settings = test_settings();
    settings.verigator.logins.hashing_queue = 100;
    let app = spawn_app_with(settings).await;
    app.other_account("acme").await;
    let guesses: Vec<_> = (0..50)
        .map(|i| {
            let app = &app;
            async move {
                probe(app, &format!("acme:guess-{i}"), "198.51.100.9")
                    .await
                    .0
            }
        })
        .collect();
    let statuses = futures::future::join_all(guesses).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 45);
}

/// A server that gives a client 1 s for its headers and 1 s for its body.
async fn impatient_app() -> TestApp {
    let mut settings = test_settings();
    settings.server.header_read_seconds = 1;
    settings.server.body_read_seconds = 1;
    spawn_app_with(settings).await
}

/// Waits up to 5 s for the server to answer or hang up; answers with what it sent.
async fn what_the_server_does(stream: &mut tokio::net::TcpStream) -> String {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        stream.read_to_end(&mut answer),
    )
    .await;
    assert!(
        read.is_ok(),
        "the server still holds the connection after 5 s"
    );
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_dropped() {
    let app = impatient_app().await;
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /verify HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .await
        .unwrap();
    what_the_server_does(&mut stream).await;

    // An idle kept-alive connection goes the same way.
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /verify HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let answer = what_the_server_does(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// A connection that has sent a session's `send_code` post, for a body of `length` bytes, up
/// to its phone number.
async fn send_code_begun(app: &TestApp, length: usize) -> tokio::net::TcpStream {
    let secret = add_site(app, None).await;
    let page = start(app, &secret, &[]).await;
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let session = page.trim_start_matches("/verify/");
    let head = format!(
        "POST /api/step/send_code HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\nsession={session}&phone="
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

#[tokio::test]
async fn a_client_that_never_finishes_its_body_is_answered_and_dropped() {
    let app = impatient_app().await;
    let mut stream = send_code_begun(&app, 100).await;
    let answer = what_the_server_does(&mut stream).await;
    assert!(
        answer.starts_with("HTTP/1.1 408") || answer.starts_with("HTTP/1.1 400"),
        "{answer}"
    );
    assert!(app.outbox().await.is_empty());
}

#[tokio::test]
async fn a_client_that_trickles_its_body_is_answered_at_the_body_deadline() {
    let app = impatient_app().await;
    let stream = send_code_begun(&app, 200).await;
    // A byte every 200 ms: each well within the body's second, the whole far beyond it.
    let (mut reading, mut writing) = stream.into_split();
    let trickle = tokio::spawn(async move {
        for _ in 0..200 {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            if writing.write_all(b"5").await.is_err() {
                break;
            }
        }
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        reading.read_to_end(&mut answer),
    )
    .await;
    trickle.abort();
    assert!(read.is_ok(), "a trickled body held its request for 5 s");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(app.outbox().await.is_empty());
}

#[tokio::test]
async fn a_client_that_stops_reading_its_answers_is_dropped() {
    let mut settings = test_settings();
    settings.server.connections.send_stall_seconds = 1;
    // Longer than the test: pipelined requests waiting behind an answer are not what ends it.
    settings.server.header_read_seconds = 60;
    let app = spawn_app_with(settings).await;
    let address: std::net::SocketAddr = app.address.trim_start_matches("http://").parse().unwrap();
    // A small window, and requests enough that their answers overflow every buffer between.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(address).await.unwrap();
    let (mut reading, mut writing) = stream.into_split();
    const REQUESTS: usize = 4000;
    let sending = tokio::spawn(async move {
        let requests = "GET /verify HTTP/1.1\r\nHost: localhost\r\n\r\n".repeat(REQUESTS);
        let _ = writing.write_all(requests.as_bytes()).await;
        // Kept open: a client that has said all it will, not one that hung up.
        std::future::pending::<()>().await;
    });
    // Nothing read for 3 s: three times the stall the server allows.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let mut answers = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        reading.read_to_end(&mut answers),
    )
    .await;
    assert!(
        read.is_ok(),
        "the server still writes after 10 s of reading"
    );
    let answered = String::from_utf8_lossy(&answers)
        .matches("HTTP/1.1 200")
        .count();
    sending.abort();
    // Some 20 KiB an answer: what the buffers between held when the server gave up, not all.
    assert!(
        answered < REQUESTS / 2,
        "{answered} of {REQUESTS} answered: the stalled connection was not dropped"
    );
}

/// What the server answers to `request`, sent over a connection of its own.
async fn raw_answer(app: &TestApp, request: &[u8]) -> String {
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(request).await.unwrap();
    what_the_server_does(&mut stream).await
}

#[tokio::test]
async fn a_body_that_does_not_parse_is_a_bad_request_not_a_late_one() {
    let app = spawn_app().await;
    let answer = raw_answer(
        &app,
        b"POST /api/step/send_code HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
          Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n\
          zz\r\nsession=\r\n0\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
}

#[tokio::test]
async fn a_connect_request_is_refused_not_a_panic() {
    let app = spawn_app().await;
    let answer = raw_answer(
        &app,
        b"CONNECT a:1 HTTP/1.1\r\nHost: a:1\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer:?}");
    // The server goes on serving.
    let health = raw_answer(
        &app,
        b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
}

#[tokio::test]
async fn a_request_head_past_the_buffer_is_refused_and_a_browsers_is_served() {
    let app = spawn_app().await;
    let cookie = |bytes: usize| {
        format!(
            "GET /healthz HTTP/1.1\r\nHost: localhost\r\nCookie: c={}\r\nConnection: close\r\n\r\n",
            "x".repeat(bytes)
        )
    };
    // A large browser head (cookies of the parent domain) is served...
    let served = raw_answer(&app, cookie(16 * 1024).as_bytes()).await;
    assert!(served.starts_with("HTTP/1.1 200"), "{served}");
    // ... one past the buffer is not held while it grows (hyper's own limit is 400 KiB).
    let refused = raw_answer(&app, cookie(64 * 1024).as_bytes()).await;
    assert!(refused.starts_with("HTTP/1.1 431"), "{refused}");
}

#[tokio::test]
async fn the_urls_handed_out_use_the_public_origin_not_the_requests_host() {
    let mut settings = test_settings();
    settings.server.public_url = "https://verify.example.com".into();
    let app = spawn_app_with(settings).await;
    let secret = add_site(&app, None).await;
    let created: serde_json::Value = app
        .client
        .post(format!("{}/api/v1/sessions", app.address))
        .header("authorization", format!("Bearer {}", secret.expose()))
        // Anyone can write a Host header: a host backend must not hand its users this one.
        .header("host", "evil.test")
        .json(&serde_json::json!({
            "site": "shop", "user": "alice@example.com", "callback_url": CALLBACK
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = created["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://verify.example.com/verify/"),
        "{url}"
    );
    let embed = created["embed_url"].as_str().unwrap();
    assert!(
        embed.starts_with("https://verify.example.com/embed/"),
        "{embed}"
    );
}
