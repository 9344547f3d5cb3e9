//! The Verigator-compatible HTTP API under `/v1`: thin handlers over [`Verigator`].
//!
//! Status codes follow what both official clients accept: 200 for reads, creates, initiate
//! and verify, 202 for deletes, and a JSON body on every response, errors included.

use super::{
    wire::{
        AuthInitiated, AuthVerified, ConfirmTotp, CreateService, CreateUser, Empty, ErrorBody,
        InitiateAuth, Service, TotpConfirmed, TotpEnrolment, User, UserList, VerifyAuth,
    },
    AccountName, Accounts, Verigator, VerigatorError,
};
use crate::{abuse::ClientNet, clock::Clock};
use axum::{
    extract::{
        rejection::{JsonRejection, PathRejection},
        DefaultBodyLimit, FromRequest, FromRequestParts, Path, State,
    },
    http::{header, request::Parts, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::{IntoParams, IntoResponses};

/// Largest request body: every request of this API is a few hundred bytes.
const MAX_BODY_BYTES: usize = 16 * 1024;

/// What the handlers share.
#[derive(Clone)]
pub struct ApiState {
    /// The API's behaviour.
    pub engine: Arc<Verigator>,
    /// Credentials.
    pub accounts: Arc<Accounts>,
    /// The clock of the failed-login windows.
    pub clock: Arc<dyn Clock>,
}

/// The API's routes, to nest under `/v1`.
pub fn router<S>(state: ApiState) -> Router<S> {
    let service = "/service/service/{service_id}";
    let user = "/service/service/{service_id}/users/{user_id}";
    Router::new()
        .route("/service/service", post(create_service))
        .route(service, get(get_service).delete(delete_service))
        .route(
            &format!("{service}/users"),
            post(create_user).get(list_users),
        )
        .route(user, get(get_user).delete(delete_user))
        // The Java client reads a user at the singular path.
        .route(
            "/service/service/{service_id}/user/{user_id}",
            get(get_user_singular),
        )
        .route(
            &format!("{user}/auth"),
            post(initiate_auth).put(verify_auth),
        )
        .route(&format!("{user}/totp"), post(enrol_totp).put(confirm_totp))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// An error as the API answers it.
pub struct ApiError {
    status: StatusCode,
    message: String,
    retry_after: Option<i64>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            retry_after: None,
        }
    }
}

impl From<VerigatorError> for ApiError {
    fn from(error: VerigatorError) -> Self {
        let status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        // Causes are for the operator's log; the caller gets the safe message.
        error.log_cause();
        let retry_after = error.retry_after_seconds();
        Self {
            status,
            message: error.to_string(),
            retry_after,
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send the body as JSON with Content-Type: application/json",
            ),
            JsonRejection::JsonDataError(e) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "Invalid request body: {}",
                    e.body_text().trim_start_matches(
                        "Failed to deserialize the JSON body into the target type: "
                    )
                ),
            ),
            JsonRejection::JsonSyntaxError(_) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid request body - check the format and if it was correctly JSON encoded",
            ),
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("Request body larger than {MAX_BODY_BYTES} bytes"),
            ),
            other => Self::new(other.status(), "Could not read the request body"),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not found")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(ErrorBody {
                message: self.message,
            }),
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

/// What any call can answer besides its own result ([`ApiError`]s), for the document.
#[derive(IntoResponses)]
pub enum CallErrors {
    /// `X-Service-Auth` is missing or wrong.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// Too many failed logins from this client, or too many codes to this user: wait the
    /// `Retry-After` seconds.
    #[response(status = 429)]
    TooMany(ErrorBody),
    /// The server failed; the cause is in its log.
    #[response(status = 500)]
    Internal(ErrorBody),
}

/// What a call naming a service or a user can answer.
#[derive(IntoResponses)]
pub enum LookupErrors {
    /// The service or user belongs to another account.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// No such service or user (or no such path).
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// A service of that name, or a user of that `id_in_service`, exists already.
    #[response(status = 409)]
    Conflict(ErrorBody),
}

/// What a call with a body can answer when the body is not right.
#[derive(IntoResponses)]
pub enum BodyErrors {
    /// Larger than 16 KiB.
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// Not sent as `application/json`.
    #[response(status = 415)]
    NotJson(ErrorBody),
    /// Not the expected JSON, or a value refused (a phone number that does not parse…).
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// A service named in the path.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ServicePath {
    /// The service's id.
    service_id: String,
}

/// A service's user named in the path.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct UserPath {
    /// The service's id.
    service_id: String,
    /// The user's id.
    user_id: String,
}

