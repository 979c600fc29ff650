//! The HTTP routes. Each is added once, to the router and to the route list the OpenAPI
//! document is generated from, so the two cannot drift.

pub mod admin;
pub mod authorize;
pub mod discovery;
pub mod openapi;
pub mod portal;
pub mod scim;
pub mod session;
pub mod support;

use crate::state::AppState;
use axum::handler::Handler;
use axum::routing::{on, MethodFilter};
use axum::Router;

/// How a route authenticates its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Public.
    None,
    /// A user's session token (`Authorization: Bearer`), resolved to an active org.
    Session,
    /// A platform staff token.
    Staff,
    /// An org's SCIM bearer token.
    ScimToken,
}

/// One route: method, path (axum's and OpenAPI's `{param}` syntax), what it does, its auth.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: &'static str,
    /// The path.
    pub path: &'static str,
    /// One line for the OpenAPI document.
    pub summary: &'static str,
    /// How the caller authenticates.
    pub auth: Auth,
    /// The OpenAPI tag.
    pub tag: &'static str,
}

/// The router under construction and the list of its routes.
pub struct Routes {
    router: Router<AppState>,
    list: Vec<Route>,
}

impl Routes {
    fn new() -> Self {
        Self {
            router: Router::new(),
            list: Vec::new(),
        }
    }

    /// Adds a route.
    pub fn add<H, T>(mut self, route: Route, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = match route.method {
            "POST" => MethodFilter::POST,
            "PUT" => MethodFilter::PUT,
            "PATCH" => MethodFilter::PATCH,
            "DELETE" => MethodFilter::DELETE,
            _ => MethodFilter::GET,
        };
        self.router = self.router.route(route.path, on(filter, handler));
        self.list.push(route);
        self
    }
}

/// A route description.
pub const fn route(
    method: &'static str,
    path: &'static str,
    auth: Auth,
    tag: &'static str,
    summary: &'static str,
) -> Route {
    Route {
        method,
        path,
        summary,
        auth,
        tag,
    }
}

/// Every route, and the router serving them (the OpenAPI document among them).
pub fn routes() -> (Router<AppState>, Vec<Route>) {
    let routes = Routes::new();
    let routes = discovery::add(routes);
    let routes = session::add(routes);
    let routes = authorize::add(routes);
    let routes = admin::add(routes);
    let routes = support::add(routes);
    let routes = scim::add(routes);
    let routes = portal::add(routes);
    let Routes { router, mut list } = routes;
    list.push(openapi::ROUTE);
    let document = openapi::document(&list);
    let router = router.route(
        openapi::ROUTE.path,
        axum::routing::get(move || async move { axum::Json(document) }),
    );
    (router, list)
}

/// The application: every route with its state, SCIM errors for unknown SCIM paths.
pub fn app(state: AppState) -> Router {
    let (router, _) = routes();
    router
        .fallback(scim::fallback)
        .method_not_allowed_fallback(scim::method_not_allowed)
        .with_state(state)
}
