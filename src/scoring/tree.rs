//! The team tree of one wave's aggregates, indexed by position in the input.

use std::collections::HashMap;

use crate::scoring::aggregate::TeamAggregate;

/// Team tree over the input slice: every team appears exactly once.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tree {
    /// Top-level teams (the org root's children), by name.
    pub roots: Vec<usize>,
    /// Children of each team, by name.
    pub children: Vec<Vec<usize>>,
    /// Depth-first order, children by name.
    pub order: Vec<usize>,
    /// Depth of each team (top level = 0).
    pub depth: Vec<usize>,
    /// Parent of each team in this tree.
    pub parent: Vec<Option<usize>>,
}

impl Tree {
    /// Builds the tree. A parent that is missing from the input makes the team
    /// top-level; a team caught in a parent cycle becomes top-level too, so bad
    /// data degrades instead of dropping teams.
    pub fn build(teams: &[TeamAggregate]) -> Tree {
        let mut position: HashMap<i64, usize> = HashMap::with_capacity(teams.len());
        for (i, team) in teams.iter().enumerate() {
            position.entry(team.team_id).or_insert(i);
        }
        let by_name = |a: &usize, b: &usize| {
            let (ta, tb) = (&teams[*a], &teams[*b]);
            (&ta.name, ta.team_id, a).cmp(&(&tb.name, tb.team_id, b))
        };
        let mut declared_children = vec![Vec::new(); teams.len()];
        let mut tops = Vec::new();
        for (i, team) in teams.iter().enumerate() {
            match team.parent_id.and_then(|p| position.get(&p)) {
                Some(&p) if p != i => declared_children[p].push(i),
                _ => tops.push(i),
            }
        }
        for list in &mut declared_children {
            list.sort_by(by_name);
        }
        tops.sort_by(by_name);

        let mut tree = Tree {
            roots: Vec::new(),
            children: vec![Vec::new(); teams.len()],
            order: Vec::with_capacity(teams.len()),
            depth: vec![0; teams.len()],
            parent: vec![None; teams.len()],
        };
        let mut visited = vec![false; teams.len()];
        for top in tops {
            tree.walk_from(top, &declared_children, &mut visited);
        }
        // Whatever is left sits on a parent cycle, unreachable from the top.
        let mut stranded: Vec<usize> = (0..teams.len()).filter(|&i| !visited[i]).collect();
        stranded.sort_by(by_name);
        for i in stranded {
            if !visited[i] {
                tree.walk_from(i, &declared_children, &mut visited);
            }
        }
        tree
    }

    fn walk_from(&mut self, top: usize, declared: &[Vec<usize>], visited: &mut [bool]) {
        visited[top] = true;
        self.roots.push(top);
        let mut stack = vec![(top, 0usize)];
        while let Some((i, depth)) = stack.pop() {
            self.order.push(i);
            self.depth[i] = depth;
            for &child in declared[i].iter().rev() {
                if !visited[child] {
                    visited[child] = true;
                    self.parent[child] = Some(i);
                    stack.push((child, depth + 1));
                }
            }
            // The pushes ran in reverse; the recorded children keep name order.
            let kept: Vec<usize> = declared[i]
                .iter()
                .copied()
                .filter(|&c| self.parent[c] == Some(i))
                .collect();
            self.children[i] = kept;
        }
    }
}

/// Parents and children of results laid out depth-first by `compute_results`, by
/// position; for the passes that run over finished results.
pub(crate) struct ResultLinks {
    /// Parent of each team (`None` at the top level).
    pub parent: Vec<Option<usize>>,
    /// Children of each team, in the results' order.
    pub children: Vec<Vec<usize>>,
    /// Top-level teams (the organisation's children).
    pub top: Vec<usize>,
}

impl ResultLinks {
    /// The links of `teams`.
    pub fn of(teams: &[crate::scoring::results::TeamResult]) -> ResultLinks {
        let index: HashMap<i64, usize> = teams
            .iter()
            .enumerate()
            .map(|(i, t)| (t.team_id, i))
            .collect();
        let mut links = ResultLinks {
            parent: vec![None; teams.len()],
            children: vec![Vec::new(); teams.len()],
            top: Vec::new(),
        };
        for (i, team) in teams.iter().enumerate() {
            match team.parent_id.and_then(|p| index.get(&p)) {
                Some(&p) if team.depth > 0 => {
                    links.parent[i] = Some(p);
                    links.children[p].push(i);
                }
                _ => links.top.push(i),
            }
        }
        links
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(id: i64, parent: Option<i64>, name: &str) -> TeamAggregate {
        TeamAggregate::new(id, parent, name, name)
    }

    #[test]
    fn order_is_depth_first_with_children_by_name() {
        let teams = [
            team(1, None, "Sales"),
            team(2, Some(1), "West"),
            team(3, Some(1), "East"),
            team(4, None, "Ops"),
            team(5, Some(3), "Inside"),
        ];
        let tree = Tree::build(&teams);
        let ids: Vec<i64> = tree.order.iter().map(|&i| teams[i].team_id).collect();
        assert_eq!(ids, [4, 1, 3, 5, 2]);
        assert_eq!(tree.depth, [0, 1, 1, 0, 2]);
        assert_eq!(tree.children[0], [2, 1]);
        assert_eq!(tree.parent[4], Some(2));
    }

    #[test]
    fn missing_parents_and_cycles_still_place_every_team_once() {
        let teams = [
            team(1, Some(99), "Orphan"),
            team(2, Some(3), "B"),
            team(3, Some(2), "A"),
            team(4, Some(4), "Self"),
        ];
        let tree = Tree::build(&teams);
        let mut seen = tree.order.clone();
        seen.sort_unstable();
        assert_eq!(seen, [0, 1, 2, 3]);
        let ids: Vec<i64> = tree.order.iter().map(|&i| teams[i].team_id).collect();
        assert_eq!(ids, [1, 4, 3, 2]);
        assert_eq!(tree.depth[1], 1);
    }

    fn walk(
        teams: &[TeamAggregate],
        parent: Option<i64>,
        depth: usize,
        out: &mut Vec<(i64, usize)>,
    ) {
        let mut children: Vec<&TeamAggregate> =
            teams.iter().filter(|t| t.parent_id == parent).collect();
        children.sort_by(|a, b| (&a.name, a.team_id).cmp(&(&b.name, b.team_id)));
        for child in children {
            out.push((child.team_id, depth));
            walk(teams, Some(child.team_id), depth + 1, out);
        }
    }

    proptest::proptest! {
        #[test]
        fn order_is_depth_first_with_children_by_name_on_any_tree(
            specs in proptest::collection::vec((proptest::option::of(0usize..40), 0u8..4), 1..40),
        ) {
            // Parents come earlier, so the tree is sound; names repeat to force ties.
            let teams: Vec<TeamAggregate> = specs.iter().enumerate().map(|(i, (p, name))| {
                let parent = p.filter(|_| i > 0).map(|p| (p % i.max(1)) as i64);
                TeamAggregate::new(i as i64, parent, format!("T{name}"), "")
            }).collect();
            let tree = Tree::build(&teams);
            let mut expected = Vec::new();
            walk(&teams, None, 0, &mut expected);
            let got: Vec<(i64, usize)> =
                tree.order.iter().map(|&i| (teams[i].team_id, tree.depth[i])).collect();
            proptest::prop_assert_eq!(got, expected);
        }
    }
}
