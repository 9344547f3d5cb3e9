//! `/dev/outbox`: the development SMS outbox, for reading the PINs "sent" on a development
//! server. Answers 404 unless the outbox is the SMS provider.

use super::set_status_not_found;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// One message as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// E.164 recipient.
    pub recipient: String,
    /// The text.
    pub body: String,
    /// When, RFC 3339.
    pub sent_at: String,
}

/// The newest messages first; `None` when the outbox is not the SMS provider.
#[server(endpoint = "dev/outbox")]
pub async fn outbox_entries() -> Result<Option<Vec<OutboxEntry>>, ServerFnError> {
    use crate::sms::Outbox;
    use time::{format_description::well_known::Rfc3339, OffsetDateTime};

    // The page context holds the outbox when it is the SMS provider.
    let Some(outbox) = use_context::<Option<Outbox>>().flatten() else {
        return Ok(None);
    };
    let messages = outbox.latest(50).await.map_err(|error| {
        tracing::error!(%error, "cannot read the outbox");
        ServerFnError::new("cannot read the outbox")
    })?;
    let entries = messages
        .into_iter()
        .map(|m| OutboxEntry {
            sent_at: OffsetDateTime::from_unix_timestamp(m.created_at)
                .ok()
                .and_then(|t| t.format(&Rfc3339).ok())
                .unwrap_or_default(),
            recipient: m.recipient,
            body: m.body,
        })
        .collect();
    Ok(Some(entries))
}

/// The outbox page, rendered on the server.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let entries = Resource::new(|| (), |_| outbox_entries());
    view! {
        <Title text="Development SMS outbox"/>
        <main class="page wide">
            <h1>"Development SMS outbox"</h1>
            <p class="lead">"Messages the development SMS provider stored instead of sending. Also as "
                <a href="/dev/outbox.json">"JSON"</a>"."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(Some(list)) if list.is_empty() => view! { <p>"No messages yet."</p> }.into_any(),
                        Ok(Some(list)) => view! {
                            <table class="outbox">
                                <thead><tr><th>"Sent"</th><th>"To"</th><th>"Text"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|e| view! {
                                        <tr><td>{e.sent_at}</td><td>{e.recipient}</td><td class="sms">{e.body}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Ok(None) => {
                            set_status_not_found();
                            view! { <p>"The outbox is off: SMS go to a real provider."</p> }.into_any()
                        }
                        Err(_) => view! { <p class="error">"The outbox could not be read."</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
