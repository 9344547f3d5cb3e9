//! What the benchmarks share: reading a PIN as the phone would, and the median of runs.

use sqlx::SqlitePool;

/// The PIN of the newest SMS to `phone` in the development outbox.
pub async fn last_pin(db: &SqlitePool, phone: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body FROM sms_outbox WHERE recipient = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(phone)
    .fetch_one(db)
    .await
    .expect("an SMS in the outbox");
    body.split_once("code is ")
        .expect("a code")
        .1
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

/// The median of `values`.
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
