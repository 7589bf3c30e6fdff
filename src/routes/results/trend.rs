//! The organisation's mean per element across an initiative's waves, as small SVG lines.

use diesel_async::AsyncPgConnection;
use serde::Serialize;

use crate::db::models::wave::Wave;
use crate::domain::adkar::Element;
use crate::scoring::round2;
use crate::services::results::wave_results;

/// One element's line across waves.
#[derive(Debug, Serialize)]
pub struct TrendLine {
    /// Element label.
    pub element: &'static str,
    /// Means per wave with one decimal (none where hidden or unanswered).
    pub means: Vec<Option<String>>,
    /// SVG polyline points in a 100×30 box (1.0 at the bottom, 5.0 at the top).
    pub points: String,
    /// Last shown mean minus the first shown mean.
    pub change: Option<f64>,
    /// The change as printed, "+0.4".
    pub change_text: Option<String>,
}

/// Wave names and one line per element, for the initiative's launched waves, oldest first.
pub async fn initiative_trend(
    conn: &mut AsyncPgConnection,
    initiative_id: i64,
) -> diesel::QueryResult<(Vec<String>, Vec<TrendLine>)> {
    let mut waves: Vec<Wave> = Wave::list_for_initiative(conn, initiative_id)
        .await?
        .into_iter()
        .filter(|w| w.launched_at.is_some())
        .collect();
    waves.sort_by_key(|w| w.launched_at);
    let mut per_wave = Vec::with_capacity(waves.len());
    for wave in &waves {
        let results = wave_results(conn, wave).await?;
        per_wave.push(if results.org.suppressed {
            None
        } else {
            results.org.elements
        });
    }
    let steps = waves.len().saturating_sub(1).max(1) as f64;
    let lines = Element::ALL
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let means: Vec<Option<f64>> = per_wave
                .iter()
                .map(|w| w.and_then(|f| f[i].mean).map(round2))
                .collect();
            let points = means
                .iter()
                .enumerate()
                .filter_map(|(x, m)| {
                    m.map(|m| {
                        format!(
                            "{:.1},{:.1}",
                            x as f64 * 100.0 / steps,
                            30.0 - (m - 1.0) * 7.0
                        )
                    })
                })
                .collect::<Vec<_>>()
                .join(" ");
            let shown: Vec<f64> = means.iter().flatten().copied().collect();
            let change = (shown.len() >= 2).then(|| round2(shown[shown.len() - 1] - shown[0]));
            TrendLine {
                element: e.label(),
                means: means.iter().map(|m| m.map(|m| format!("{m:.1}"))).collect(),
                points,
                change,
                change_text: change.map(|c| format!("{c:+.1}")),
            }
        })
        .collect();
    Ok((waves.into_iter().map(|w| w.name).collect(), lines))
}