/// A JSON body whose rejections answer in the API's own error format.
#[derive(FromRequest)]
#[from_request(via(Json), rejection(ApiError))]
pub struct ApiJson<T>(T);

/// Path parameters whose rejections answer in the API's own error format.
#[derive(FromRequestParts)]
#[from_request(via(Path), rejection(ApiError))]
pub struct ApiPath<T>(T);

/// The account named by `X-Service-Auth`.
pub struct Caller(AccountName);

impl FromRequestParts<ApiState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ApiState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get("x-service-auth")
            .and_then(|v| v.to_str().ok());
        let client = ClientNet::of_request(&parts.extensions);
        let now = state.clock.unix_seconds();
        Ok(Self(
            state.accounts.authenticate(header, &client, now).await?,
        ))
    }
}

type ApiResult<T> = Result<(StatusCode, Json<T>), ApiError>;

fn ok<T>(value: T) -> ApiResult<T> {
    Ok((StatusCode::OK, Json(value)))
}

fn accepted() -> ApiResult<Empty> {
    Ok((StatusCode::ACCEPTED, Json(Empty {})))
}

/// Creates a service (E1): its name is unique in the account.
#[utoipa::path(
    post,
    path = "/service/service",
    tag = "verigator",
    request_body = CreateService,
    responses(
        (status = 200, description = "The service", body = Service),
        CallErrors, BodyErrors, LookupErrors
    )
)]
pub(super) async fn create_service(
    State(s): State<ApiState>,
    Caller(a): Caller,
    ApiJson(body): ApiJson<CreateService>,
) -> ApiResult<Service> {
    ok(s.engine.create_service(&a, body).await?)
}

/// Reads a service (E2).
#[utoipa::path(
    get,
    path = "/service/service/{service_id}",
    tag = "verigator",
    params(ServicePath),
    responses(
        (status = 200, description = "The service", body = Service),
        CallErrors, LookupErrors
    )
)]
pub(super) async fn get_service(
    State(s): State<ApiState>,
    Caller(a): Caller,
    ApiPath(ServicePath { service_id: sid }): ApiPath<ServicePath>,
) -> ApiResult<Service> {
    ok(s.engine.get_service(&a, &sid).await?)
}

/// Deletes a service and its users (E3).
#[utoipa::path(
    delete,
    path = "/service/service/{service_id}",
    tag = "verigator",
    params(ServicePath),
    responses(
        (status = 202, description = "Deleted", body = Empty),
        CallErrors, LookupErrors
    )
)]
pub(super) async fn delete_service(
    State(s): State<ApiState>,
    Caller(a): Caller,
    ApiPath(ServicePath { service_id: sid }): ApiPath<ServicePath>,
) -> ApiResult<Empty> {
    s.engine.delete_service(&a, &sid).await?;
    accepted()
}

/// Creates a user of the service (E4).
#[utoipa::path(
    post,
    path = "/service/service/{service_id}/users",
    tag = "verigator",
    request_body = CreateUser,
    params(ServicePath),
    responses(
        (status = 200, description = "The user (its phone number is never shown back)", body = User),
        CallErrors, BodyErrors, LookupErrors
    )
)]
pub(super) async fn create_user(
    State(s): State<ApiState>,
    Caller(a): Caller,
    ApiPath(ServicePath { service_id: sid }): ApiPath<ServicePath>,
    ApiJson(body): ApiJson<CreateUser>,
) -> ApiResult<User> {
    ok(s.engine.create_user(&a, &sid, body).await?)
}

/// Lists the service's users (E5).
#[utoipa::path(
    get,
    path = "/service/service/{service_id}/users",
    tag = "verigator",
    params(ServicePath),
    responses(
        (status = 200, description = "The users", body = UserList),
        CallErrors, LookupErrors
    )
)]
pub(super) async fn list_users(
    State(s): State<ApiState>,
    Caller(a): Caller,
    ApiPath(ServicePath { service_id: sid }): ApiPath<ServicePath>,
) -> ApiResult<UserList> {
    ok(s.engine.list_users(&a, &sid).await?)
}

/// Reads a user (E6); `/user/{user_id}` is the same, as the Java client asks.
#[utoipa::path(
    get,
    path = "/service/service/{service_id}/users/{user_id}",
    tag = "verigator",
    params(UserPath),
    responses(
        (status = 200, description = "The user", body = User),
        CallErrors, LookupErrors
    )
)]
pub(super) async fn get_user(
    State(s): State<ApiState>,
    Caller(a): Caller,
    ApiPath(UserPath {
        service_id: sid,
        user_id: uid,
    }): ApiPath<UserPath>,
) -> ApiResult<User> {
    ok(s.engine.get_user(&a, &sid, &uid).await?)
}

