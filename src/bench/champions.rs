//! `changeready bench champions`: times the exact champion assignment on a generated
//! instance (no database): a random team tree, candidates and hotspot teams.

use std::time::Instant;

use crate::scoring::champions::{Candidate, TeamTree, assign_champions};

/// A tiny deterministic generator (xorshift), so every run times the same instance.
struct Xorshift(u64);

impl Xorshift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Times `runs` assignments of `hotspots` teams from `candidates` in a `teams`-team tree
/// (capacity 2) and prints the median and maximum.
pub fn bench_champions(teams: usize, candidates: usize, hotspots: usize, runs: usize) {
    let mut rng = Xorshift(0x2545_f491_4f6c_dd1d);
    let links: Vec<(i64, Option<i64>)> = (0..teams as i64)
        .map(|i| (i, (i >= 8).then(|| rng.below(i as u64) as i64)))
        .collect();
    let people: Vec<Candidate> = (0..candidates)
        .map(|i| Candidate {
            email: format!("p{:05}-{i}@bench.example", rng.below(100_000)),
            team_id: rng.below(teams as u64) as i64,
            readiness: (rng.below(3) > 0).then(|| 1.0 + rng.below(4_000_000) as f64 / 1e6),
        })
        .collect();
    let mut hot: Vec<i64> = Vec::new();
    while hot.len() < hotspots.min(teams) {
        hot.push(rng.below(teams as u64) as i64);
        hot.sort_unstable();
        hot.dedup();
    }
    let tree = TeamTree::new(&links);
    let mut times = Vec::with_capacity(runs);
    let mut covered = 0;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let result = assign_champions(&tree, &people, &hot, 2);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        covered = result.assignments.len();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "champions: {hotspots} hotspot teams, {candidates} candidates, {teams}-team tree, capacity 2: {covered} covered; \
         {} runs in-process: median {:.1} ms, max {:.1} ms",
        times.len(),
        times[times.len() / 2],
        times[times.len() - 1]
    );
}
