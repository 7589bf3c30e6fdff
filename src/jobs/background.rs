//! The background jobs of a process (email worker, reminder scheduler, wave closer):
//! built from the settings, spawned together and stopped together.

use std::path::Path;

use crate::config::Settings;
use crate::db::DbPool;
use crate::domain::survey_token::SurveyKeys;
use crate::email::EmailSender;
use crate::jobs::outbox::Mailer;
use crate::jobs::shutdown::{SHUTDOWN_TIMEOUT, Stop};
use crate::startup::build_tera;

/// The email worker's dependencies, from the settings.
pub fn build_mailer(settings: &Settings) -> anyhow::Result<Mailer> {
    Ok(Mailer {
        sender: EmailSender::from_settings(&settings.email)?,
        tera: std::sync::Arc::new(build_tera(Path::new(&settings.application.templates_dir))?),
        keys: SurveyKeys::new(settings.application.secret.clone()),
        from: settings.email.from.clone(),
        base_url: settings
            .application
            .base_url
            .trim_end_matches('/')
            .to_owned(),
        time_zone: settings.time_zone(),
        max_retry_delay: std::time::Duration::from_secs(settings.email.max_retry_delay_secs),
        retry_base: std::time::Duration::from_secs(settings.email.retry_base_secs),
        rate_per_second: settings.email.rate_per_second,
        lease: std::time::Duration::from_secs(settings.email.lease_secs),
        in_flight: settings.email.connections.max(1),
    })
}

/// The background jobs of this process, stopped together by [`BackgroundJobs::stop`].
pub struct BackgroundJobs {
    stop: Stop,
    mailer: tokio::task::JoinHandle<()>,
    others: Vec<tokio::task::JoinHandle<()>>,
}

impl BackgroundJobs {
    /// Asks the jobs to stop and waits until the email worker has finished or put back
    /// every email it claimed. The reminder scheduler and the wave closer do each pass
    /// in one transaction, so they are simply cancelled.
    pub async fn stop(self) {
        self.stop.request();
        for job in &self.others {
            job.abort();
        }
        let limit = SHUTDOWN_TIMEOUT + std::time::Duration::from_secs(5);
        match tokio::time::timeout(limit, self.mailer).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "email worker ended abnormally"),
            Err(_) => tracing::error!("email worker did not stop in time"),
        }
    }
}

/// Spawns the email worker, the reminder scheduler and the wave closer; they run until
/// `stop` is requested.
pub fn spawn_background_jobs(
    pool: &DbPool,
    keys: &SurveyKeys,
    mailer: &Mailer,
    stop: &Stop,
) -> BackgroundJobs {
    let others = vec![
        tokio::spawn(crate::jobs::reminders::run_until_stopped(
            pool.clone(),
            keys.clone(),
        )),
        tokio::spawn(crate::jobs::wave_closer::run_until_stopped(
            pool.clone(),
            keys.clone(),
        )),
    ];
    BackgroundJobs {
        stop: stop.clone(),
        mailer: tokio::spawn(mailer.clone().run_until_stopped(pool.clone(), stop.clone())),
        others,
    }
}
