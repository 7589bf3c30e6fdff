//! Change-champion assignment (rules §6), an exact minimum-cost flow. Assignments rank by
//! (1) more covered hotspot teams, (2) less total distance, (3) more total readiness
//! ([`readiness_micros`]), then (4) the champions of the optimised teams by ascending id, team
//! by team: covered beats uncovered, then the smaller email (bytes). A total order: one best.

use serde::{Deserialize, Serialize};
use std::{cmp::Reverse, collections::BinaryHeap, collections::HashMap, ops::Range};

/// The team tree; the organisation is a virtual root above all top-level teams.
#[derive(Debug, Clone)]
pub struct TeamTree {
    index: HashMap<i64, usize>,
    depth: Vec<u32>,
    /// `up[k][v]`: the 2^k-th ancestor of node `v`; node 0 is the organisation root.
    up: Vec<Vec<usize>>,
}

impl TeamTree {
    /// Builds the tree from `(team id, parent id)` rows: a `None` or unknown parent makes a
    /// top-level team; teams on or under a parent cycle are left out; an id's first row counts.
    pub fn new(teams: &[(i64, Option<i64>)]) -> Self {
        let mut index: HashMap<i64, usize> = (teams.iter().enumerate().rev())
            .map(|(i, &(id, _))| (id, i + 1))
            .collect();
        let at = |p: &Option<i64>| p.and_then(|p| index.get(&p).copied()).unwrap_or(0);
        let mut parent = vec![0];
        parent.extend(teams.iter().map(|t| at(&t.1)));
        let (n, mut children) = (parent.len(), vec![Vec::new(); parent.len()]);
        (1..n).for_each(|v| children[parent[v]].push(v));
        let (mut depth, mut stack) = (vec![u32::MAX; n], vec![(0, 0)]);
        while let Some((u, d)) = stack.pop() {
            depth[u] = d;
            stack.extend(children[u].iter().map(|&c| (c, d + 1)));
        }
        index.retain(|_, v| depth[*v] != u32::MAX);
        let levels = (usize::BITS - n.leading_zeros()) as usize; // 2^levels > n
        let jump = |last: &Vec<usize>| Some(last.iter().map(|&a| last[a]).collect());
        let up = std::iter::successors(Some(parent), jump)
            .take(levels)
            .collect();
        Self { index, depth, up }
    }

    /// Number of edges between two teams (0 for the same team, 2 for two top-level
    /// teams); `None` when either team is not in the tree.
    pub fn distance(&self, a: i64, b: i64) -> Option<u32> {
        Some(self.between(*self.index.get(&a)?, *self.index.get(&b)?))
    }

    fn between(&self, mut a: usize, mut b: usize) -> u32 {
        let (da, db) = (self.depth[a], self.depth[b]);
        if da < db {
            std::mem::swap(&mut a, &mut b);
        }
        for (k, up) in self.up.iter().enumerate() {
            if (da.abs_diff(db) >> k) & 1 == 1 {
                a = up[a];
            }
        }
        for up in self.up.iter().rev() {
            if a != b && up[a] != up[b] {
                (a, b) = (up[a], up[b]);
            }
        }
        da + db - 2 * self.depth[if a == b { a } else { self.up[0][a] }]
    }
}

/// An eligible champion candidate (rules §6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The person's email; it identifies the champion.
    pub email: String,
    /// The team the person belongs to.
    pub team_id: i64,
    /// Mean of desire, knowledge and ability; `None` for nominees.
    pub readiness: Option<f64>,
}

/// One hotspot team and its champion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedTeam {
    /// The hotspot team.
    pub team_id: i64,
    /// The champion who covers it.
    pub champion_email: String,
    /// Edges between the champion's team and this team.
    pub distance: u32,
}

/// The result of an assignment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// Covered teams, sorted by team id (overridden ones included).
    pub assignments: Vec<AssignedTeam>,
    /// Hotspot teams without a champion, sorted (teams overridden to none excluded).
    pub uncovered: Vec<i64>,
    /// Sum of the assignments' distances.
    pub total_distance: u64,
}

/// A readiness in millionths as ranked: clamped to 0.0..=5.0, rounded; `None` and NaN are 0.
pub fn readiness_micros(readiness: Option<f64>) -> i64 {
    readiness.map_or(0, |r| (r.clamp(0.0, 5.0) * 1e6).round() as i64) // NaN as i64 is 0
}