/// Reads a user at the singular path the Java client asks (E6).
#[utoipa::path(
    get,
    path = "/service/service/{service_id}/user/{user_id}",
    tag = "verigator",
    params(UserPath),
    responses(
        (status = 200, description = "The user", body = User),
        CallErrors, LookupErrors
    )
)]
pub(super) async fn get_user_singular(
    state: State<ApiState>,
    caller: Caller,
    ids: ApiPath<UserPath>,
) -> ApiResult<User> {
    get_user(state, caller, ids).await
}

/// Deletes a user (E7).
#[utoipa::path(
    delete,
    path = "/service/service/{service_id}/users/{user_id}",
    tag = "verigator",
    params(UserPath),
    responses(
        (status = 202, description = "Deleted", body = Empty),
        CallErrors, LookupErrors
    )
)]
pub(super) async fn delete_user(
    State(s): State<ApiState>,
    Caller(a): Caller,
    ApiPath(UserPath {
        service_id: sid,
        user_id: uid,
    }): ApiPath<UserPath>,
) -> ApiResult<Empty> {
    s.engine.delete_user(&a, &sid, &uid).await?;
    accepted()
}

/// Starts an authentication (E8): sends a PIN by SMS, or waits for an authenticator code.
#[utoipa::path(
    post,
    path = "/service/service/{service_id}/users/{user_id}/auth",
    tag = "verigator",
    request_body = InitiateAuth,
    params(UserPath),
    responses(
        (status = 200, description = "The method used", body = AuthInitiated),
        (status = 502, description = "The SMS provider did not take the message", body = ErrorBody),
        CallErrors, BodyErrors, LookupErrors
    )
)]
pub(super) async fn initiate_auth(
    State(s): State<ApiState>,
    Caller(a): Caller,
    ApiPath(UserPath {
        service_id: sid,
        user_id: uid,
    }): ApiPath<UserPath>,
    ApiJson(body): ApiJson<InitiateAuth>,
) -> ApiResult<AuthInitiated> {
    ok(s.engine.initiate(&a, &sid, &uid, &body).await?)
}

/// Checks a code (E9): a wrong one is a 200 with `verified: false`.
#[utoipa::path(
    put,
    path = "/service/service/{service_id}/users/{user_id}/auth",
    tag = "verigator",
    request_body = VerifyAuth,
    params(UserPath),
    responses(
        (status = 200, description = "The outcome", body = AuthVerified),
        CallErrors, BodyErrors, LookupErrors
    )
)]
pub(super) async fn verify_auth(
    State(s): State<ApiState>,
    Caller(a): Caller,
    ApiPath(UserPath {
        service_id: sid,
        user_id: uid,
    }): ApiPath<UserPath>,
    ApiJson(body): ApiJson<VerifyAuth>,
) -> ApiResult<AuthVerified> {
    ok(s.engine.verify(&a, &sid, &uid, &body.token).await?)
}

/// Extension: draws a new authenticator secret for the user, unconfirmed.
#[utoipa::path(
    post,
    path = "/service/service/{service_id}/users/{user_id}/totp",
    tag = "verigator",
    params(UserPath),
    responses(
        (status = 200, description = "The secret", body = TotpEnrolment),
        CallErrors, LookupErrors
    )
)]
pub(super) async fn enrol_totp(
    State(s): State<ApiState>,
    Caller(a): Caller,
    ApiPath(UserPath {
        service_id: sid,
        user_id: uid,
    }): ApiPath<UserPath>,
) -> ApiResult<TotpEnrolment> {
    ok(s.engine.enrol_totp(&a, &sid, &uid).await?)
}

/// Extension: confirms the authenticator secret with a first code.
#[utoipa::path(
    put,
    path = "/service/service/{service_id}/users/{user_id}/totp",
    tag = "verigator",
    request_body = ConfirmTotp,
    params(UserPath),
    responses(
        (status = 200, description = "Whether it matched", body = TotpConfirmed),
        CallErrors, BodyErrors, LookupErrors
    )
)]
pub(super) async fn confirm_totp(
    State(s): State<ApiState>,
    Caller(a): Caller,
    ApiPath(UserPath {
        service_id: sid,
        user_id: uid,
    }): ApiPath<UserPath>,
    ApiJson(body): ApiJson<ConfirmTotp>,
) -> ApiResult<TotpConfirmed> {
    ok(s.engine.confirm_totp(&a, &sid, &uid, &body.token).await?)
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "Not found")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
}
