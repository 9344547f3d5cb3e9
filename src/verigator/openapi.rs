//! The OpenAPI 3.1 document of the Verigator-compatible API, built from the handlers' own
//! annotations and the wire types (served at `/openapi/v1.json`).

use super::{http, wire::ErrorBody};
use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, SecurityScheme},
    Modify, OpenApi,
};

/// The document: every route of `/v1`, the compatibility contract and the TOTP extension.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Verigator-compatible API",
        description = "Messente's Verigator 2FA API (services, users, SMS PIN and TOTP), as the \
                       official Python and Java clients use it, plus two extensions: an \
                       authenticator app's enrolment (`/totp`), and the WebOTP hosts and \
                       language of an SMS (`web_otp`, `lang` when starting an authentication). \
                       Every answer is JSON, errors included (`{\"message\": …}`).",
        license(name = "MIT", identifier = "MIT")
    ),
    servers((url = "/v1", description = "This server's embedded API")),
    paths(
        http::create_service,
        http::get_service,
        http::delete_service,
        http::create_user,
        http::list_users,
        http::get_user,
        http::get_user_singular,
        http::delete_user,
        http::initiate_auth,
        http::verify_auth,
        http::enrol_totp,
        http::confirm_totp,
    ),
    // Named by the error sets, which do not add their bodies' schemas.
    components(schemas(ErrorBody)),
    modifiers(&ServiceAuth),
    security(("service_auth" = [])),
    tags((name = "verigator", description = "Services, users and their authentications"))
)]
pub struct VerigatorApiDoc;

/// `X-Service-Auth: username:password` on every call.
struct ServiceAuth;

impl Modify for ServiceAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "service_auth",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Service-Auth",
                "The account's `username:password`",
            ))),
        );
    }
}
