//! Where a webhook may go: only to addresses on the public internet, checked when the
//! connection is made (so a name that resolves differently the second time, DNS rebinding,
//! gains nothing), never following a redirect.

use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::{
    net::{IpAddr, SocketAddr},
    sync::{Arc, LazyLock},
    time::Duration,
};

/// IANA's special-purpose registries (IPv4 and IPv6), every block that is not plainly
/// globally reachable, plus multicast and the reserved 240/4: no webhook goes there.
const SPECIAL_PURPOSE: &[&str] = &[
    // IPv4
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.31.196.0/24",
    "192.52.193.0/24",
    "192.88.99.0/24",
    "192.168.0.0/16",
    "192.175.48.0/24",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
    // IPv6 (mapped IPv4 is checked as IPv4)
    "::/96",
    "64:ff9b::/96",
    "64:ff9b:1::/48",
    "100::/64",
    "2001::/23",
    "2001:db8::/32",
    "2002::/16",
    "3fff::/20",
    "5f00::/16",
    "fc00::/7",
    "fe80::/10",
    "fec0::/10",
    "ff00::/8",
];

static BLOCKED: LazyLock<Vec<IpNet>> = LazyLock::new(|| {
    SPECIAL_PURPOSE
        .iter()
        .map(|net| net.parse().expect("the list holds networks"))
        .collect()
});

/// Whether `ip` is on the public internet: in no special-purpose block.
pub fn is_public(ip: IpAddr) -> bool {
    let ip = ip.to_canonical();
    !BLOCKED.iter().any(|net| net.contains(&ip))
}

/// A name resolved only to addresses that are not public: the webhook is refused.
#[derive(Debug, thiserror::Error)]
#[error("{0} resolves to an address that is not public; the site does not allow that")]
pub struct NotPublic(pub String);

/// Resolves names with the system resolver and keeps public addresses only; a name with
/// none left is refused with [`NotPublic`].
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let resolved: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = resolved
                .into_iter()
                .filter(|address| is_public(address.ip()))
                .collect();
            if public.is_empty() {
                return Err(Box::new(NotPublic(host)) as _);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// The HTTP client webhooks go out with: no redirects, short timeouts, and, unless
/// `private_allowed` (a development site's choice), public addresses only.
pub fn webhook_client(private_allowed: bool) -> reqwest::Result<reqwest::Client> {
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10));
    if private_allowed {
        builder.build()
    } else {
        builder.dns_resolver(Arc::new(PublicOnly)).build()
    }
}

/// Refuses a URL whose host is an address (no name to resolve) that is not public.
pub fn literal_host_is_public(url: &str) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|_| "bad webhook URL".to_owned())?;
    let host = parsed.host_str().ok_or("webhook URL without a host")?;
    match host.trim_matches(['[', ']']).parse::<IpAddr>() {
        Ok(ip) if !is_public(ip) => Err(format!(
            "{ip} is not a public address; the site does not allow that"
        )),
        _ => Ok(()),
    }
}

/// Whether `error` (from a webhook request) came from refusing a destination that is not
/// public.
pub fn refused_as_not_public(error: &reqwest::Error) -> Option<String> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<NotPublic>() {
            return Some(refused.to_string());
        }
        source = cause.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_purpose_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "198.18.0.1",
            "240.0.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.0.8",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
            "2001:db8::1",
            "ff02::1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:2800:220:1::1",
            "::ffff:1.1.1.1",
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn an_address_written_in_the_url_is_checked_too() {
        assert!(literal_host_is_public("http://127.0.0.1:8080/hooks").is_err());
        assert!(literal_host_is_public("http://[::1]/hooks").is_err());
        assert!(literal_host_is_public("https://1.1.1.1/hooks").is_ok());
        assert!(literal_host_is_public("https://hooks.example.com/x").is_ok());
    }
}
