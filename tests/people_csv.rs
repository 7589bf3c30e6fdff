//! Tests for `domain::people_csv` (too long to live inside the module).

use changeready::domain::people_csv::{CsvError, PersonRow, parse_people_csv};
use proptest::prelude::*;

const HEADER: &str = "email,name,team,manager_email,location,external_id\n";

fn errors_of(input: &[u8]) -> Vec<CsvError> {
    parse_people_csv(input).expect_err("expected errors")
}

fn rows_of(input: &[u8]) -> Vec<PersonRow> {
    parse_people_csv(input).expect("expected rows")
}

type Case<'a> = (&'a [u8], &'a [(u64, &'a str)], &'a str);

fn located(errors: &[CsvError]) -> Vec<(u64, &str)> {
    errors.iter().map(|e| (e.line, e.field.as_str())).collect()
}

#[test]
fn happy_path_with_odd_header_order_and_case() {
    let input = " Team ,EMAIL,External_ID,name,Location,manager_EMAIL\n\
                 Ops/Desk, Alice@Example.com ,E-1, Alice A ,Berlin,boss@example.com\n\
                 Ops,bob@example.com,,Bob,  ,\n";
    let rows = rows_of(input.as_bytes());
    assert_eq!(rows.len(), 2);
    let alice = &rows[0];
    assert_eq!(alice.line, 2);
    assert_eq!(alice.email.as_ref(), "alice@example.com");
    assert_eq!(alice.name, "Alice A");
    assert_eq!(alice.team.as_string(), "Ops/Desk");
    assert_eq!(
        alice.manager_email.as_ref().map(AsRef::as_ref),
        Some("boss@example.com")
    );
    assert_eq!(alice.location.as_deref(), Some("Berlin"));
    assert_eq!(alice.external_id.as_deref(), Some("E-1"));
    let bob = &rows[1];
    assert_eq!((bob.line, bob.manager_email.is_none()), (3, true));
    assert_eq!(
        (bob.location.as_deref(), bob.external_id.as_deref()),
        (None, None)
    );
}

#[test]
fn bom_crlf_blank_lines_and_header_only() {
    let input = b"\xEF\xBB\xBFemail,name,team\r\n\r\na@x.com,A,Ops\r\n  ,  ,\r\nb@x.com,B,Ops";
    let rows = rows_of(input);
    assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [3, 5]);
    assert_eq!(rows[0].team.as_string(), "Ops");
    let rows = rows_of(b"email,name,team\ra@x.com,A,Ops\r\rb@x.com,B,Ops\r");
    assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4]);
    assert_eq!(rows_of(b"email,name,team\n"), vec![]);
    assert_eq!(rows_of(b"\xEF\xBB\xBFname,team,email"), vec![]);
}

#[test]
fn header_errors() {
    let cases: [Case; 8] = [
        (b"", &[(1, "header")], "the file is empty"),
        (b"\n\n", &[(1, "header")], "the file is empty"),
        (
            b"email;name;team\na;b;c",
            &[(1, "header")],
            "the file must be comma-separated (found ';')",
        ),
        (
            b"email\tname\tteam\n",
            &[(1, "header")],
            "the file must be comma-separated (found a tab)",
        ),
        (
            b"email,name,team,shoe\n",
            &[(1, "shoe")],
            "unknown column; expected email,name,team[,manager_email,location,external_id]",
        ),
        (
            b"email,name\n",
            &[(1, "team")],
            "required column is missing",
        ),
        (
            b"email,name,team,EMAIL\n",
            &[(1, "EMAIL")],
            "column appears more than once",
        ),
        (
            b"email,name,te\xffam\n",
            &[(1, "header"), (1, "team")],
            "is not valid UTF-8",
        ),
    ];
    for (input, expected, message) in cases {
        let errors = errors_of(input);
        assert_eq!(
            located(&errors),
            expected,
            "{}",
            String::from_utf8_lossy(input)
        );
        assert_eq!(errors[0].message, message);
    }
}

#[test]
fn each_bad_row_class_is_located() {
    let long = "x".repeat(201);
    let cases: Vec<(String, &str, &str)> = vec![
        (
            "bad,A,Ops,,,".into(),
            "email",
            "is not a valid email address",
        ),
        (",A,Ops,,,".into(), "email", "is empty"),
        ("a@x.com, ,Ops,,,".into(), "name", "is empty"),
        (
            format!("a@x.com,{long},Ops,,,"),
            "name",
            "is longer than 200 characters",
        ),
        (
            "a@x.com,A,Ops//Desk,,,".into(),
            "team",
            "team path 'Ops//Desk' has an empty segment",
        ),
        ("a@x.com,A,,,,".into(), "team", "team path is empty"),
        (
            "a@x.com,A,Ops,nope,,".into(),
            "manager_email",
            "is not a valid email address",
        ),
        (
            format!("a@x.com,A,Ops,,{long},"),
            "location",
            "is longer than 200 characters",
        ),
        (
            format!("a@x.com,A,Ops,,,{long}"),
            "external_id",
            "is longer than 200 characters",
        ),
        ("a@x.com,A,Ops".into(), "row", "has 3 fields, expected 6"),
        (
            "a@x.com,A,Ops,,,,".into(),
            "row",
            "has 7 fields, expected 6",
        ),
    ];
    for (row, field, message) in cases {
        let input = format!("{HEADER}ok@x.com,Ok,Ops,,,\n{row}\n");
        let errors = errors_of(input.as_bytes());
        assert_eq!(located(&errors), [(3, field)], "{row}");
        assert_eq!(errors[0].message, message, "{row}");
    }
}

