//! Synthetic organisations for benchmarks: a three-level team tree and people.

use std::fmt::Write;

/// Team paths: `teams` teams, three levels deep (divisions / departments / teams).
pub fn team_paths(teams: usize) -> Vec<String> {
    let divisions = (teams as f64).cbrt().ceil().max(1.0) as usize;
    let per_division = teams.div_ceil(divisions).max(1);
    let departments = (per_division as f64).sqrt().ceil().max(1.0) as usize;
    let mut paths = Vec::with_capacity(teams);
    'outer: for d in 0..divisions {
        paths.push(format!("Division {d:02}"));
        for p in 0..departments {
            if paths.len() >= teams {
                break 'outer;
            }
            paths.push(format!("Division {d:02}/Department {p:02}"));
            for t in 0..departments {
                if paths.len() >= teams {
                    break 'outer;
                }
                paths.push(format!("Division {d:02}/Department {p:02}/Team {t:02}"));
            }
        }
    }
    paths.truncate(teams);
    paths
}

/// A people CSV of `people` rows spread over `teams` teams (header included).
pub fn people_csv(people: usize, teams: usize) -> String {
    let paths = team_paths(teams);
    let mut csv = String::with_capacity(people * 80);
    csv.push_str("email,name,team,manager_email,location,external_id\n");
    let cities = ["Leeds", "Lyon", "Porto"];
    for i in 0..people {
        let team = &paths[i % paths.len()];
        let manager = i - i % 10;
        let _ = writeln!(
            csv,
            "person{i:07}@bench.example,Person {i:07},{team},person{manager:07}@bench.example,{},E{i:07}",
            cities[i % cities.len()]
        );
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::people_csv::parse_people_csv;

    #[test]
    fn the_generated_organisation_parses_and_has_the_asked_size() {
        let paths = team_paths(2000);
        assert_eq!(paths.len(), 2000);
        assert!(paths.iter().all(|p| p.split('/').count() <= 3));
        let rows = parse_people_csv(people_csv(1000, 50).as_bytes()).expect("valid CSV");
        assert_eq!(rows.len(), 1000);
        let teams: std::collections::HashSet<_> = rows.iter().map(|r| r.team.as_string()).collect();
        assert_eq!(teams.len(), 50);
    }
}
