//! The language-neutral model: one value per API that every back end (Rust,
//! TypeScript, Python) and the diff read.
//!
//! Schemas stay in their `openapiv3` form: after normalization that *is* a
//! language-neutral description, and re-encoding it would only lose detail.
//! Operations, parameters, bodies, responses, webhooks and the API's own
//! conventions (pagination, SSE, idempotency keys) are lifted into plain
//! structs so back ends never walk the document themselves.

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};
use serde::Deserialize;

use crate::normalize::engine::METHODS;
use crate::normalize::Normalized;
use crate::pointer;

/// A whole API.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// The version every generated package carries: `sdk.toml`'s `version`
    /// when set (what `cargo xtask release` writes), otherwise `info.version`
    /// made semver ([`crate::rust::crate_version`]).
    pub package_version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.license.name`.
    pub license: Option<String>,
    /// Servers, first is the default.
    pub servers: Vec<Server>,
    /// Declared tags, in document order.
    pub tags: Vec<Tag>,
    /// Every operation, in document order.
    pub operations: Vec<Operation>,
    /// Component schemas by name.
    pub schemas: IndexMap<String, ReferenceOr<Schema>>,
    /// Webhook events the API sends, in document order.
    pub webhooks: Vec<Webhook>,
    /// Security schemes (`components.securitySchemes`), in document order.
    pub security_schemes: Vec<SecurityScheme>,
}

/// A security scheme: how a credential is sent, and (`x-token-source`)
/// which operation issues it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its key under `components.securitySchemes`.
    pub name: String,
    /// How the credential travels.
    pub kind: SchemeKind,
    /// Its description.
    pub description: Option<String>,
    /// The `x-token-source` extension, when present and well formed.
    pub token_source: Option<TokenSource>,
}

/// How a security scheme sends its credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `type: http` with `scheme` (lower-cased: `bearer`, `basic`, ...).
    Http {
        /// The HTTP authentication scheme, lower case.
        scheme: String,
    },
    /// `type: apiKey`.
    ApiKey {
        /// `header`, `query` or `cookie`.
        location: String,
        /// Header, query parameter or cookie name.
        name: String,
    },
    /// `type: oauth2`; the client-credentials or password token URL if any.
    OAuth2 {
        /// The token URL of the first flow that has one.
        token_url: Option<String>,
    },
    /// `type: openIdConnect`.
    OpenIdConnect,
}

/// `x-token-source` on a security scheme: the operation whose response
/// carries the token this scheme sends (a password login, a token exchange),
/// and where in that response it is. Documented in README ("Several APIs").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSource {
    /// operationId of the issuing operation.
    pub operation: String,
    /// JSON pointer to the token in its JSON response body.
    pub token: String,
    /// JSON pointer to the token's lifetime in seconds, if the response has one.
    #[serde(default)]
    pub expires_in: Option<String>,
}

/// A server URL.
#[derive(Debug, Clone)]
pub struct Server {
    /// The URL, variables substituted with their defaults.
    pub url: String,
    /// What it is for.
    pub description: Option<String>,
}

/// A tag (a resource group).
#[derive(Debug, Clone)]
pub struct Tag {
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// A request header.
    Header,
}

/// One parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Wire name.
    pub name: String,
    /// Where it goes.
    pub location: Location,
    /// Whether it must be given.
    pub required: bool,
    /// Its schema.
    pub schema: Option<ReferenceOr<Schema>>,
    /// Its description.
    pub description: Option<String>,
    /// Deprecated?
    pub deprecated: bool,
    /// How its value is written (OpenAPI `style`).
    pub style: Style,
    /// OpenAPI `explode`, with its default filled in: `true` for `form`,
    /// `false` for every other style.
    pub explode: bool,
    /// Whether its schema is an array or an object (through `$ref`s): the
    /// style's rules then say how the items are joined.
    pub structured: bool,
}

/// OpenAPI's parameter `style`. `normalize::engine::common` leaves only the
/// styles a location allows (noted otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Style {
    /// Path and header parameters: comma-separated.
    Simple,
    /// Query: `k=a&k=b` (explode) or `k=a,b`.
    Form,
    /// Query arrays: `k=a%20b`.
    SpaceDelimited,
    /// Query arrays: `k=a|b`.
    PipeDelimited,
    /// Query objects: `k[p]=v`.
    DeepObject,
    /// Path: `.a` (RFC 6570's `{.x}`).
    Label,
    /// Path: `;k=a` (RFC 6570's `{;x}`).
    Matrix,
}

impl Style {
    /// Its spelling in OpenAPI (`deepObject`).
    pub fn as_str(self) -> &'static str {
        match self {
            Style::Simple => "simple",
            Style::Form => "form",
            Style::SpaceDelimited => "spaceDelimited",
            Style::PipeDelimited => "pipeDelimited",
            Style::DeepObject => "deepObject",
            Style::Label => "label",
            Style::Matrix => "matrix",
        }
    }
}

impl From<&openapiv3::PathStyle> for Style {
    fn from(style: &openapiv3::PathStyle) -> Style {
        match style {
            openapiv3::PathStyle::Simple => Style::Simple,
            openapiv3::PathStyle::Label => Style::Label,
            openapiv3::PathStyle::Matrix => Style::Matrix,
        }
    }
}

impl From<&openapiv3::QueryStyle> for Style {
    fn from(style: &openapiv3::QueryStyle) -> Style {
        match style {
            openapiv3::QueryStyle::Form => Style::Form,
            openapiv3::QueryStyle::SpaceDelimited => Style::SpaceDelimited,
            openapiv3::QueryStyle::PipeDelimited => Style::PipeDelimited,
            openapiv3::QueryStyle::DeepObject => Style::DeepObject,
        }
    }
}

impl Operation {
    /// The `encoding` styles of its url-encoded request body, if it has one.
    pub fn form_encoding(&self) -> &[(String, Style, bool)] {
        self.request
            .as_ref()
            .and_then(|(_, bodies)| bodies.iter().find(|b| b.media_type == "application/x-www-form-urlencoded"))
            .map_or(&[], |b| b.encoding.as_slice())
    }

    /// The request body the SDKs send when several media types are offered:
    /// the first of the best [`media_rank`](crate::normalize::engine::media_rank)
    /// (JSON, url-encoded form, multipart, bytes, text), else the first
    /// (which only the TypeScript and Python SDKs can send, as raw bytes).
    pub fn chosen_body(&self) -> Option<&Body> {
        let (_, bodies) = self.request.as_ref()?;
        bodies.iter().min_by_key(|b| crate::normalize::engine::media_rank(&b.media_type).unwrap_or(u8::MAX))
    }

    /// For a sibling ([`Operation::body_of`]), the line its doc gets in
    /// every SDK: which media type it sends, and which operation it is.
    pub fn sibling_doc(&self) -> Option<String> {
        let of = self.body_of.as_deref()?;
        let media_type = self.request.as_ref().and_then(|(_, bodies)| bodies.first()).map_or("", |b| b.media_type.as_str());
        Some(format!("The `{media_type}` request body of operation `{of}`; the operation's own method sends its other media types."))
    }
}

impl Parameter {
    /// A query parameter written other than `form` with `explode: true`
    /// (OpenAPI's default), which the back ends encode with the runtime's
    /// query encoder instead of the default path.
    pub fn has_query_style(&self) -> bool {
        self.location == Location::Query && (self.style, self.explode) != (Style::Form, true)
    }

    /// A path parameter written other than one `simple` scalar (a `label`
    /// or `matrix` style, an array or an object), which the back ends write
    /// with the runtime's path encoder instead of the plain segment one.
    pub fn has_path_style(&self) -> bool {
        self.location == Location::Path && (self.style != Style::Simple || self.structured)
    }
}

/// A request or response body of one media type.
#[derive(Debug, Clone)]
pub struct Body {
    /// Media type (`application/json`, `text/event-stream`, ...).
    pub media_type: String,
    /// Its schema.
    pub schema: Option<ReferenceOr<Schema>>,
    /// Properties given a `style` by the media type's `encoding` (url-encoded
    /// bodies: Stripe's `expand: {style: deepObject, explode: true}`), in
    /// spec order: (property, style, explode). openapiv3 reads a missing
    /// `explode` as `false`.
    pub encoding: Vec<(String, Style, bool)>,
}

/// One response.
#[derive(Debug, Clone)]
pub struct Response {
    /// `200`, `4XX` or `default`.
    pub status: String,
    /// Its description.
    pub description: String,
    /// Bodies by media type.
    pub bodies: Vec<Body>,
    /// Names of documented response headers.
    pub headers: Vec<String>,
}

/// The `x-pagination` convention of a list operation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "style", rename_all = "lowercase")]
pub enum Pagination {
    /// `page`/`per_page` with a `has_more` flag.
    Page {
        /// JSON pointer to the item array in the response body.
        items: String,
        /// JSON pointer to the has-more flag.
        has_more: String,
        /// Name of the page query parameter.
        #[serde(default = "page")]
        page_param: String,
        /// Name of the page-size query parameter.
        #[serde(default = "per_page")]
        per_page_param: String,
    },
    /// An opaque cursor.
    Cursor {
        /// JSON pointer to the item array in the response body.
        items: String,
        /// Name of the cursor query parameter.
        cursor_param: String,
        /// JSON pointer to the next cursor (absent or null at the end).
        next_cursor: String,
    },
}

fn page() -> String {
    "page".into()
}
fn per_page() -> String {
    "per_page".into()
}

/// A Server-Sent Events stream an operation returns.
#[derive(Debug, Clone)]
pub struct Sse {
    /// Event names (`event:` field values) and the schema of their `data`.
    pub events: Vec<(String, Option<ReferenceOr<Schema>>)>,
    /// Whether the server resumes from `Last-Event-ID`.
    pub resumable: bool,
    /// Component name of the event schema, when it is a `$ref`.
    pub schema_name: Option<String>,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// operationId (unique, after normalization).
    pub id: String,
    /// Lower-case HTTP method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// Tags (normally one).
    pub tags: Vec<String>,
    /// Summary line.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Deprecated?
    pub deprecated: bool,
    /// Parameters (path, query, header).
    pub parameters: Vec<Parameter>,
    /// Request bodies by media type, and whether a body is required.
    pub request: Option<(bool, Vec<Body>)>,
    /// Responses in document order.
    pub responses: Vec<Response>,
    /// Accepts an `Idempotency-Key` header (so a POST may be retried).
    pub idempotency_key: bool,
    /// List operation convention.
    pub pagination: Option<Pagination>,
    /// Event stream, if the success response is `text/event-stream`.
    pub sse: Option<Sse>,
    /// Servers that override the API's for this operation (path-level or
    /// operation-level `servers`), variables substituted.
    pub servers: Vec<String>,
    /// Security requirements (operation-level, else the API's): any one of
    /// the alternatives suffices; each names the schemes it needs together.
    /// Empty: no credential is sent. An empty alternative: anonymous allowed.
    pub security: Vec<Vec<String>>,
    /// JSON pointer of the operation in the input.
    pub pointer: String,
    /// For a method made of another request media type
    /// ([`Api::with_siblings`]): the id of the operation it sends that body
    /// of. `None` for the spec's operations.
    pub body_of: Option<String>,
}

/// A webhook event.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// Its key under `webhooks` (normally the event type).
    pub name: String,
    /// operationId of its `post`, if any.
    pub operation_id: Option<String>,
    /// Summary line.
    pub summary: Option<String>,
    /// Schema of the JSON payload.
    pub payload: Option<ReferenceOr<Schema>>,
    /// Delivery headers.
    pub headers: Vec<Parameter>,
}

impl Api {
    /// Builds the model from a normalized spec.
    pub fn from_normalized(n: &Normalized) -> Api {
        let spec = &n.openapi;
        let mut operations = Vec::new();
        for (path, item) in spec.paths.iter() {
            let ReferenceOr::Item(item) = item else { continue };
            for (method, op) in item.iter() {
                let mut o = operation(path, method, op, spec.components.as_ref());
                let servers = if op.servers.is_empty() { &item.servers } else { &op.servers };
                o.servers = servers.iter().map(server_url).collect();
                o.security = op.security.as_ref().or(spec.security.as_ref()).map(|reqs| security(reqs)).unwrap_or_default();
                operations.push(o);
            }
        }
        let webhooks = n
            .webhooks
            .iter()
            .map(|(name, item)| {
                let op = item.post.as_ref();
                Webhook {
                    name: name.clone(),
                    operation_id: op.and_then(|o| o.operation_id.clone()),
                    summary: op.and_then(|o| o.summary.clone()),
                    payload: op
                        .and_then(|o| o.request_body.as_ref())
                        .and_then(|b| b.as_item())
                        .and_then(|b| b.content.iter().find(|(mt, _)| mt.contains("json")))
                        .and_then(|(_, m)| m.schema.clone()),
                    headers: op.map(|o| parameters(&o.parameters, spec.components.as_ref())).unwrap_or_default(),
                }
            })
            .collect();
        Api {
            title: spec.info.title.clone(),
            version: spec.info.version.clone(),
            package_version: crate::rust::crate_version(&spec.info.version),
            description: spec.info.description.clone(),
            license: spec.info.license.as_ref().map(|l| l.name.clone()),
            servers: spec
                .servers
                .iter()
                .map(|s| Server { url: server_url(s), description: s.description.clone() })
                .collect(),
            tags: spec.tags.iter().map(|t| Tag { name: t.name.clone(), description: t.description.clone() }).collect(),
            operations,
            schemas: spec.components.as_ref().map(|c| c.schemas.clone()).unwrap_or_default(),
            webhooks,
            security_schemes: security_schemes(spec.components.as_ref()).into_iter().map(|(s, _)| s).collect(),
        }
    }

    /// The API as the SDKs offer it: each operation followed by its
    /// siblings ([`crate::normalize::siblings`]), copies with only their
    /// own request media type, which the operation itself no longer lists.
    /// The model itself keeps the spec's operations, which the diff and the
    /// counts read.
    /// Borrowed when there are none.
    pub fn with_siblings(&self, siblings: &[crate::normalize::siblings::Sibling]) -> std::borrow::Cow<'_, Api> {
        if siblings.is_empty() {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut out = self.clone();
        out.operations.clear();
        for op in &self.operations {
            let mine: Vec<&crate::normalize::siblings::Sibling> = siblings.iter().filter(|s| s.of == op.id).collect();
            let mut kept = op.clone();
            if let Some((_, bodies)) = &mut kept.request {
                bodies.retain(|b| !mine.iter().any(|s| s.media_type == b.media_type));
            }
            out.operations.push(kept);
            for s in mine {
                let mut sibling = op.clone();
                sibling.id.clone_from(&s.id);
                sibling.body_of = Some(op.id.clone());
                if let Some((_, bodies)) = &mut sibling.request {
                    bodies.retain(|b| b.media_type == s.media_type);
                }
                out.operations.push(sibling);
            }
        }
        std::borrow::Cow::Owned(out)
    }

    /// Notes about the API's extensions that were present but could not be
    /// used (a malformed `x-pagination` or `x-token-source`, a token source
    /// naming no operation), each with its pointer.
    pub fn check_extensions(&self, n: &Normalized, report: &mut crate::report::Report) {
        use crate::report::Severity;
        for (path, item) in n.openapi.paths.iter() {
            let ReferenceOr::Item(item) = item else { continue };
            for (method, op) in item.iter() {
                if let Some(v) = op.extensions.get("x-pagination")
                    && let Err(e) = serde_json::from_value::<Pagination>(v.clone())
                {
                    let ptr = pointer::join(["paths", path, method, "x-pagination"]);
                    report.add(Severity::Degraded, ptr, format!("x-pagination ignored: {e}; see spec/README.md for its fields"));
                }
            }
        }
        for (scheme, error) in security_schemes(n.openapi.components.as_ref()) {
            let ptr = pointer::join(["components", "securitySchemes", &scheme.name, "x-token-source"]);
            if let Some(e) = error {
                report.add(Severity::Degraded, ptr, format!("x-token-source ignored: {e}; it takes `operation`, `token` and optionally `expires_in`"));
            } else if let Some(src) = &scheme.token_source
                && !self.operations.iter().any(|o| o.id == src.operation)
            {
                report.add(Severity::Degraded, ptr, format!("x-token-source names operation {:?}, which the spec does not have", src.operation));
            }
        }
    }

    /// Operations in one tag.
    pub fn operations_tagged<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a Operation> {
        self.operations.iter().filter(move |o| o.tags.iter().any(|t| t == tag))
    }
}

fn security(reqs: &[openapiv3::SecurityRequirement]) -> Vec<Vec<String>> {
    reqs.iter().map(|r| r.keys().cloned().collect()).collect()
}

/// Every security scheme with, when its `x-token-source` is malformed, why.
fn security_schemes(components: Option<&openapiv3::Components>) -> Vec<(SecurityScheme, Option<String>)> {
    use openapiv3::SecurityScheme as S;
    let Some(c) = components else { return Vec::new() };
    c.security_schemes
        .iter()
        .filter_map(|(name, s)| {
            let (kind, description, extensions) = match s.as_item()? {
                S::HTTP { scheme, description, extensions, .. } => (SchemeKind::Http { scheme: scheme.to_ascii_lowercase() }, description, extensions),
                S::APIKey { location, name, description, extensions } => {
                    let location = match location {
                        openapiv3::APIKeyLocation::Query => "query",
                        openapiv3::APIKeyLocation::Header => "header",
                        openapiv3::APIKeyLocation::Cookie => "cookie",
                    };
                    (SchemeKind::ApiKey { location: location.to_owned(), name: name.clone() }, description, extensions)
                }
                S::OAuth2 { flows, description, extensions } => {
                    let token_url = flows
                        .client_credentials
                        .as_ref()
                        .map(|f| f.token_url.clone())
                        .or_else(|| flows.password.as_ref().map(|f| f.token_url.clone()))
                        .or_else(|| flows.authorization_code.as_ref().map(|f| f.token_url.clone()));
                    (SchemeKind::OAuth2 { token_url }, description, extensions)
                }
                S::OpenIDConnect { description, extensions, .. } => (SchemeKind::OpenIdConnect, description, extensions),
            };
            let (token_source, error) = match extensions.get("x-token-source").map(|v| serde_json::from_value::<TokenSource>(v.clone())) {
                None => (None, None),
                Some(Ok(t)) => (Some(t), None),
                Some(Err(e)) => (None, Some(e.to_string())),
            };
            Some((SecurityScheme { name: name.clone(), kind, description: description.clone(), token_source }, error))
        })
        .collect()
}

fn server_url(s: &openapiv3::Server) -> String {
    let mut url = s.url.clone();
    for (name, var) in s.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &var.default);
    }
    url
}

/// Whether `schema` is an array or an object, through `$ref`s (a cycle or
/// a dangling one is not).
fn structured(schema: &ReferenceOr<Schema>, components: Option<&openapiv3::Components>) -> bool {
    let mut schema = schema;
    for _ in 0..32 {
        match schema {
            ReferenceOr::Item(s) => {
                return match &s.schema_kind {
                    openapiv3::SchemaKind::Type(openapiv3::Type::Array(_) | openapiv3::Type::Object(_)) => true,
                    openapiv3::SchemaKind::Any(a) => matches!(a.typ.as_deref(), Some("array" | "object")) || a.items.is_some() || !a.properties.is_empty(),
                    _ => false,
                };
            }
            ReferenceOr::Reference { reference } => {
                let Some(next) = crate::refs::component_schema_name(reference).and_then(|name| components?.schemas.get(name)) else { return false };
                schema = next;
            }
        }
    }
    false
}

fn parameters(params: &[ReferenceOr<openapiv3::Parameter>], components: Option<&openapiv3::Components>) -> Vec<Parameter> {
    params
        .iter()
        .filter_map(ReferenceOr::as_item)
        .filter_map(|p| {
            let (data, location, style) = match p {
                openapiv3::Parameter::Path { parameter_data, style, .. } => (parameter_data, Location::Path, Style::from(style)),
                openapiv3::Parameter::Query { parameter_data, style, .. } => (parameter_data, Location::Query, Style::from(style)),
                openapiv3::Parameter::Header { parameter_data, .. } => (parameter_data, Location::Header, Style::Simple),
                openapiv3::Parameter::Cookie { .. } => return None,
            };
            Some(Parameter {
                name: data.name.clone(),
                location,
                required: data.required,
                schema: match &data.format {
                    openapiv3::ParameterSchemaOrContent::Schema(s) => Some(s.clone()),
                    openapiv3::ParameterSchemaOrContent::Content(_) => None,
                },
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
                style,
                explode: data.explode.unwrap_or(style == Style::Form),
                structured: match &data.format {
                    openapiv3::ParameterSchemaOrContent::Schema(s) => structured(s, components),
                    openapiv3::ParameterSchemaOrContent::Content(_) => false,
                },
            })
        })
        .collect()
}

fn body(media_type: &str, m: &openapiv3::MediaType) -> Body {
    let encoding = m
        .encoding
        .iter()
        .filter_map(|(name, e)| Some((name.clone(), Style::from(e.style.as_ref()?), e.explode)))
        .collect();
    Body { media_type: media_type.to_owned(), schema: m.schema.clone(), encoding }
}

fn operation(path: &str, method: &str, op: &openapiv3::Operation, components: Option<&openapiv3::Components>) -> Operation {
    let parameters = parameters(&op.parameters, components);
    let idempotency_key = parameters.iter().any(|p| p.location == Location::Header && p.name.eq_ignore_ascii_case("idempotency-key"));
    let request = op.request_body.as_ref().and_then(ReferenceOr::as_item).map(|b| {
        (b.required, b.content.iter().map(|(mt, m)| body(mt, m)).collect())
    });
    let responses: Vec<Response> = op
        .responses
        .default
        .iter()
        .map(|r| ("default".to_owned(), r))
        .chain(op.responses.responses.iter().map(|(code, r)| (code.to_string(), r)))
        .filter_map(|(status, r)| {
            let r = r.as_item()?;
            Some(Response {
                status,
                description: r.description.clone(),
                bodies: r.content.iter().map(|(mt, m)| body(mt, m)).collect(),
                headers: r.headers.keys().cloned().collect(),
            })
        })
        .collect();
    let pagination = op.extensions.get("x-pagination").and_then(|v| serde_json::from_value(v.clone()).ok());
    let sse = responses
        .iter()
        .filter(|r| r.status.starts_with('2'))
        .flat_map(|r| r.bodies.iter())
        .find(|b| b.media_type.starts_with("text/event-stream"))
        .map(|b| Sse {
            schema_name: match &b.schema {
                Some(ReferenceOr::Reference { reference }) => crate::refs::component_schema_name(reference).map(str::to_owned),
                _ => None,
            },
            events: sse_events(b.schema.as_ref(), components),
            resumable: op.extensions.get("x-sse").and_then(|v| v.get("resumable")).and_then(|v| v.as_bool()).unwrap_or(false)
                || parameters.iter().any(|p| p.name.eq_ignore_ascii_case("last-event-id")),
        });
    Operation {
        id: op.operation_id.clone().unwrap_or_default(),
        method: method.to_owned(),
        path: path.to_owned(),
        tags: op.tags.clone(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        deprecated: op.deprecated,
        parameters,
        request,
        responses,
        idempotency_key,
        pagination,
        sse,
        servers: Vec::new(),
        security: Vec::new(),
        pointer: pointer::join(["paths", path, method]),
        body_of: None,
    }
}

/// Event names of an SSE schema: a `oneOf` whose variants carry
/// `event: {enum: [name]}` and a `data` schema (the convention documented
/// in spec/README.md).
fn sse_events(schema: Option<&ReferenceOr<Schema>>, components: Option<&openapiv3::Components>) -> Vec<(String, Option<ReferenceOr<Schema>>)> {
    let resolve = |s: &'_ ReferenceOr<Schema>| -> Option<Schema> {
        match s {
            ReferenceOr::Item(s) => Some(s.clone()),
            ReferenceOr::Reference { reference } => {
                let name = crate::refs::component_schema_name(reference)?;
                components?.schemas.get(name)?.as_item().cloned()
            }
        }
    };
    let Some(root) = schema.and_then(resolve) else { return Vec::new() };
    let openapiv3::SchemaKind::OneOf { one_of } = &root.schema_kind else { return Vec::new() };
    let mut out = Vec::new();
    for variant in one_of {
        let Some(v) = resolve(variant) else { continue };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(obj)) = &v.schema_kind else { continue };
        let name = obj.properties.get("event").and_then(|e| match e {
            ReferenceOr::Item(e) => match &e.schema_kind {
                openapiv3::SchemaKind::Type(openapiv3::Type::String(st)) => st.enumeration.first().cloned().flatten(),
                _ => None,
            },
            ReferenceOr::Reference { .. } => None,
        });
        if let Some(name) = name {
            let data = obj.properties.get("data").map(|d| match d {
                ReferenceOr::Item(b) => ReferenceOr::Item((**b).clone()),
                ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference: reference.clone() },
            });
            out.push((name, data));
        }
    }
    out
}

/// A media type without its parameters, lower case: `Application/JSON;
/// charset=utf-8` → `application/json`.
pub fn media_essence(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or(media_type).trim().to_ascii_lowercase()
}

