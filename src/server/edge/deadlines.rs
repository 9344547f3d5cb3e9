//! A connection's deadlines, whatever its protocol: its first request within so long of its
//! accept (before it, hyper has no timer: protocol detection and HTTP/2's handshake wait for
//! ever), and, once it has served, no longer than so long with no request in flight.

use std::{
    future::Future,
    pin::{pin, Pin},
    sync::Arc,
    time::Duration,
};
use tokio::sync::watch;

/// How long a connection may go without a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// From its accept to its first whole request head; then it is dropped.
    pub first_request: Duration,
    /// With no request in flight, after its first; then it is shut down gracefully.
    pub idle: Duration,
    /// From that graceful shutdown to its end (answers still being written); then it is dropped.
    pub drain: Duration,
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
}

impl Closed {
    /// The reason's name, as the metrics label it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstRequestLate => "first-request",
            Self::Idle => "idle",
            Self::Stopping => "stopping",
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
    /// Counts `request` (a service's answer on its way) in flight until it resolves or is
    /// dropped (its client gave up).
    pub fn track<F: Future>(&self, request: F) -> impl Future<Output = F::Output> {
        let in_flight = InFlight::start(&self.0);
        async move {
            let answer = request.await;
            drop(in_flight);
            answer
        }
    }
}

/// One request in flight, until dropped.
struct InFlight(Arc<watch::Sender<Counts>>);

impl InFlight {
    fn start(counts: &Arc<watch::Sender<Counts>>) -> Self {
        counts.send_modify(|counts| {
            counts.started += 1;
            counts.in_flight += 1;
        });
        Self(Arc::clone(counts))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.send_modify(|counts| counts.in_flight -= 1);
    }
}

impl Activity {
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

/// Drives `connection` to its end, closing it at its deadlines or when `stopping` turns true;
/// answers the connection's own outcome, and why the server closed it, if it did.
pub async fn drive<C, E>(
    connection: C,
    mut activity: Activity,
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
        _ = stopping.wait_for(|stopping| *stopping) => return (Ok(()), Some(Closed::Stopping)),
    }
    let closed = tokio::select! {
        ended = connection.as_mut() => return (ended, None),
        () = activity.idle_for(deadlines.idle) => Closed::Idle,
        _ = stopping.wait_for(|stopping| *stopping) => Closed::Stopping,
    };
    connection.as_mut().graceful_close();
    // A client that does not read its answers must not hold the connection either.
    let ended = tokio::time::timeout(deadlines.drain, connection)
        .await
        .unwrap_or(Ok(()));
    (ended, Some(closed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::{
        sync::atomic::{AtomicBool, Ordering},
        task::{Context, Poll},
    };

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
    };

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
        let (_, closed) = drive(Connection::default(), activity, DEADLINES, stopping).await;
        assert_eq!(closed, Some(Closed::FirstRequestLate));
        assert_eq!(start.elapsed(), DEADLINES.first_request);
    }

    #[tokio::test(start_paused = true)]
    async fn a_served_connection_is_closed_gracefully_once_idle_and_never_mid_request() {
        let (requests, activity) = requests();
        let connection = Connection::default();
        let closing = Arc::clone(&connection.closing);
        let (_server, stopping) = not_stopping();
        let start = tokio::time::Instant::now();
        let driver = tokio::spawn(drive(connection, activity, DEADLINES, stopping));
        // A first request at 5 s that takes 100 s: longer than the idle time, not idle.
        tokio::time::sleep(Duration::from_secs(5)).await;
        requests
            .track(tokio::time::sleep(Duration::from_secs(100)))
            .await;
        assert!(!closing.load(Ordering::SeqCst), "closed mid-request");
        // Another request before the idle time is up starts it again.
        tokio::time::sleep(Duration::from_secs(59)).await;
        requests.track(async {}).await;
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
        requests.track(async {}).await;
        let (ended, closed) = drive(connection, activity, DEADLINES, stopping).await;
        assert_eq!((ended, closed), (Ok(()), Some(Closed::Idle)));
        assert_eq!(start.elapsed(), DEADLINES.idle + DEADLINES.drain);
    }

    #[tokio::test(start_paused = true)]
    async fn a_stopping_server_closes_its_connections() {
        let (requests, activity) = requests();
        let (stop, stopping) = watch::channel(false);
        requests.track(async {}).await;
        let driver = tokio::spawn(drive(Connection::default(), activity, DEADLINES, stopping));
        tokio::time::sleep(Duration::from_secs(1)).await;
        stop.send(true).unwrap();
        assert_eq!(driver.await.unwrap().1, Some(Closed::Stopping));
    }
}
