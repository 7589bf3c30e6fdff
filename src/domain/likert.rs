//! An answer on the 5-point agreement scale.

use serde::Serialize;

/// 1 Strongly disagree … 5 Strongly agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "u8")]
pub struct Likert(u8);

/// Labels of the scale, index 0 = value 1.
pub const LABELS: [&str; 5] = [
    "Strongly disagree",
    "Disagree",
    "Neutral",
    "Agree",
    "Strongly agree",
];

impl Likert {
    /// Lowest value.
    pub const MIN: u8 = 1;
    /// Highest value.
    pub const MAX: u8 = 5;

    /// Accepts 1..=5.
    pub fn new(value: i64) -> Result<Likert, String> {
        u8::try_from(value)
            .ok()
            .filter(|v| (Self::MIN..=Self::MAX).contains(v))
            .map(Likert)
            .ok_or_else(|| format!("must be a whole number from 1 to 5, not {value}"))
    }

    /// The value 1..=5.
    pub fn value(self) -> u8 {
        self.0
    }
}

impl From<Likert> for u8 {
    fn from(l: Likert) -> u8 {
        l.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_to_five_are_answers() {
        for v in 1..=5 {
            assert_eq!(Likert::new(v).map(Likert::value), Ok(v as u8));
        }
        for v in [0, 6, -1, 256] {
            assert!(Likert::new(v).is_err(), "{v}");
        }
    }
}
