//! The people CSV parser never panics, and every error names a line and a field.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(errors) = changeready::domain::people_csv::parse_people_csv(data) {
        assert!(
            errors
                .iter()
                .all(|e| e.line >= 1 && !e.field.is_empty() && !e.message.is_empty())
        );
    }
});
