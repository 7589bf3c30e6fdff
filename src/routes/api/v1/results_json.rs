//! The JSON shapes of `GET /api/v1/waves/{id}/results` and `/hotspots` (api.md "Results").
//! Suppressed entries carry counts only; means are rounded to 2 decimals.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::adkar::Element;
use crate::scoring::hotspots::{Hotspot, HotspotReason};
use crate::scoring::{ElementFigure, WaveResults, round2};

/// One element's figure.
#[derive(Serialize, ToSchema)]
#[schema(as = ElementFigure)]
struct FigureJson {
    /// Responses with a score for the element.
    n: i64,
    /// Mean score, 2 decimals; null when nobody scored the element.
    #[schema(required = true)]
    mean: Option<f64>,
}

/// The five elements by name, in A-D-K-A-R order.
#[derive(Serialize, ToSchema)]
#[schema(as = ElementFigures)]
struct ElementsJson {
    awareness: FigureJson,
    desire: FigureJson,
    knowledge: FigureJson,
    ability: FigureJson,
    reinforcement: FigureJson,
}

/// How many respondents have each element as their barrier point, and how many are `ready`.
#[derive(Serialize, ToSchema)]
#[schema(as = BarrierCounts)]
struct BarriersJson {
    awareness: i64,
    desire: i64,
    knowledge: i64,
    ability: i64,
    reinforcement: i64,
    ready: i64,
}

fn elements_json(e: &[ElementFigure; 5]) -> ElementsJson {
    let f = |i: usize| FigureJson {
        n: e[i].n,
        mean: e[i].mean.map(round2),
    };
    ElementsJson {
        awareness: f(0),
        desire: f(1),
        knowledge: f(2),
        ability: f(3),
        reinforcement: f(4),
    }
}

fn barriers_json(b: &[i64; 6]) -> BarriersJson {
    BarriersJson {
        awareness: b[0],
        desire: b[1],
        knowledge: b[2],
        ability: b[3],
        reinforcement: b[4],
        ready: b[5],
    }
}

/// A group's counts, and its figures only when not suppressed.
#[derive(Serialize, ToSchema)]
#[schema(as = GroupFigures)]
struct GroupJson {
    invited: i64,
    responded: i64,
    /// Fewer than k responded: no figures.
    suppressed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    elements: Option<ElementsJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    barriers: Option<BarriersJson>,
    /// The element most respondents are stuck at; null when everyone is ready.
    /// Present exactly when the figures are.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Element>)]
    primary_barrier: Option<Option<Element>>,
}

impl GroupJson {
    fn new(
        counts: (i64, i64, bool),
        figures: Option<(&[ElementFigure; 5], &[i64; 6])>,
        primary: Option<Element>,
    ) -> Self {
        let (invited, responded, suppressed) = counts;
        GroupJson {
            invited,
            responded,
            suppressed,
            elements: figures.map(|(e, _)| elements_json(e)),
            barriers: figures.map(|(_, b)| barriers_json(b)),
            primary_barrier: figures.map(|_| primary),
        }
    }
}

/// One team, covering its whole subtree.
#[derive(Serialize, ToSchema)]
#[schema(as = TeamResults)]
struct TeamJson<'a> {
    team_id: i64,
    path: &'a str,
    /// Null at the top.
    #[schema(required = true)]
    parent_id: Option<i64>,
    #[serde(flatten)]
    group: GroupJson,
}

/// The api.md shape of a wave's results.
#[derive(Serialize, ToSchema)]
#[schema(as = WaveResults)]
pub struct ResultsJson<'a> {
    wave_id: i64,
    /// k: the smallest group whose figures are shown.
    min_group_size: i64,
    /// The whole organisation.
    org: GroupJson,
    /// One entry per team in scope, depth-first.
    teams: Vec<TeamJson<'a>>,
}

/// Builds the api.md shape of a wave's results; suppressed entries carry counts only.
pub fn results_json(wave_id: i64, results: &WaveResults) -> ResultsJson<'_> {
    let org = &results.org;
    let shown = !org.suppressed;
    ResultsJson {
        wave_id,
        min_group_size: results.min_group_size,
        org: GroupJson::new(
            (org.invited, org.responded, org.suppressed),
            org.elements
                .as_ref()
                .zip(org.barriers.as_ref())
                .filter(|_| shown),
            org.primary_barrier,
        ),
        teams: results
            .teams
            .iter()
            .map(|t| TeamJson {
                team_id: t.team_id,
                path: &t.path,
                parent_id: t.parent_id,
                group: GroupJson::new(
                    (t.invited, t.responded, t.suppressed),
                    t.elements.as_ref().zip(t.barriers.as_ref()),
                    t.primary_barrier,
                ),
            })
            .collect(),
    }
}

/// Why a (team, element) is a hotspot.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = HotspotReason)]
enum ReasonJson {
    /// Mean ≤ 3.0.
    Low,
    /// Mean ≤ the organisation's mean − 0.5.
    BelowOrg,
    /// Mean ≤ the previous wave's mean for the team − 0.5.
    Declining,
}

impl From<HotspotReason> for ReasonJson {
    fn from(r: HotspotReason) -> Self {
        match r {
            HotspotReason::Low => ReasonJson::Low,
            HotspotReason::BelowOrg => ReasonJson::BelowOrg,
            HotspotReason::Declining => ReasonJson::Declining,
        }
    }
}

/// One element of one unsuppressed team that needs attention.
#[derive(Serialize, ToSchema)]
#[schema(as = Hotspot)]
pub struct HotspotJson<'a> {
    team_id: i64,
    path: &'a str,
    element: Element,
    /// The team's mean for the element, 2 decimals.
    mean: f64,
    /// Responses with a score for the element.
    n: i64,
    /// At least one reason.
    reasons: Vec<ReasonJson>,
    /// The team has a hotspot and no team below it has one.
    hotspot_team: bool,
    /// Suggested interventions for the element.
    interventions: &'a [String],
}

impl<'a> From<&'a Hotspot> for HotspotJson<'a> {
    fn from(h: &'a Hotspot) -> Self {
        HotspotJson {
            team_id: h.team_id,
            path: &h.path,
            element: h.element,
            mean: round2(h.mean),
            n: h.n,
            reasons: h.reasons.iter().copied().map(Into::into).collect(),
            hotspot_team: h.hotspot_team,
            interventions: &h.interventions,
        }
    }
}
