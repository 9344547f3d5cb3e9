//! A connection's deadlines, whatever its protocol: its first request within so long of its
//! accept (before it, hyper has no timer: protocol detection and HTTP/2's handshake wait for
//! ever), and, once it has served, no longer than so long with no request in flight.

use super::sending::{Stall, Watched};
use http::Response;
use hyper::body::{Body, Frame, SizeHint};
use std::{
    future::Future,
    pin::{pin, Pin},
    sync::Arc,
    task::{Context, Poll},
    time::{Duration, Instant},
};
use tokio::sync::{watch, Notify};

/// How long a connection may go without a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// From its accept to its first whole request head; then it is dropped.
    pub first_request: Duration,
    /// With no request in flight, after its first; then it is shut down gracefully.
    pub idle: Duration,
    /// From that graceful shutdown to its end (answers still being written); then it is dropped.
    pub drain: Duration,
    /// With an answer to write and no byte of it taken by the client; then it is dropped.
    pub send_stall: Duration,
}

impl Deadlines {
    /// `stream`, its writes failing once the client has taken nothing for `send_stall` (hyper
    /// then drops the connection), and reported to `stall` while they wait. Reads have their
    /// own deadlines (headers, body, idle).
    pub fn on_sends<S>(&self, stream: S, stall: Arc<Stall>) -> Watched<S> {
        Watched::new(stream, self.send_stall, stall)
    }
}

/// Why a connection was closed by the server rather than by its client or its protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// It sent no request within [`Deadlines::first_request`].
    FirstRequestLate,
    /// It had no request in flight for [`Deadlines::idle`].
    Idle,
    /// The server is stopping.
    Stopping,
    /// It was doing nothing when a new connection needed its place under a cap.
    Evicted,
}

impl Closed {
    /// The reason's name, as the metrics label it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstRequestLate => "first-request",
            Self::Idle => "idle",
            Self::Stopping => "stopping",
            Self::Evicted => "evicted",
        }
    }
}

/// A connection that can be asked to finish what it is doing and close.
pub trait GracefulClose {
    /// Stops taking requests; the connection's future ends once those in flight are answered.
    fn graceful_close(self: Pin<&mut Self>);
}

/// What a connection's requests did so far.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    started: u64,
    in_flight: u64,
    /// Since when a request has been in flight without a break.
    busy_since: Option<Instant>,
}

/// The connection's side of its requests' counts: the service reports each request through it.
#[derive(Debug, Clone)]
pub struct Requests(Arc<watch::Sender<Counts>>);

/// The driver's side: it waits on the counts.
#[derive(Debug)]
pub struct Activity(watch::Receiver<Counts>);

/// A connection's count of requests, for its service and for its driver.
pub fn requests() -> (Requests, Activity) {
    let (sender, receiver) = watch::channel(Counts::default());
    (Requests(Arc::new(sender)), Activity(receiver))
}

impl Requests {
    /// Counts `request` (a service's answer on its way) in flight until its answer's body has
    /// been sent, or until either is dropped (its client gave up, or the connection ended).
    pub fn track<F, B, E>(
        &self,
        request: F,
    ) -> impl Future<Output = Result<Response<Tracked<B>>, E>>
    where
        F: Future<Output = Result<Response<B>, E>>,
    {
        let in_flight = InFlight::start(&self.0);
        async move {
            let response = request.await?;
            Ok(response.map(|body| Tracked {
                body,
                in_flight: Some(in_flight),
            }))
        }
    }
}

/// An answer's body, its request counted in flight until it ends: a client that reads its
/// answer slowly is not idle, and an answer being written is not cut by the idle deadline.
#[derive(Debug)]
pub struct Tracked<B> {
    body: B,
    in_flight: Option<InFlight>,
}

