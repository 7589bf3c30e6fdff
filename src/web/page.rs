//! Rendering a Tera page with what every page needs: the signed-in user, the CSRF
//! token, the flash message.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload, web};
use tera::{Context, Tera};

use crate::auth::CurrentUser;
use crate::auth::current_user::MaybeUser;
use crate::error::AppError;
use crate::web::csrf::CsrfToken;
use crate::web::flash::{clear_flash_cookie, take_flash};

/// What a handler needs to draw a page.
pub struct Page {
    tera: web::Data<Tera>,
    /// The signed-in user, if any.
    pub user: Option<CurrentUser>,
    csrf: CsrfToken,
    flash: Option<String>,
}

impl Page {
    /// A context with `user`, `csrf_token` and `flash` already set.
    pub fn context(&self) -> Context {
        let mut ctx = Context::new();
        ctx.insert("csrf_token", &self.csrf.value);
        ctx.insert("flash", &self.flash);
        if let Some(current) = &self.user {
            ctx.insert(
                "user",
                &serde_json::json!({
                    "id": current.user.id,
                    "name": current.user.name,
                    "email": current.user.email,
                    "role": current.role().as_str(),
                    "is_admin": current.role() == crate::domain::role::Role::Admin,
                    "is_operator": current.role().is_staff_operator(),
                }),
            );
        }
        ctx
    }

    /// Renders `template` with 200 OK.
    pub fn render(&self, template: &str, ctx: &Context) -> Result<HttpResponse, AppError> {
        self.render_with_status(StatusCode::OK, template, ctx)
    }

    /// Renders `template` with `status` (422 for a form shown again with errors).
    pub fn render_with_status(
        &self,
        status: StatusCode,
        template: &str,
        ctx: &Context,
    ) -> Result<HttpResponse, AppError> {
        let body = self
            .tera
            .render(template, ctx)
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("template {template}: {e:?}")))?;
        let mut response = HttpResponse::build(status);
        response.content_type("text/html; charset=utf-8");
        if self.flash.is_some() {
            response.cookie(clear_flash_cookie());
        }
        Ok(response.body(body))
    }
}

impl FromRequest for Page {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let user = MaybeUser::from_request(&req, payload);
        Box::pin(async move {
            let tera = req
                .app_data::<web::Data<Tera>>()
                .cloned()
                .ok_or_else(|| anyhow::anyhow!("no templates configured"))?;
            let csrf = CsrfToken::from_request(&req, &mut Payload::None).await?;
            Ok(Page {
                tera,
                user: user.await?.0,
                csrf,
                flash: take_flash(&req),
            })
        })
    }
}
