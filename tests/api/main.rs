//! HTTP-level tests against the real server on a free port. One binary keeps linking fast.

mod abuse;
mod abuse_guard;
mod cli;
mod config;
mod embed;
mod fuzz;
mod hardening;
mod health;
mod helpers;
mod hosted_flow;
mod languages;
mod legacy_messente;
mod pages;
mod phone_corpus;
mod phone_step;
mod provisioning;
mod replicas;
mod retention;
mod site_options;
mod sms_providers;
mod steps;
mod test_sites;
mod trust;
mod verigator_client;
mod verigator_contract;
mod webhooks;
