//! A submission in the form a response row stores it: scored by its template's
//! elements, answers and comments as JSON, the day of the save.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};

use crate::db::models::response;
use crate::db::models::survey_template::SurveyQuestion;
use crate::domain::adkar::Element;
use crate::domain::likert::Likert;
use crate::domain::survey_submission::Submission;
use crate::error::AppError;
use crate::scoring::response::{ResponseScores, score_response};

/// A submission in the form it is stored: answers and comments as JSON, its scores.
pub struct StoredForm {
    answers: serde_json::Value,
    comments: serde_json::Value,
    pub scores: ResponseScores,
    pub today: NaiveDate,
}

impl StoredForm {
    /// Scores `submission` by the elements of `questions` (rules §2).
    pub fn of(
        questions: &[SurveyQuestion],
        submission: &Submission,
    ) -> Result<StoredForm, AppError> {
        let elements: Vec<(Element, Likert)> = submission
            .answers
            .iter()
            .filter_map(|(id, v)| {
                questions
                    .iter()
                    .find(|q| q.id == *id)
                    .map(|q| (q.element(), *v))
            })
            .collect();
        let answers: BTreeMap<String, u8> = submission
            .answers
            .iter()
            .map(|(k, v)| (k.to_string(), v.value()))
            .collect();
        let comments: BTreeMap<&str, &String> = submission
            .comments
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .collect();
        Ok(StoredForm {
            answers: serde_json::to_value(answers).map_err(anyhow::Error::from)?,
            comments: serde_json::to_value(comments).map_err(anyhow::Error::from)?,
            scores: score_response(&elements),
            today: Utc::now().date_naive(),
        })
    }

    /// The row values, with the invitation's `location`.
    pub fn values<'a>(&'a self, location: Option<&'a str>) -> response::ResponseValues<'a> {
        response::ResponseValues {
            answered_on: self.today,
            answers: &self.answers,
            comments: &self.comments,
            scores: &self.scores,
            location,
        }
    }
}
