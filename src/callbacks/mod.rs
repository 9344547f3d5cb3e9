//! Telling hosts the result: what they are told (one outcome for every channel), Standard
//! Webhooks signatures, and the durable delivery outbox.

mod deliveries;
mod destination;
mod events;
mod standard_webhooks;

pub use deliveries::{
    delivery_written, Deliveries, NewDelivery, Running, WebhookWorker, GIVE_UP_AFTER_SECONDS,
    PER_DESTINATION,
};
pub use destination::{is_public, refused_as_not_public, webhook_client};
pub use events::{Blocked, Ending, Outcome, SignedFields};
pub use standard_webhooks::{sign_webhook, verify_webhook, WebhookError, TOLERANCE_SECONDS};
