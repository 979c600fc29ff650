//! The admin portal: one static page whose script calls the admin API with a session token.

use super::{route, Auth, Routes};
use axum::response::Html;

/// Adds the route.
pub fn add(routes: Routes) -> Routes {
    routes.add(
        route(
            "GET",
            "/admin",
            Auth::None,
            "portal",
            "The admin portal (a page calling the admin API)",
        ),
        || async { Html(include_str!("../../portal/index.html")) },
    )
}
