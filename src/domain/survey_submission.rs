//! A survey submission: answers by question id, comments by element, the champion
//! opt-in; validated against the wave's questions before anything is stored.

use std::collections::BTreeMap;

use crate::domain::adkar::Element;
use crate::domain::likert::Likert;
use crate::error::FieldError;

/// Longest comment accepted per element.
pub const MAX_COMMENT_CHARS: usize = 2000;

/// Answers as submitted (and as stored).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Submission {
    /// Question id → value; skipped questions are absent.
    pub answers: BTreeMap<i64, Likert>,
    /// Element → free-text comment (non-empty only).
    pub comments: BTreeMap<Element, String>,
    /// Ticked the change-champion box.
    pub champion_opt_in: bool,
}

/// Checks raw answers (question id → number or null) and comments against the questions.
pub fn validate_submission(
    question_ids: &[i64],
    answers: &BTreeMap<String, Option<i64>>,
    comments: &BTreeMap<String, String>,
    champion_opt_in: bool,
) -> Result<Submission, Vec<FieldError>> {
    let (submission, errors) = read_submission(question_ids, answers, comments, champion_opt_in);
    if errors.is_empty() {
        Ok(submission)
    } else {
        Err(errors)
    }
}

/// Reads raw answers as far as they go: every error, and what can be shown back in the
/// form (the valid answers, and each comment as typed, so an over-long one can be
/// shortened rather than written again). Only an error-free result may be stored:
/// [`validate_submission`] gives that.
pub fn read_submission(
    question_ids: &[i64],
    answers: &BTreeMap<String, Option<i64>>,
    comments: &BTreeMap<String, String>,
    champion_opt_in: bool,
) -> (Submission, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut submission = Submission {
        champion_opt_in,
        ..Default::default()
    };
    for (id, value) in answers {
        let field = || format!("answers.{id}");
        let Some(question) = id
            .parse::<i64>()
            .ok()
            .filter(|id| question_ids.contains(id))
        else {
            errors.push(FieldError::new(field(), "is not a question of this survey"));
            continue;
        };
        match value.map(Likert::new) {
            None => {}
            Some(Ok(likert)) => {
                submission.answers.insert(question, likert);
            }
            Some(Err(message)) => errors.push(FieldError::new(field(), message)),
        }
    }
    for (element, text) in comments {
        let field = format!("comments.{element}");
        let Some(element) = Element::parse(element) else {
            errors.push(FieldError::new(field, "is not an ADKAR element"));
            continue;
        };
        if text.chars().count() > MAX_COMMENT_CHARS {
            errors.push(FieldError::new(
                field,
                format!("must be at most {MAX_COMMENT_CHARS} characters"),
            ));
        } else if text.contains('\0') {
            // PostgreSQL text cannot hold NUL: storing it would fail the whole save.
            errors.push(FieldError::new(field, "must not contain NUL characters"));
        }
        let text = text.replace('\0', "");
        if !text.trim().is_empty() {
            submission.comments.insert(element, text.trim().to_owned());
        }
    }
    (submission, errors)
}
