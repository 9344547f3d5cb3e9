//! Seeded pauses for the interleavings harness (`widget::flow::interleavings`): a step that
//! runs inside [`scope`] stops for a random while at each point the code offers (between
//! database statements, around Verigator calls), so that its steps meet in many orders.
//! Outside a scope, and in every build but the unit tests', a point does nothing.

use rand::{rngs::StdRng, Rng, SeedableRng};
use std::{
    future::Future,
    sync::{Arc, Mutex},
    time::Duration,
};

/// A step's draws, and the label the harness gave it.
#[derive(Clone)]
struct Scope {
    draws: Arc<Mutex<StdRng>>,
    label: usize,
}

tokio::task_local! {
    static SCOPE: Scope;
}

/// Runs `step`, labelled `label`, with pauses drawn from `seed`.
pub async fn scope<F: Future>(seed: u64, label: usize, step: F) -> F::Output {
    let scope = Scope {
        draws: Arc::new(Mutex::new(StdRng::seed_from_u64(seed))),
        label,
    };
    SCOPE.scope(scope, step).await
}

/// `step` in the scope of the task that makes it, for a task of its own (a spawned task
/// starts with none).
pub fn carry<F: Future>(step: F) -> impl Future<Output = F::Output> {
    let scope = SCOPE.try_with(Scope::clone).ok();
    async move {
        match scope {
            Some(scope) => SCOPE.scope(scope, step).await,
            None => step.await,
        }
    }
}

/// The label of the step running, inside a scope.
pub fn label() -> Option<usize> {
    SCOPE.try_with(|scope| scope.label).ok()
}

/// A number below `bound` from the step's own draws; `None` outside a scope.
pub fn draw(bound: u32) -> Option<u32> {
    SCOPE
        .try_with(|scope| {
            scope
                .draws
                .lock()
                .map(|mut rng| rng.gen_range(0..bound))
                .ok()
        })
        .ok()
        .flatten()
}

/// A point where the step may stop: half the time it goes on, else it lets the other tasks
/// run, or sleeps up to 2 ms (long beside a statement on SQLite).
pub async fn pause() {
    match draw(10) {
        None | Some(0..=4) => {}
        Some(5..=7) => tokio::task::yield_now().await,
        Some(_) => {
            let micros = draw(2000).unwrap_or(0);
            tokio::time::sleep(Duration::from_micros(u64::from(micros))).await;
        }
    }
}
