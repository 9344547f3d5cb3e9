//! The OpenAPI documents at `/openapi/v1.json` and `/openapi/api.json` against the server's real
//! answers: every documented operation is called, each answer's status must be documented for
//! its operation, and its body must match the documented schema, read strictly (an object may
//! carry no property the document does not name).

use crate::helpers::*;
use jsonschema::{Draft, Registry};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Where the document sits in the validator's registry.
const DOCUMENT_URI: &str = "urn:phone-verify:openapi";

/// A served document, and the operations a test called.
struct Contract {
    document: Value,
    /// The path the document's `servers` puts before its paths.
    base: String,
    registry: Registry<'static>,
    called: BTreeSet<(String, String)>,
}

impl Contract {
    async fn of(app: &TestApp, path: &str) -> Self {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["content-type"], "application/json");
        let document: Value = response.json().await.unwrap();
        assert_eq!(document["openapi"], "3.1.0", "{path}");
        let base = document["servers"][0]["url"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let registry = Registry::new()
            .add(
                DOCUMENT_URI,
                Draft::Draft202012.create_resource(strict(document.clone())),
            )
            .unwrap()
            .prepare()
            .unwrap();
        Self {
            document,
            base,
            registry,
            called: BTreeSet::new(),
        }
    }

    /// Calls the operation `method template` (its `{…}` parameters filled in order from
    /// `args`) and checks the answer against the document; answers with its status and body.
    async fn call(&mut self, app: &TestApp, request: Call<'_>) -> (u16, Value) {
        let Call {
            method,
            template,
            args,
            headers,
            body,
        } = request;
        let mut path = template.to_owned();
        for arg in args {
            let start = path.find('{').expect("a parameter to fill");
            let end = path[start..].find('}').unwrap() + start;
            path.replace_range(start..=end, arg);
        }
        let mut builder = app.client.request(
            method.parse().unwrap(),
            format!("{}{}{path}", app.address, self.base),
        );
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        if let Some(body) = body {
            builder = builder.body(body.to_owned());
        }
        let response = builder.send().await.unwrap();
        let status = response.status().as_u16();
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        let text = response.text().await.unwrap();
        let value: Value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("{method} {path} answered {status} with {text}"));
        self.check(method, template, status, &content_type, &value);
        (status, value)
    }

    fn check(
        &mut self,
        method: &str,
        template: &str,
        status: u16,
        content_type: &str,
        body: &Value,
    ) {
        let operation = &self.document["paths"][template][method.to_ascii_lowercase()];
        assert!(
            operation.is_object(),
            "{method} {template} is not in the document"
        );
        self.called.insert((method.to_owned(), template.to_owned()));
        let answer = &operation["responses"][status.to_string()];
        assert!(
            answer.is_object(),
            "{method} {template} answered {status}, which the document does not list: {body}"
        );
        let media = &answer["content"][content_type];
        assert!(
            media.is_object(),
            "{method} {template} {status} answered {content_type}, not documented"
        );
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .with_registry(&self.registry)
            .build(&in_document(media["schema"].clone()))
            .unwrap();
        let errors: Vec<String> = validator.iter_errors(body).map(|e| e.to_string()).collect();
        assert!(
            errors.is_empty(),
            "{method} {template} {status}: {body} does not match the document: {errors:?}"
        );
    }

    /// Every operation the document lists was called.
    fn assert_all_called(&self) {
        let documented: BTreeSet<(String, String)> = self.document["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .unwrap()
                    .keys()
                    .map(|method| (method.to_ascii_uppercase(), path.clone()))
            })
            .collect();
        assert_eq!(
            self.called, documented,
            "operations called and documented differ"
        );
    }
}

/// One call of an operation.
struct Call<'a> {
    method: &'a str,
    template: &'a str,
    args: &'a [&'a str],
    headers: &'a [(&'a str, &'a str)],
    body: Option<&'a str>,
}

/// A call of `method template`, its parameters filled from `args`.
fn call<'a>(
    method: &'a str,
    template: &'a str,
    args: &'a [&'a str],
    headers: &'a [(&'a str, &'a str)],
    body: Option<&'a str>,
) -> Call<'a> {
    Call {
        method,
        template,
        args,
        headers,
        body,
    }
}

