//! The two shapes a survey submission arrives in — the API's JSON body and the answering
//! page's form fields — turned into one validated [`Submission`]. Pure, so the parsers
//! that face the outside can be fuzzed (see `fuzz/`).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::domain::survey_submission::{Submission, validate_submission};
use crate::error::FieldError;

/// Body of `POST /api/v1/survey/{token}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SurveyAnswers)]
pub struct SurveyAnswersJson {
    /// Question id → 1..=5, or null to skip.
    #[serde(deserialize_with = "crate::domain::json_int::option_map")]
    #[schema(schema_with = answers_schema)]
    pub answers: BTreeMap<String, Option<i64>>,
    /// Element → comment.
    #[serde(default)]
    #[schema(schema_with = comments_schema)]
    pub comments: Option<BTreeMap<String, String>>,
    /// The change-champion box.
    #[serde(default)]
    pub champion_opt_in: Option<bool>,
}

/// Keys are question ids of the survey (`questions[].id`), values 1..=5 or null.
fn answers_schema() -> utoipa::openapi::Schema {
    use utoipa::openapi::{ObjectBuilder, Type, schema::SchemaType};
    let value = ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
        .minimum(Some(1))
        .maximum(Some(5));
    let key = ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^[0-9]+$"));
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property_names(Some(key))
        .additional_properties(Some(value))
        .description(Some("Question id → 1..=5, or null to skip."))
        .into()
}

/// Keys are element names, values at most 2000 characters.
fn comments_schema() -> utoipa::openapi::Schema {
    use utoipa::openapi::{ObjectBuilder, Type, schema::SchemaType};
    let key = ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(crate::domain::adkar::Element::ALL.map(|e| e.as_str())));
    let value = ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(crate::domain::survey_submission::MAX_COMMENT_CHARS))
        .pattern(Some(r"^[^\x00]*$"));
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Object, Type::Null]))
        .property_names(Some(key))
        .additional_properties(Some(value))
        .description(Some("Element → comment."))
        .into()
}

impl SurveyAnswersJson {
    /// Validates against the wave's question ids.
    pub fn validate(&self, question_ids: &[i64]) -> Result<Submission, Vec<FieldError>> {
        let comments = self.comments.clone().unwrap_or_default();
        validate_submission(
            question_ids,
            &self.answers,
            &comments,
            self.champion_opt_in.unwrap_or(false),
        )
    }
}

/// The page's fields (`q_<id>`, `comment_<element>`, `champion_opt_in`) in the API's
/// shape; a non-numeric answer becomes an out-of-range one, so it is reported.
pub fn form_fields_to_answers(
    fields: &[(String, String)],
) -> (
    BTreeMap<String, Option<i64>>,
    BTreeMap<String, String>,
    bool,
) {
    let mut answers = BTreeMap::new();
    let mut comments = BTreeMap::new();
    let mut opt_in = false;
    for (name, value) in fields {
        if let Some(id) = name.strip_prefix("q_") {
            let parsed = (!value.is_empty()).then(|| value.parse::<i64>().unwrap_or(i64::MIN));
            answers.insert(id.to_owned(), parsed);
        } else if let Some(element) = name.strip_prefix("comment_") {
            comments.insert(element.to_owned(), value.clone());
        } else if name == "champion_opt_in" {
            opt_in = value == "1";
        }
    }
    (answers, comments, opt_in)
}

/// Parses and validates a JSON body; a malformed body is one error on `body`.
pub fn parse_json_body(body: &[u8], question_ids: &[i64]) -> Result<Submission, Vec<FieldError>> {
    let parsed: SurveyAnswersJson =
        serde_json::from_slice(body).map_err(|e| vec![FieldError::new("body", e.to_string())])?;
    parsed.validate(question_ids)
}

/// Parses and validates an url-encoded form body.
pub fn parse_form_body(body: &[u8], question_ids: &[i64]) -> Result<Submission, Vec<FieldError>> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|e| vec![FieldError::new("body", e.to_string())])?;
    let (answers, comments, opt_in) = form_fields_to_answers(&fields);
    validate_submission(question_ids, &answers, &comments, opt_in)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_form_bodies_give_the_same_submission() {
        let ids = [10, 11];
        let json = parse_json_body(
            br#"{"answers":{"10":4,"11":null},"comments":{"desire":"ok"},"champion_opt_in":true}"#,
            &ids,
        )
        .expect("json");
        let form = parse_form_body(b"q_10=4&q_11=&comment_desire=ok&champion_opt_in=1", &ids)
            .expect("form");
        assert_eq!(json, form);
        assert_eq!(json.answers.len(), 1);
    }

    #[test]
    fn malformed_bodies_are_field_errors() {
        assert_eq!(
            parse_json_body(b"{nope", &[1]).expect_err("bad json")[0].field,
            "body"
        );
        assert_eq!(
            parse_form_body(b"q_1=x", &[1]).expect_err("bad value")[0].field,
            "answers.1"
        );
        assert_eq!(
            parse_json_body(br#"{"answers":{},"extra":1}"#, &[1]).expect_err("unknown field")[0]
                .field,
            "body"
        );
    }
}
