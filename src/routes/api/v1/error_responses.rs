//! The error responses of the OpenAPI document, one per status, as [`crate::error::AppError`]
//! and actix draw them. Operations refer to them by name (`#/components/responses/…`).

use utoipa::ToResponse;
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, ObjectBuilder, OneOfBuilder, Ref, RefOr, ResponseBuilder, Type,
    response::Response,
};

/// The JSON `Error` body with `description`.
fn json_error(description: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        "application/json",
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("Error")))
            .build(),
    )
}

macro_rules! error_response {
    ($($name:ident: $description:literal;)*) => {$(
        #[doc = $description]
        pub struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                (stringify!($name), json_error($description).build().into())
            }
        }
    )*};
}

error_response! {
    Forbidden: "Signed in, but the role does not allow it.";
    NotFound: "No such resource, or not visible to the caller; also a malformed id.";
    Conflict: "The request conflicts with the wave's current state.";
    Gone: "The survey has closed.";
    UnsupportedMediaType: "The body is not sent with the content type this operation takes.";
    Unprocessable: "Invalid input: `errors` names each field (`body` when the JSON itself is \
        malformed, `query` for a malformed query string).";
    Unavailable: "The database cannot be reached now; try again later.";
}

/// No API key, or an unknown or revoked one.
pub struct Unauthorized;

impl<'r> ToResponse<'r> for Unauthorized {
    fn response() -> (&'r str, RefOr<Response>) {
        let challenge = HeaderBuilder::new()
            .schema(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(["Bearer"])),
            )
            .description(Some("Always `Bearer`."))
            .build();
        let response = json_error("No API key, or an unknown or revoked one.")
            .header("WWW-Authenticate", challenge)
            .build();
        ("Unauthorized", response.into())
    }
}

/// The body is larger than the operation accepts (plain text, drawn by actix).
pub struct PayloadTooLarge;

impl<'r> ToResponse<'r> for PayloadTooLarge {
    fn response() -> (&'r str, RefOr<Response>) {
        let text = ContentBuilder::new()
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build();
        let response = ResponseBuilder::new()
            .description("The body is larger than this operation accepts.")
            .content("text/plain", text)
            .build();
        ("PayloadTooLarge", response.into())
    }
}

/// 422 of the people import: line errors of the CSV, or a malformed query string.
pub struct PeopleUnprocessable;

impl<'r> ToResponse<'r> for PeopleUnprocessable {
    fn response() -> (&'r str, RefOr<Response>) {
        let either = OneOfBuilder::new()
            .item(Ref::from_schema_name("CsvErrors"))
            .item(Ref::from_schema_name("Error"));
        let response = ResponseBuilder::new()
            .description(
                "The CSV has bad rows (`CsvErrors`: nothing changed), or the query string \
                 is malformed (`Error`).",
            )
            .content(
                "application/json",
                ContentBuilder::new().schema(Some(either)).build(),
            )
            .build();
        ("PeopleUnprocessable", response.into())
    }
}
