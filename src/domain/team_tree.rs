//! The team tree flattened for display: depth-first, children by name, with
//! people counted per subtree.

use std::collections::HashMap;

/// One team as stored.
#[derive(Debug, Clone)]
pub struct TeamRef {
    /// Team id.
    pub id: i64,
    /// Parent id; none for a top-level team.
    pub parent_id: Option<i64>,
    /// Name (last path segment).
    pub name: String,
    /// Full path.
    pub path: String,
}

/// One line of the displayed tree.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TreeRow {
    /// Team id.
    pub id: i64,
    /// Parent id.
    pub parent_id: Option<i64>,
    /// Name.
    pub name: String,
    /// Full path.
    pub path: String,
    /// 0 for top-level teams.
    pub depth: usize,
    /// Active people directly in this team.
    pub direct_people: i64,
    /// Active people in this team and all its descendants.
    pub subtree_people: i64,
    /// Number of child teams.
    pub children: usize,
}

/// Flattens `teams` depth-first (children sorted by name) and sums `direct_counts`
/// (team id → people) over each subtree.
pub fn flatten_tree(teams: &[TeamRef], direct_counts: &HashMap<i64, i64>) -> Vec<TreeRow> {
    let mut children: HashMap<Option<i64>, Vec<&TeamRef>> = HashMap::new();
    for team in teams {
        children.entry(team.parent_id).or_default().push(team);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    }
    let mut rows = Vec::with_capacity(teams.len());
    // Iterative DFS: team trees from HR systems can be deep enough to matter.
    let mut stack: Vec<(&TeamRef, usize)> = children
        .get(&None)
        .map(|roots| roots.iter().rev().map(|t| (*t, 0)).collect())
        .unwrap_or_default();
    while let Some((team, depth)) = stack.pop() {
        let kids = children.get(&Some(team.id)).map_or(&[][..], Vec::as_slice);
        rows.push(TreeRow {
            id: team.id,
            parent_id: team.parent_id,
            name: team.name.clone(),
            path: team.path.clone(),
            depth,
            direct_people: direct_counts.get(&team.id).copied().unwrap_or(0),
            subtree_people: 0,
            children: kids.len(),
        });
        stack.extend(kids.iter().rev().map(|t| (*t, depth + 1)));
    }
    // Rows are in pre-order, so walking backwards adds each subtree into its parent.
    let index: HashMap<i64, usize> = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    for i in (0..rows.len()).rev() {
        rows[i].subtree_people += rows[i].direct_people;
        if let Some(parent) = rows[i].parent_id.and_then(|p| index.get(&p).copied()) {
            rows[parent].subtree_people += rows[i].subtree_people;
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(id: i64, parent: Option<i64>, path: &str) -> TeamRef {
        TeamRef {
            id,
            parent_id: parent,
            name: path.rsplit('/').next().unwrap_or(path).to_owned(),
            path: path.to_owned(),
        }
    }

    #[test]
    fn rows_are_depth_first_with_subtree_counts() {
        let teams = vec![
            team(1, None, "Ops"),
            team(2, Some(1), "Ops/Service Desk"),
            team(3, None, "Finance"),
            team(4, Some(1), "Ops/Network"),
            team(5, Some(4), "Ops/Network/Core"),
        ];
        let counts = HashMap::from([(1, 2), (2, 5), (4, 1), (5, 3), (3, 7)]);
        let rows = flatten_tree(&teams, &counts);
        let order: Vec<_> = rows
            .iter()
            .map(|r| (r.path.as_str(), r.depth, r.subtree_people))
            .collect();
        assert_eq!(
            order,
            vec![
                ("Finance", 0, 7),
                ("Ops", 0, 11),
                ("Ops/Network", 1, 4),
                ("Ops/Network/Core", 2, 3),
                ("Ops/Service Desk", 1, 5),
            ]
        );
        assert_eq!(rows[1].children, 2);
    }

    #[test]
    fn an_empty_organisation_has_no_rows() {
        assert!(flatten_tree(&[], &HashMap::new()).is_empty());
    }
}
