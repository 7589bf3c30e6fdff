//! Replays the fuzzing corpus (fuzz/corpus/, grown by `cargo fuzz run`): every input
//! parses or fails with typed field errors, without a panic.

use std::path::Path;

fn inputs(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read(p).expect("corpus file"))
        .collect()
}

#[test]
fn the_people_csv_corpus_parses_or_reports_line_and_field() {
    let corpus = inputs("people_csv");
    assert!(!corpus.is_empty());
    for input in corpus {
        if let Err(errors) = changeready::domain::people_csv::parse_people_csv(&input) {
            assert!(
                errors
                    .iter()
                    .all(|e| e.line >= 1 && !e.field.is_empty() && !e.message.is_empty())
            );
        }
    }
}

#[test]
fn the_survey_body_corpus_parses_or_reports_field_errors() {
    let questions = [1, 2, 3, 40];
    let corpus = inputs("survey_body");
    assert!(!corpus.is_empty());
    for input in corpus {
        for parsed in [
            changeready::domain::survey_body::parse_json_body(&input, &questions),
            changeready::domain::survey_body::parse_form_body(&input, &questions),
        ] {
            match parsed {
                Ok(submission) => {
                    assert!(submission.answers.keys().all(|id| questions.contains(id)))
                }
                Err(errors) => {
                    assert!(!errors.is_empty() && errors.iter().all(|e| !e.field.is_empty()))
                }
            }
        }
    }
}