/// The best assignment (module docs) of `candidates`, each covering at most
/// `max_teams_per_champion` of the `hotspot_teams`.
pub fn assign_champions(
    tree: &TeamTree,
    candidates: &[Candidate],
    hotspot_teams: &[i64],
    max_teams_per_champion: u32,
) -> Assignment {
    assign_with_overrides(tree, candidates, hotspot_teams, max_teams_per_champion, &[])
}

/// Like [`assign_champions`], with a practitioner's `(team, champion)` overrides fixed first:
/// `Some(email)` pins the team to that candidate, using up one of their teams even beyond the
/// maximum; `None` leaves the team deliberately without a champion (in neither list). Ignored:
/// overrides of non-hotspots, of emails that are no candidate or whose team is not in the tree;
/// a team's last override counts. Of candidates sharing an email, the first is kept.
pub fn assign_with_overrides(
    tree: &TeamTree,
    candidates: &[Candidate],
    hotspot_teams: &[i64],
    max_teams_per_champion: u32,
    overrides: &[(i64, Option<String>)],
) -> Assignment {
    let mut champs: Vec<&Candidate> = candidates.iter().collect();
    champs.sort_by(|a, b| a.email.cmp(&b.email)); // stable: the first of an email stays
    champs.dedup_by(|a, b| a.email == b.email);
    let node: Vec<_> = champs.iter().map(|c| tree.index.get(&c.team_id)).collect();
    let dist = |c: usize, t: i64| Some(tree.between(*node[c]?, *tree.index.get(&t)?));
    let mut teams = hotspot_teams.to_vec();
    teams.sort_unstable();
    teams.dedup();
    let mut pins = HashMap::new();
    for (team, email) in overrides {
        let champ = email.as_ref().map(|e| {
            let c = champs.binary_search_by(|c| c.email.cmp(e)).ok();
            c.filter(|&c| dist(c, *team).is_some()) // a candidate in the tree
        });
        if teams.binary_search(team).is_ok() && champ != Some(None) {
            pins.insert(*team, champ.flatten());
        }
    }
    let mut capacity = vec![i64::from(max_teams_per_champion); champs.len()];
    let mut chosen: Vec<(i64, usize)> = pins.iter().filter_map(|(&t, &c)| Some((t, c?))).collect();
    chosen.iter().for_each(|&(_, c)| capacity[c] -= 1);
    teams.retain(|t| !pins.contains_key(t));
    // Nodes: the champions (email order), the sink, the teams (id order). Each team sends
    // one unit to the sink through a champion, or through its "uncovered" arc, which costs
    // more than all distances; a distance unit costs more than all readiness.
    let (nc, nt) = (champs.len(), teams.len() as i64);
    let mut flow = Flow::default();
    flow.adj.resize(nc + 1 + teams.len(), Vec::new());
    let scale = i128::from(nt + 1) * 5_000_000; // readiness is at most 5_000_000 millionths
    let uncovered = i128::from(nt + 1) * (i128::from(u32::MAX) + 1) * scale;
    let mut usable = Vec::new();
    for c in (0..nc).filter(|&c| capacity[c] > 0) {
        flow.add(c, nc, capacity[c].min(nt), 0);
        let readiness = i128::from(readiness_micros(champs[c].readiness));
        usable.extend(node[c].map(|&at| (c, at, -readiness)));
    }
    for (j, &team) in teams.iter().enumerate() {
        let to = tree.index.get(&team).copied();
        let mut options: Vec<(i128, usize)> = (usable.iter())
            .filter_map(|&(c, at, r)| Some((i128::from(tree.between(at, to?)) * scale + r, c)))
            .collect();
        // Exact pruning: were the team's champion not among its `nt` cheapest options, one of
        // those would have room (other teams take <= nt - 1 slots): moving there is better.
        if options.len() > teams.len() {
            options.select_nth_unstable(teams.len());
            options.truncate(teams.len());
        }
        for &(cost, c) in &options {
            flow.add(nc + 1 + j, c, 1, cost);
        }
        flow.add(nc + 1 + j, nc, 1, uncovered);
    }
    flow.solve(nc, nc + 1..flow.adj.len());
    let mut out = Assignment::default();
    for (j, &team) in teams.iter().enumerate() {
        let used = flow.adj[nc + 1 + j].iter().find(|&&e| flow.cap[e] == 0);
        let champion = used.map(|&e| flow.to[e]).filter(|&v| v != nc);
        champion.map_or_else(|| out.uncovered.push(team), |c| chosen.push((team, c)));
    }
    chosen.sort_unstable();
    for (team_id, c) in chosen {
        let (champion_email, distance) = (champs[c].email.clone(), dist(c, team_id).unwrap_or(0));
        out.total_distance += u64::from(distance);
        out.assignments.push(AssignedTeam {
            team_id,
            champion_email,
            distance,
        });
    }
    out
}

