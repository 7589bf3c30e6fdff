//! Security headers on every response, and cache headers on static assets.

use actix_web::middleware::DefaultHeaders;

/// Content-Security-Policy: only our own scripts, styles and images; no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
     style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// Headers added to every response that does not set them itself.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "no-referrer"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()",
        ))
        .add(("Cache-Control", "no-store"))
}

/// Static assets may be cached for a day; their names change when they do.
pub fn static_cache_headers() -> DefaultHeaders {
    DefaultHeaders::new().add(("Cache-Control", "public, max-age=86400"))
}
