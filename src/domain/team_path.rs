//! Hierarchical team paths such as `Operations/Service Desk/Tier 1`.

use std::fmt;

use thiserror::Error;

/// The longest allowed segment, in characters.
pub const MAX_SEGMENT_LEN: usize = 100;
/// The deepest allowed hierarchy, in segments.
pub const MAX_DEPTH: usize = 10;

/// Why a string is not an acceptable team path.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TeamPathError {
    /// The input was empty or only whitespace.
    #[error("team path is empty")]
    Empty,
    /// A segment between two slashes (or at either end) is empty.
    #[error("team path '{path}' has an empty segment")]
    EmptySegment {
        /// The offending path as given.
        path: String,
    },
    /// A segment is longer than [`MAX_SEGMENT_LEN`] characters.
    #[error("team path '{path}' has a segment longer than 100 characters")]
    SegmentTooLong {
        /// The offending path as given.
        path: String,
    },
    /// The path has more than [`MAX_DEPTH`] segments.
    #[error("team path '{path}' has {levels} levels, at most 10 are allowed")]
    TooDeep {
        /// The offending path as given.
        path: String,
        /// How many segments the path has.
        levels: usize,
    },
}

/// A validated team path: 1 to [`MAX_DEPTH`] trimmed, non-empty segments.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TeamPath(Vec<String>);

impl TeamPath {
    /// Splits `s` on `/`, trims each segment and validates the result.
    ///
    /// # Errors
    /// Returns [`TeamPathError`] if the path is empty, has an empty segment,
    /// has a segment over [`MAX_SEGMENT_LEN`] characters, or is deeper than
    /// [`MAX_DEPTH`] levels.
    pub fn parse(s: &str) -> Result<Self, TeamPathError> {
        let path = s.trim();
        if path.is_empty() {
            return Err(TeamPathError::Empty);
        }
        let levels = path.split('/').count();
        if levels > MAX_DEPTH {
            return Err(TeamPathError::TooDeep {
                path: path.to_owned(),
                levels,
            });
        }
        let mut segments = Vec::with_capacity(levels);
        for segment in path.split('/').map(str::trim) {
            if segment.is_empty() {
                return Err(TeamPathError::EmptySegment {
                    path: path.to_owned(),
                });
            }
            if segment.len() > MAX_SEGMENT_LEN && segment.chars().count() > MAX_SEGMENT_LEN {
                return Err(TeamPathError::SegmentTooLong {
                    path: path.to_owned(),
                });
            }
            segments.push(segment.to_owned());
        }
        Ok(Self(segments))
    }

    /// The segments, root first.
    pub fn segments(&self) -> &[String] {
        &self.0
    }

    /// The segments joined with `/`.
    pub fn as_string(&self) -> String {
        self.0.join("/")
    }

    /// The enclosing team, or `None` for a root team.
    pub fn parent(&self) -> Option<TeamPath> {
        match self.0.split_last() {
            Some((_, rest)) if !rest.is_empty() => Some(Self(rest.to_vec())),
            _ => None,
        }
    }

    /// The last segment, i.e. the team's own name.
    pub fn name(&self) -> &str {
        // Construction guarantees at least one segment.
        self.0.last().map_or("", String::as_str)
    }

    /// Every path from the root down to and including `self`, root first.
    pub fn ancestors_and_self(&self) -> Vec<TeamPath> {
        (1..=self.0.len())
            .map(|depth| Self(self.0[..depth].to_vec()))
            .collect()
    }
}

impl fmt::Display for TeamPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            f.write_str(segment)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> TeamPath {
        TeamPath::parse(s).expect(s)
    }

    #[test]
    fn parses_and_trims_segments() {
        let p = path("  Ops / Service Desk /Tier 1 ");
        assert_eq!(p.segments(), ["Ops", "Service Desk", "Tier 1"]);
        assert_eq!(p.as_string(), "Ops/Service Desk/Tier 1");
        assert_eq!(p.to_string(), "Ops/Service Desk/Tier 1");
        assert_eq!(p.name(), "Tier 1");
    }

    #[test]
    fn hierarchy_navigation() {
        let p = path("A/B/C");
        assert_eq!(p.parent(), Some(path("A/B")));
        assert_eq!(path("A").parent(), None);
        assert_eq!(
            p.ancestors_and_self(),
            vec![path("A"), path("A/B"), p.clone()]
        );
        assert_eq!(path("A").ancestors_and_self(), vec![path("A")]);
    }

    #[test]
    fn rejects_invalid_paths() {
        let long = "x".repeat(101);
        let deep = ["a"; 11].join("/");
        let cases = [
            ("", "team path is empty"),
            ("  ", "team path is empty"),
            ("Ops//Desk", "team path 'Ops//Desk' has an empty segment"),
            ("/Ops", "team path '/Ops' has an empty segment"),
            ("Ops/ /Desk", "team path 'Ops/ /Desk' has an empty segment"),
            ("Ops/", "team path 'Ops/' has an empty segment"),
        ];
        for (input, message) in cases {
            let err = TeamPath::parse(input).expect_err(input);
            assert_eq!(err.to_string(), message);
        }
        assert!(matches!(
            TeamPath::parse(&long),
            Err(TeamPathError::SegmentTooLong { .. })
        ));
        assert!(matches!(
            TeamPath::parse(&deep),
            Err(TeamPathError::TooDeep { levels: 11, .. })
        ));
        assert!(TeamPath::parse(&"x".repeat(100)).is_ok());
        assert_eq!(path(&["a"; 10].join("/")).segments().len(), 10);
    }
}
