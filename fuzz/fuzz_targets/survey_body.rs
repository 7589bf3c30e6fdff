//! The survey answer bodies (JSON and form) never panic; every bad input is a field error.
#![no_main]

use libfuzzer_sys::fuzz_target;

const QUESTIONS: [i64; 4] = [1, 2, 3, 40];

fuzz_target!(|data: &[u8]| {
    for parsed in [
        changeready::domain::survey_body::parse_json_body(data, &QUESTIONS),
        changeready::domain::survey_body::parse_form_body(data, &QUESTIONS),
    ] {
        match parsed {
            Ok(submission) => assert!(submission.answers.keys().all(|id| QUESTIONS.contains(id))),
            Err(errors) => {
                assert!(!errors.is_empty() && errors.iter().all(|e| !e.field.is_empty()))
            }
        }
    }
});