/// A schema taken out of the document, its references (`#/components/…`) still pointing into it.
fn in_document(mut schema: Value) -> Value {
    match &mut schema {
        Value::Object(object) => {
            for (key, value) in object.iter_mut() {
                match value {
                    Value::String(target) if key == "$ref" && target.starts_with('#') => {
                        *target = format!("{DOCUMENT_URI}{target}");
                    }
                    _ => *value = in_document(value.take()),
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| *item = in_document(item.take())),
        _ => {}
    }
    schema
}

/// The document, with every object schema closed: a property the document does not name is
/// an error, where JSON Schema would let it pass.
fn strict(mut document: Value) -> Value {
    fn close(schema: &mut Value) {
        match schema {
            Value::Object(object) => {
                if object.contains_key("properties") && !object.contains_key("additionalProperties")
                {
                    object.insert("additionalProperties".into(), Value::Bool(false));
                }
                object.values_mut().for_each(close);
            }
            Value::Array(items) => items.iter_mut().for_each(close),
            _ => {}
        }
    }
    close(&mut document["components"]);
    close(&mut document["paths"]);
    document
}

const JSON: (&str, &str) = ("content-type", "application/json");

#[tokio::test]
async fn every_verigator_operation_answers_as_its_document_says() {
    let app = spawn_app().await;
    let auth = format!("{WIDGET_USERNAME}:{WIDGET_PASSWORD}");
    let auth = ("x-service-auth", auth.as_str());
    let mut api = Contract::of(&app, "/openapi/v1.json").await;
    let service = "/service/service/{service_id}";
    let users = "/service/service/{service_id}/users";
    let user = "/service/service/{service_id}/users/{user_id}";

    let create = json!({"fqdn": "shop.example.com", "name": "Shop"}).to_string();
    let (status, created) = api
        .call(
            &app,
            call(
                "POST",
                "/service/service",
                &[],
                &[auth, JSON],
                Some(&create),
            ),
        )
        .await;
    assert_eq!(status, 200);
    let sid = created["id"].as_str().unwrap().to_owned();
    let sid = sid.as_str();
    // The same name again, no credentials, a body that is not JSON, nor a service.
    for (headers, body, expected) in [
        (&[auth, JSON][..], create.as_str(), 409),
        (&[JSON][..], create.as_str(), 401),
        (&[auth][..], create.as_str(), 415),
        (&[auth, JSON][..], "{\"fqdn\": 1}", 422),
        (&[auth, JSON][..], "not json", 422),
    ] {
        let (status, _) = api
            .call(
                &app,
                call("POST", "/service/service", &[], headers, Some(body)),
            )
            .await;
        assert_eq!(status, expected, "{body}");
    }
    assert_eq!(
        api.call(&app, call("GET", service, &[sid], &[auth], None))
            .await
            .0,
        200
    );
    let unknown = "4d8e1c2a-0000-4000-8000-000000000000";
    assert_eq!(
        api.call(&app, call("GET", service, &[unknown], &[auth], None))
            .await
            .0,
        404
    );
    let other = app.other_account("someone-else").await;
    let theirs = other
        .create_service("other.example.com", "Other")
        .await
        .unwrap()
        .id
        .to_string();
    assert_eq!(
        api.call(&app, call("GET", service, &[&theirs], &[auth], None))
            .await
            .0,
        403
    );

    let alice = json!({"id_in_service": "alice", "phone_number": PHONE}).to_string();
    let (status, created) = api
        .call(
            &app,
            call("POST", users, &[sid], &[auth, JSON], Some(&alice)),
        )
        .await;
    assert_eq!(status, 200);
    let uid = created["id"].as_str().unwrap().to_owned();
    let uid = uid.as_str();
    let bad_phone = json!({"id_in_service": "bob", "phone_number": "12"}).to_string();
    let (status, _) = api
        .call(
            &app,
            call("POST", users, &[sid], &[auth, JSON], Some(&bad_phone)),
        )
        .await;
    assert_eq!(status, 422);
    let (status, listed) = api
        .call(&app, call("GET", users, &[sid], &[auth], None))
        .await;
    assert_eq!((status, listed["count"].as_u64()), (200, Some(1)));
    assert_eq!(
        api.call(&app, call("GET", user, &[sid, uid], &[auth], None))
            .await
            .0,
        200
    );
    let singular = "/service/service/{service_id}/user/{user_id}";
    assert_eq!(
        api.call(&app, call("GET", singular, &[sid, uid], &[auth], None))
            .await
            .0,
        200
    );

    let auth_path = &format!("{user}/auth");
    let sms = json!({"method": "sms", "lang": "et"}).to_string();
    let (status, initiated) = api
        .call(
            &app,
            call("POST", auth_path, &[sid, uid], &[auth, JSON], Some(&sms)),
        )
        .await;
    assert_eq!((status, initiated["method"].as_str()), (200, Some("sms")));
    let pin = app.last_pin_to(PHONE).await;
    let wrong = json!({"token": if pin == "000000" { "111111" } else { "000000" }}).to_string();
    let (status, checked) = api
        .call(
            &app,
            call("PUT", auth_path, &[sid, uid], &[auth, JSON], Some(&wrong)),
        )
        .await;
    assert_eq!(
        (status, &checked["status"]["result"]),
        (200, &json!("INVALID"))
    );
    let right = json!({"token": pin}).to_string();
    let (status, checked) = api
        .call(
            &app,
            call("PUT", auth_path, &[sid, uid], &[auth, JSON], Some(&right)),
        )
        .await;
    assert_eq!((status, &checked["verified"]), (200, &json!(true)));
    // Resent at once: the number's cooldown.
    let (status, _) = api
        .call(
            &app,
            call("POST", auth_path, &[sid, uid], &[auth, JSON], Some(&sms)),
        )
        .await;
    assert_eq!(status, 429);

    let totp_path = &format!("{user}/totp");
    let (status, enrolled) = api
        .call(&app, call("POST", totp_path, &[sid, uid], &[auth], None))
        .await;
    assert_eq!(status, 200);
    assert!(enrolled["otpauth_uri"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/"));
    let (status, confirmed) = api
        .call(
            &app,
            call(
                "PUT",
                totp_path,
                &[sid, uid],
                &[auth, JSON],
                Some(r#"{"token": "000000"}"#),
            ),
        )
        .await;
    assert_eq!((status, &confirmed["confirmed"]), (200, &json!(false)));

    assert_eq!(
        api.call(&app, call("DELETE", user, &[sid, uid], &[auth], None))
            .await
            .0,
        202
    );
    assert_eq!(
        api.call(&app, call("DELETE", service, &[sid], &[auth], None))
            .await
            .0,
        202
    );
    assert_eq!(
        api.call(&app, call("DELETE", service, &[sid], &[auth], None))
            .await
            .0,
        404
    );
    api.assert_all_called();
}

#[tokio::test]
async fn the_backend_api_answers_as_its_document_says() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let mut api = Contract::of(&app, "/openapi/api.json").await;
    let bearer = format!("Bearer {}", secret.expose());
    let bearer = ("authorization", bearer.as_str());
    let request = json!({
        "site": "shop", "user": "alice@example.com", "callback_url": CALLBACK,
        "phone": PHONE, "state": "s-1"
    })
    .to_string();
    let unknown_site = request.replace("\"shop\"", "\"nowhere\"");
    let wrong_callback = request.replace(CALLBACK, "https://evil.example.net/");
    for (headers, body, expected) in [
        (&[bearer, JSON][..], request.as_str(), 201),
        (&[JSON][..], request.as_str(), 401),
        (
            &[("authorization", "Bearer whsec_AAAA"), JSON][..],
            request.as_str(),
            401,
        ),
        (&[bearer][..], request.as_str(), 415),
        (&[bearer, JSON][..], "{\"site\": \"shop\"}", 422),
        (&[bearer, JSON][..], wrong_callback.as_str(), 422),
        (&[bearer, JSON][..], unknown_site.as_str(), 404),
    ] {
        let (status, answer) = api
            .call(
                &app,
                Call {
                    method: "POST",
                    template: "/api/v1/sessions",
                    args: &[],
                    headers,
                    body: Some(body),
                },
            )
            .await;
        assert_eq!(status, expected, "{body}: {answer}");
    }
    api.assert_all_called();
}

#[test]
fn a_strict_document_refuses_a_property_it_does_not_name() {
    let document = strict(json!({
        "components": {"schemas": {"A": {"type": "object", "properties": {"a": {"type": "string"}}}}},
        "paths": {}
    }));
    let registry = Registry::new()
        .add(DOCUMENT_URI, Draft::Draft202012.create_resource(document))
        .unwrap()
        .prepare()
        .unwrap();
    let validator = jsonschema::options()
        .with_registry(&registry)
        .build(&in_document(json!({"$ref": "#/components/schemas/A"})))
        .unwrap();
    assert!(validator.is_valid(&json!({"a": "x"})));
    assert!(!validator.is_valid(&json!({"a": "x", "b": 1})));
    assert!(!validator.is_valid(&json!({"a": 1})));
}
