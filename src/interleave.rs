//! Seeded pauses for the interleavings harness (`widget::flow::interleavings`): a step that
//! runs inside [`scope`] stops for a random while at each point the code offers (between
//! database statements, around Verigator calls), so that its steps meet in many orders.
//! Outside a scope, and in every build but the unit tests', a point does nothing.

use rand::{rngs::StdRng, Rng, SeedableRng};
use std::{future::Future, sync::Mutex, time::Duration};

tokio::task_local! {
    static PAUSES: Mutex<StdRng>;
}

/// Runs `step` with pauses drawn from `seed`.
pub async fn scope<F: Future>(seed: u64, step: F) -> F::Output {
    PAUSES
        .scope(Mutex::new(StdRng::seed_from_u64(seed)), step)
        .await
}

/// A number below `bound` from the step's own draws; `None` outside a scope.
pub fn draw(bound: u32) -> Option<u32> {
    PAUSES
        .try_with(|rng| rng.lock().map(|mut rng| rng.gen_range(0..bound)).ok())
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
