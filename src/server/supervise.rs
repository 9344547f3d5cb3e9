//! Background jobs that must not die quietly: a job that panics is logged and started again.

use std::{future::Future, time::Duration};
use tokio::task::AbortHandle;

/// How long a job that panicked waits before it starts again.
const RESTART_AFTER: Duration = Duration::from_secs(1);

/// Aborts the task when dropped, so that aborting the supervisor stops the job too.
struct AbortOnDrop(AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs `job()` as a task of its own until it returns; when it panics, logs it and starts a
/// new one.
pub async fn supervised<F, Fut>(name: &'static str, job: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    loop {
        let task = tokio::spawn(job());
        let _abort = AbortOnDrop(task.abort_handle());
        match task.await {
            Ok(()) => return,
            Err(error) if error.is_panic() => {
                tracing::error!(job = name, "background job panicked; starting it again");
                tokio::time::sleep(RESTART_AFTER).await;
            }
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    };

    #[tokio::test(start_paused = true)]
    async fn a_job_that_panics_is_started_again() {
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        supervised("test", move || {
            let runs = counted.clone();
            async move {
                if runs.fetch_add(1, Ordering::SeqCst) < 2 {
                    panic!("the job fails");
                }
            }
        })
        .await;
        assert_eq!(runs.load(Ordering::SeqCst), 3);
    }
}