/// A residual graph: arc `e` and its reverse `e ^ 1`.
#[derive(Default)]
struct Flow {
    adj: Vec<Vec<usize>>,
    to: Vec<usize>,
    cap: Vec<i64>,
    cost: Vec<i128>,
}

impl Flow {
    fn add(&mut self, u: usize, v: usize, cap: i64, cost: i128) {
        for (a, b, cap, cost) in [(u, v, cap, cost), (v, u, 0, -cost)] {
            self.adj[a].push(self.to.len());
            self.to.push(b);
            self.cap.push(cap);
            self.cost.push(cost);
        }
    }

    /// Pushes one unit along the arcs that `prev` records, from `start` to `v`.
    fn push_path(&mut self, prev: &[usize], mut v: usize, start: usize) {
        while v != start {
            let e = prev[v];
            self.cap[e] -= 1;
            self.cap[e ^ 1] += 1;
            v = self.to[e ^ 1];
        }
    }

    /// Successive shortest paths per team (Dijkstra with potentials, as in the Hungarian
    /// method) give a minimum-cost flow. Then each team in turn takes the smallest champion
    /// that a cycle of zero reduced cost avoiding earlier teams gives it (an equal-cost flow).
    fn solve(&mut self, sink: usize, teams: Range<usize>) {
        let (n, mut pot) = (self.adj.len(), vec![0i128; self.adj.len()]);
        for t in teams.clone() {
            // No arc enters `t` yet: its potential can make its own arcs' costs >= 0.
            let arcs = self.adj[t].iter();
            pot[t] = (arcs.map(|&e| pot[self.to[e]] - self.cost[e]).max()).unwrap_or(0);
            let rc = |e: usize| self.cost[e] + pot[self.to[e ^ 1]] - pot[self.to[e]];
            let (mut dist, mut prev) = (vec![i128::MAX; n], vec![usize::MAX; n]);
            let mut heap = BinaryHeap::from([Reverse((0, false, t))]);
            dist[t] = 0;
            while let Some(Reverse((d, _, u))) = heap.pop() {
                let arcs = if d == dist[u] { &self.adj[u][..] } else { &[] };
                for &e in arcs {
                    let (v, nd) = (self.to[e], d + rc(e));
                    if self.cap[e] > 0 && nd < dist[v] {
                        (dist[v], prev[v]) = (nd, e);
                        // Among equally near champions, those with room first.
                        heap.push(Reverse((nd, self.cap[self.adj[v][0]] == 0, v)));
                    }
                }
                if dist[sink] <= d {
                    break; // every node left is at least as far away as the sink
                }
            }
            for (p, d) in pot.iter_mut().zip(&dist) {
                *p += (*d).min(dist[sink]);
            }
            self.push_path(&prev, sink, t);
        }
        let zero: Vec<bool> = (0..self.to.len())
            .map(|e| self.cost[e] + pot[self.to[e ^ 1]] == pot[self.to[e]])
            .collect();
        let mut prev = vec![0; n];
        for t in teams.clone() {
            let Some(&out) = self.adj[t].iter().find(|&&e| self.cap[e] == 0) else {
                continue;
            };
            // The cycle: `t`, a smaller champion, ..., `end` (`t`'s champion or the sink), `t`.
            let (end, mut seen) = (self.to[out], vec![false; n]);
            seen[teams.start..=t].fill(true); // this team and earlier ones stay as they are
            let mut better: Vec<(usize, usize)> = (self.adj[t].iter())
                .filter(|&&e| self.to[e] < end && zero[e] && self.cap[e] > 0)
                .map(|&e| (self.to[e], e))
                .collect();
            better.sort_unstable();
            // Depth-first per option; what a failed search reached fails later ones too.
            for &(c, into) in better.iter().filter(|_| zero[out]) {
                let mut stack = vec![c];
                while let Some(u) = stack.pop().filter(|_| !seen[end]) {
                    for &e in self.adj[u].iter().filter(|&&e| zero[e] && self.cap[e] > 0) {
                        if !seen[self.to[e]] {
                            (seen[self.to[e]], prev[self.to[e]]) = (true, e);
                            stack.push(self.to[e]);
                        }
                    }
                }
                if seen[end] {
                    (prev[c], prev[t]) = (into, out ^ 1); // close the cycle through `t`
                    self.push_path(&prev, end, t);
                    self.push_path(&prev, t, end);
                    break;
                }
            }
        }
    }
}