#[test]
fn bad_utf8_and_duplicates_are_located() {
    let errors = errors_of(b"email,name,team,x\na@x.com,\xff,Ops,\xfe\n");
    assert_eq!(located(&errors), [(1, "x"), (2, "name"), (2, "row")]);
    assert!(
        errors[1..]
            .iter()
            .all(|e| e.message == "is not valid UTF-8")
    );
    let errors = errors_of(b"email,name,team\na@x.com,A,Ops\nb@x.com,B,Ops\nA@X.COM,C,Ops\n");
    assert_eq!(located(&errors), [(4, "email")]);
    assert_eq!(errors[0].message, "duplicates line 2");
}

#[test]
fn all_errors_are_collected_and_sorted() {
    let input = format!(
        "{HEADER}bad,A,Ops,,,\n\na@x.com,,Ops/,,,\nb@x.com,B,Ops,,,\nb@x.com,B,Ops\nc@x.com,C,Ops,,,\n"
    );
    let errors = errors_of(input.as_bytes());
    let expected = [(2, "email"), (4, "name"), (4, "team"), (6, "row")];
    assert_eq!(located(&errors), expected);
}

#[test]
fn quoted_newlines_keep_later_line_numbers() {
    let input = "email,name,team\n\"a@x.com\",\"Multi\nline\r\nname\",Ops\nbad,B,Ops\n";
    let errors = errors_of(input.as_bytes());
    assert_eq!(located(&errors), [(5, "email")]);
    let rows = rows_of(b"email,name,team\na@x.com,\"A\nB\",Ops\nb@x.com,B,Ops\n");
    assert_eq!(rows[0].name, "A\nB");
    assert_eq!(rows[1].line, 4);
}

#[test]
#[ignore = "timing check; run with --release -- --ignored"]
fn parses_100k_rows_quickly() {
    let mut input = String::from("email,name,team,manager_email,location,external_id\n");
    for i in 0..100_000 {
        input.push_str(&format!(
            "user{i}@example.com,User {i},Org/Dept {}/Team {},boss@example.com,Berlin,E{i}\n",
            i % 10,
            i % 100
        ));
    }
    let start = std::time::Instant::now();
    let rows = rows_of(input.as_bytes());
    let elapsed = start.elapsed();
    eprintln!("parsed 100k rows in {elapsed:?}");
    assert_eq!(rows.len(), 100_000);
    assert!(elapsed.as_millis() < 500, "took {elapsed:?}");
}

proptest! {
    #[test]
    fn never_panics_and_lines_are_positive(input in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Err(errors) = parse_people_csv(&input) {
            prop_assert!(!errors.is_empty());
            prop_assert!(errors.iter().all(|e| e.line >= 1));
            prop_assert!(errors.windows(2).all(|w| w[0].line <= w[1].line));
        }
    }

    #[test]
    fn never_panics_on_csv_like_input(body in "[a-z@.,;/\" \t\r\n\u{e9}]{0,300}") {
        let input = format!("email,name,team,location\n{body}");
        if let Err(errors) = parse_people_csv(input.as_bytes()) {
            prop_assert!(errors.iter().all(|e| e.line >= 1));
        }
    }
}

proptest! {
    #[test]
    fn error_lines_match_physical_lines(
        lines in proptest::collection::vec((0..4u8, 0..3usize), 0..40),
    ) {
        // Kind 0: empty, 1: whitespace only, 2: bad email row, 3: quoted two-line bad row.
        let mut input = String::from("email,name,team\r\n");
        let mut expected = Vec::new();
        let mut line = 2;
        for (kind, terminator) in lines {
            let row = match kind {
                0 => String::new(),
                1 => String::from("  \t"),
                2 => format!("bad{line},N,T"),
                _ => format!("\"bad{line}\",\"N\nM\",T"),
            };
            if kind >= 2 {
                expected.push((line, "email"));
            }
            // A lone CR then an empty LF line would read as one CRLF break.
            let merges = terminator == 0 && row.is_empty() && input.ends_with('\r');
            input.push_str(&row);
            input.push_str(if merges { "\r\n" } else { ["\n", "\r\n", "\r"][terminator] });
            line += if kind == 3 { 2 } else { 1 };
        }
        match parse_people_csv(input.as_bytes()) {
            Ok(rows) => prop_assert!(rows.is_empty() && expected.is_empty()),
            Err(errors) => prop_assert_eq!(located(&errors), expected),
        }
    }
}
