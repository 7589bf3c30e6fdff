-- Change champions: nominations by practitioners, the assignment per hotspot team
-- (with manual overrides kept across re-runs), and what each champion was last told.

CREATE TABLE champion_nominations (
    wave_id BIGINT NOT NULL REFERENCES waves (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    nominated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (wave_id, person_id)
);

-- One row per hotspot team of a wave. person_id NULL: nobody (uncovered, or left
-- without a champion on purpose when overridden).
CREATE TABLE champion_assignments (
    wave_id BIGINT NOT NULL REFERENCES waves (id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    person_id BIGINT REFERENCES people (id),
    distance INT,
    overridden BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (wave_id, team_id)
);

-- The team list each champion was last emailed, so re-confirming sends only changes.
CREATE TABLE champion_notices (
    wave_id BIGINT NOT NULL REFERENCES waves (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    team_ids BIGINT[] NOT NULL,
    notified_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (wave_id, person_id)
);

ALTER TABLE waves ADD COLUMN champions_confirmed_at TIMESTAMPTZ;
