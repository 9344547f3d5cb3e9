//! Telling hosts the result: Standard Webhooks signatures, and the durable delivery outbox.

mod deliveries;
mod standard_webhooks;

pub use deliveries::{Deliveries, NewDelivery, WebhookWorker, GIVE_UP_AFTER_SECONDS};
pub use standard_webhooks::{sign_webhook, verify_webhook, WebhookError, TOLERANCE_SECONDS};
