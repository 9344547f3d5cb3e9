//! A connection's writes, watched: a client that takes no byte of an answer for the send stall
//! is dropped (nginx's `send_timeout`), and since when it has taken nothing is there for the
//! caps to see. A download its client never reads is busy, not idle, so without this the caps
//! could not tell it from an honest one: 1000 such connections from 2 addresses, reopened as
//! they were dropped, refused every newcomer (issue 29's second break-it).

use std::{
    future::Future,
    io,
    pin::Pin,
    sync::{Arc, Mutex, PoisonError},
    task::{Context, Poll},
    time::{Duration, Instant},
};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    time::Sleep,
};

/// Since when a connection's client has taken nothing of what the server writes, if it has not.
#[derive(Debug, Default)]
pub struct Stall(Mutex<Option<Instant>>);

impl Stall {
    /// A connection not stalled.
    pub fn new() -> Arc<Self> {
        Arc::default()
    }

    /// Since when the client has taken nothing, while a write waits.
    pub fn since(&self) -> Option<Instant> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn set(&self, since: Option<Instant>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = since;
    }
}

/// A stream whose writes fail once they have waited `limit` without progress.
#[derive(Debug)]
pub struct Watched<S> {
    inner: S,
    limit: Duration,
    deadline: Option<Pin<Box<Sleep>>>,
    stall: Arc<Stall>,
}

impl<S> Watched<S> {
    /// `inner`, its stalls reported to `stall` and cut at `limit`.
    pub fn new(inner: S, limit: Duration, stall: Arc<Stall>) -> Self {
        Self {
            inner,
            limit,
            deadline: None,
            stall,
        }
    }

    /// A write went through: the stall, if any, is over.
    fn progressed(&mut self) {
        if self.deadline.take().is_some() {
            self.stall.set(None);
        }
    }

    /// A write waits: its deadline started at the first wait, its error once it passes.
    fn waiting<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let deadline = self.deadline.get_or_insert_with(|| {
            self.stall.set(Some(Instant::now()));
            Box::pin(tokio::time::sleep(self.limit))
        });
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client took nothing within the send stall",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    /// What a write of the inner stream answered, watched.
    fn watch<T>(
        &mut self,
        cx: &mut Context<'_>,
        written: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match written {
            Poll::Ready(result) => {
                self.progressed();
                Poll::Ready(result)
            }
            Poll::Pending => self.waiting(cx),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(cx, written)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch(cx, written)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let flushed = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(cx, flushed)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    #[tokio::test(start_paused = true)]
    async fn a_write_nobody_takes_fails_at_the_stall_and_shows_since_when() {
        // A pipe of 64 bytes whose other end nobody reads.
        let (client, server) = tokio::io::duplex(64);
        let stall = Stall::new();
        let mut watched = Watched::new(server, Duration::from_secs(30), stall.clone());
        watched.write_all(&[0; 64]).await.unwrap();
        assert_eq!(stall.since(), None, "a write that went through is no stall");
        let start = tokio::time::Instant::now();
        let error = watched.write_all(&[0; 1]).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert_eq!(start.elapsed(), Duration::from_secs(30));
        assert!(stall.since().is_some());
        drop(client);
    }

    #[tokio::test(start_paused = true)]
    async fn a_client_that_reads_ends_the_stall() {
        let (mut client, server) = tokio::io::duplex(64);
        let stall = Stall::new();
        let mut watched = Watched::new(server, Duration::from_secs(30), stall.clone());
        watched.write_all(&[0; 64]).await.unwrap();
        let writer =
            tokio::spawn(async move { watched.write_all(&[0; 32]).await.map(|()| watched) });
        tokio::time::sleep(Duration::from_secs(20)).await;
        assert!(stall.since().is_some(), "waiting for the client");
        let mut taken = [0; 64];
        tokio::io::AsyncReadExt::read_exact(&mut client, &mut taken)
            .await
            .unwrap();
        writer
            .await
            .unwrap()
            .expect("the write went through before the stall");
        assert_eq!(stall.since(), None);
    }
}