impl<B: Body + Unpin> Body for Tracked<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let frame = Pin::new(&mut self.body).poll_frame(cx);
        if matches!(frame, Poll::Ready(None) | Poll::Ready(Some(Err(_)))) {
            self.in_flight = None;
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// One request in flight, until dropped.
#[derive(Debug)]
struct InFlight(Arc<watch::Sender<Counts>>);

impl InFlight {
    fn start(counts: &Arc<watch::Sender<Counts>>) -> Self {
        counts.send_modify(|counts| {
            counts.started += 1;
            counts.in_flight += 1;
            counts.busy_since.get_or_insert_with(Instant::now);
        });
        Self(Arc::clone(counts))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.send_modify(|counts| {
            counts.in_flight -= 1;
            if counts.in_flight == 0 {
                counts.busy_since = None;
            }
        });
    }
}

/// What a connection is doing, for the caps to see.
#[derive(Debug)]
pub struct Watcher(watch::Receiver<Counts>);

impl Watcher {
    /// `None` while a request is in flight; otherwise whether one was ever served.
    pub fn doing_nothing(&self) -> Option<bool> {
        let counts = *self.0.borrow();
        (counts.in_flight == 0).then_some(counts.started > 0)
    }

    /// Since when requests have been in flight without a break, if they are.
    pub fn busy_since(&self) -> Option<Instant> {
        self.0.borrow().busy_since
    }
}

impl Activity {
    /// A watcher of the same connection's requests.
    pub fn watcher(&self) -> Watcher {
        Watcher(self.0.clone())
    }

    /// Resolves when the first request has started.
    async fn first_request(&mut self) {
        // The sender lives as long as the connection, which the caller holds.
        let _ = self.0.wait_for(|counts| counts.started > 0).await;
    }

    /// Resolves once no request has been in flight for `idle`.
    async fn idle_for(&mut self, idle: Duration) {
        loop {
            if self
                .0
                .wait_for(|counts| counts.in_flight == 0)
                .await
                .is_err()
            {
                return std::future::pending().await;
            }
            tokio::select! {
                () = tokio::time::sleep(idle) => return,
                // A request started (or ended): wait for quiet again, from the start.
                changed = self.0.changed() => if changed.is_err() {
                    return std::future::pending().await;
                },
            }
        }
    }
}

/// How a connection is asked to give its place up under a cap.
#[derive(Debug, Clone, Default)]
pub struct Eviction {
    /// Doing nothing: closed gracefully (at once, with nothing in flight).
    pub idle: Arc<Notify>,
    /// Busy longer than a whole request may take, with every place busy: dropped.
    pub stale: Arc<Notify>,
}

/// Drives `connection` to its end, closing it at its deadlines, when it is evicted or when
/// `stopping` turns true; answers the connection's own outcome, and why the server closed it,
/// if it did.
pub async fn drive<C, E>(
    connection: C,
    mut activity: Activity,
    evict: Eviction,
    deadlines: Deadlines,
    mut stopping: watch::Receiver<bool>,
) -> (Result<(), E>, Option<Closed>)
where
    C: Future<Output = Result<(), E>> + GracefulClose,
{
    let mut connection = pin!(connection);
    // Before its first request nothing is in flight: a connection late with it is dropped.
    tokio::select! {
        ended = connection.as_mut() => return (ended, None),
        () = activity.first_request() => {}
        () = tokio::time::sleep(deadlines.first_request) => {
            return (Ok(()), Some(Closed::FirstRequestLate));
        }
        () = evict.idle.notified() => return (Ok(()), Some(Closed::Evicted)),
        () = evict.stale.notified() => return (Ok(()), Some(Closed::Evicted)),
        _ = stopping.wait_for(|stopping| *stopping) => return (Ok(()), Some(Closed::Stopping)),
    }
    let closed = tokio::select! {
        ended = connection.as_mut() => return (ended, None),
        () = activity.idle_for(deadlines.idle) => Closed::Idle,
        () = evict.idle.notified() => Closed::Evicted,
        () = evict.stale.notified() => return (Ok(()), Some(Closed::Evicted)),
        _ = stopping.wait_for(|stopping| *stopping) => Closed::Stopping,
    };
    connection.as_mut().graceful_close();
    // A client that does not read its answers must not hold the connection either.
    let ended = tokio::select! {
        ended = tokio::time::timeout(deadlines.drain, connection) => ended.unwrap_or(Ok(())),
        () = evict.stale.notified() => Ok(()),
    };
    (ended, Some(closed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::Empty;
    use hyper::body::Bytes;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// A connection that runs until closed: at once when `lingers` is false, never otherwise.
    #[derive(Default)]
    struct Connection {
        closing: Arc<AtomicBool>,
        lingers: bool,
    }

    impl Future for Connection {
        type Output = Result<(), ()>;
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
            if self.closing.load(Ordering::SeqCst) && !self.lingers {
                Poll::Ready(Ok(()))
            } else {
                Poll::Pending
            }
        }
    }

    impl GracefulClose for Connection {
        fn graceful_close(self: Pin<&mut Self>) {
            self.closing.store(true, Ordering::SeqCst);
        }
    }

    const DEADLINES: Deadlines = Deadlines {
        first_request: Duration::from_secs(10),
        idle: Duration::from_secs(60),
        drain: Duration::from_secs(30),
        send_stall: Duration::from_secs(30),
    };

    /// A request that takes `time` to answer, with an empty body.
    async fn taking(time: Duration) -> Result<Response<Empty<Bytes>>, ()> {
        tokio::time::sleep(time).await;
        Ok(Response::new(Empty::new()))
    }

    /// A request answered at once (its answer dropped: all sent).
    async fn answered(requests: &Requests) {
        let _ = requests.track(taking(Duration::ZERO)).await;
    }

    /// A connection never asked to give its place up.
    fn no_eviction() -> Eviction {
        Eviction::default()
    }

    /// A connection driven in a task of its own, on a server that does not stop.
    struct Driven {
        driver: tokio::task::JoinHandle<(Result<(), ()>, Option<Closed>)>,
        requests: Requests,
        closing: Arc<AtomicBool>,
        evict: Eviction,
        _server: watch::Sender<bool>,
    }

    fn driven(connection: Connection) -> Driven {
        let (requests, activity) = requests();
        let closing = Arc::clone(&connection.closing);
        let (server, stopping) = not_stopping();
        let evict = no_eviction();
        let driver = tokio::spawn(drive(
            connection,
            activity,
            evict.clone(),
            DEADLINES,
            stopping,
        ));
        Driven {
            driver,
            requests,
            closing,
            evict,
            _server: server,
        }
    }

    /// A server that does not stop: its sender, to keep (a dropped one reads as stopping),
    /// and its receiver.
    fn not_stopping() -> (watch::Sender<bool>, watch::Receiver<bool>) {
        watch::channel(false)
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_without_a_request_is_dropped_at_its_deadline() {
        let (_requests, activity) = requests();
        let (_server, stopping) = not_stopping();
        let start = tokio::time::Instant::now();
        let (_, closed) = drive(
            Connection::default(),
            activity,
            no_eviction(),
            DEADLINES,
            stopping,
        )
        .await;
        assert_eq!(closed, Some(Closed::FirstRequestLate));
        assert_eq!(start.elapsed(), DEADLINES.first_request);
    }

    #[tokio::test(start_paused = true)]
    async fn a_served_connection_is_closed_gracefully_once_idle_and_never_mid_request() {
        let start = tokio::time::Instant::now();
        let Driven {
            driver,
            requests,
            closing,
            _server,
            ..
        } = driven(Connection::default());
        // A first request at 5 s that takes 100 s: longer than the idle time, not idle.
        tokio::time::sleep(Duration::from_secs(5)).await;
        let _ = requests.track(taking(Duration::from_secs(100))).await;
        assert!(!closing.load(Ordering::SeqCst), "closed mid-request");
        // Another request before the idle time is up starts it again.
        tokio::time::sleep(Duration::from_secs(59)).await;
        answered(&requests).await;
        let (_, closed) = driver.await.unwrap();
        assert_eq!(closed, Some(Closed::Idle));
        assert!(closing.load(Ordering::SeqCst), "closed gracefully");
        assert_eq!(start.elapsed(), Duration::from_secs(5 + 100 + 59 + 60));
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_that_will_not_finish_closing_is_dropped_after_the_drain() {
        let (requests, activity) = requests();
        let connection = Connection {
            lingers: true,
            ..Connection::default()
        };
        let (_server, stopping) = not_stopping();
        let start = tokio::time::Instant::now();
        answered(&requests).await;
        let (ended, closed) = drive(connection, activity, no_eviction(), DEADLINES, stopping).await;
        assert_eq!((ended, closed), (Ok(()), Some(Closed::Idle)));
        assert_eq!(start.elapsed(), DEADLINES.idle + DEADLINES.drain);
    }

    #[tokio::test(start_paused = true)]
    async fn a_stopping_server_closes_its_connections() {
        let (requests, activity) = requests();
        let (stop, stopping) = watch::channel(false);
        answered(&requests).await;
        let driver = tokio::spawn(drive(
            Connection::default(),
            activity,
            no_eviction(),
            DEADLINES,
            stopping,
        ));
        tokio::time::sleep(Duration::from_secs(1)).await;
        stop.send(true).unwrap();
        assert_eq!(driver.await.unwrap().1, Some(Closed::Stopping));
    }

    #[tokio::test(start_paused = true)]
    async fn an_answer_still_being_sent_keeps_its_connection_from_idling() {
        let start = tokio::time::Instant::now();
        let Driven {
            driver,
            requests,
            closing,
            _server,
            ..
        } = driven(Connection::default());
        // Answered at once, its body read by its client for 100 s: longer than the idle time.
        let answer = requests.track(taking(Duration::ZERO)).await.unwrap();
        tokio::time::sleep(Duration::from_secs(100)).await;
        assert!(!closing.load(Ordering::SeqCst), "closed mid-answer");
        drop(answer);
        let (_, closed) = driver.await.unwrap();
        assert_eq!(closed, Some(Closed::Idle));
        assert_eq!(start.elapsed(), Duration::from_secs(100 + 60));
    }

    #[tokio::test(start_paused = true)]
    async fn an_evicted_connection_is_dropped_before_its_first_request_and_closed_after() {
        let (_requests, activity) = requests();
        let (_server, stopping) = not_stopping();
        let evict = no_eviction();
        evict.idle.notify_one();
        let (_, closed) = drive(Connection::default(), activity, evict, DEADLINES, stopping).await;
        assert_eq!(closed, Some(Closed::Evicted));

        let Driven {
            driver,
            requests,
            closing,
            evict,
            _server,
            ..
        } = driven(Connection::default());
        answered(&requests).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        evict.idle.notify_one();
        assert_eq!(driver.await.unwrap().1, Some(Closed::Evicted));
        assert!(closing.load(Ordering::SeqCst), "closed gracefully");
    }

    #[tokio::test(start_paused = true)]
    async fn a_stale_eviction_drops_a_connection_mid_answer() {
        let start = tokio::time::Instant::now();
        let Driven {
            driver,
            requests,
            evict,
            _server,
            ..
        } = driven(Connection {
            lingers: true,
            ..Connection::default()
        });
        let _answer = requests.track(taking(Duration::ZERO)).await.unwrap();
        tokio::time::sleep(Duration::from_secs(100)).await;
        evict.stale.notify_one();
        assert_eq!(driver.await.unwrap().1, Some(Closed::Evicted));
        assert_eq!(start.elapsed(), Duration::from_secs(100));
    }
}