/// The lower-case methods a path item may hold, for back ends that iterate.
pub fn methods() -> &'static [&'static str] {
    METHODS
}

#[cfg(test)]
mod tests {
    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /images/{id}:
    post:
      operationId: attachImage
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        content:
          text/plain: {schema: {type: string}}
          application/json: {schema: {type: object, properties: {url: {type: string}}}}
          multipart/form-data: {schema: {type: object, properties: {image: {type: string, format: binary}}}}
      responses: {'204': {description: ok}}
"#;

    #[test]
    fn siblings_are_methods_of_their_own_media_type_and_the_model_keeps_the_spec() {
        let mut report = crate::Report::default();
        let (_, normalized, api) = crate::analyze("t.yaml", SPEC.as_bytes(), &mut report).expect("loads");
        assert_eq!(api.operations.len(), 1, "the model is the spec's");
        assert_eq!(api.operations[0].chosen_body().map(|b| b.media_type.as_str()), Some("application/json"), "JSON first, whatever the order");
        let sdk = api.with_siblings(&normalized.siblings);
        let summary: Vec<(&str, Option<&str>, Vec<&str>)> = sdk
            .operations
            .iter()
            .map(|o| (o.id.as_str(), o.body_of.as_deref(), o.request.as_ref().map(|(_, b)| b.iter().map(|b| b.media_type.as_str()).collect()).unwrap_or_default()))
            .collect();
        assert_eq!(
            summary,
            [("attachImage", None, vec!["text/plain", "application/json"]), ("attachImage_multipart", Some("attachImage"), vec!["multipart/form-data"])]
        );
        assert_eq!(sdk.operations[0].sibling_doc(), None);
        assert_eq!(
            sdk.operations[1].sibling_doc().as_deref(),
            Some("The `multipart/form-data` request body of operation `attachImage`; the operation's own method sends its other media types.")
        );
        assert_eq!((sdk.operations[1].path.as_str(), sdk.operations[1].pointer.as_str()), ("/images/{id}", "#/paths/~1images~1{id}/post"));
    }
}
