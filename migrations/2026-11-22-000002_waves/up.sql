-- Initiatives, survey templates as data, waves, invitations, anonymous responses and
-- the running per-team aggregates. See docs/privacy.md for why responses and
-- invitations share no value and no order.

CREATE TABLE initiatives (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    template_id BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE initiative_members (
    initiative_id BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    member_role TEXT NOT NULL CHECK (member_role IN ('sponsor', 'practitioner')),
    PRIMARY KEY (initiative_id, user_id)
);
CREATE INDEX initiative_members_user_idx ON initiative_members (user_id);

-- A template is a list of statements. The default (initiative_id NULL, frozen) is the
-- seed below; an initiative edits its own copy; a launched wave points at a frozen copy.
CREATE TABLE survey_templates (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'en',
    consent_version INT NOT NULL DEFAULT 1,
    consent_text TEXT NOT NULL,
    frozen BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
ALTER TABLE initiatives ADD FOREIGN KEY (template_id) REFERENCES survey_templates (id);

CREATE TABLE survey_items (
    id BIGSERIAL PRIMARY KEY,
    template_id BIGINT NOT NULL REFERENCES survey_templates (id) ON DELETE CASCADE,
    element TEXT NOT NULL CHECK (element IN ('awareness', 'desire', 'knowledge', 'ability', 'reinforcement')),
    position INT NOT NULL,
    UNIQUE (template_id, element, position)
);

CREATE TABLE survey_item_texts (
    item_id BIGINT NOT NULL REFERENCES survey_items (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
    PRIMARY KEY (item_id, language)
);

CREATE TABLE waves (
    id BIGSERIAL PRIMARY KEY,
    initiative_id BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    closes_at TIMESTAMPTZ NOT NULL,
    min_group_size INT NOT NULL DEFAULT 5 CHECK (min_group_size >= 3),
    reminder_days INT[] NOT NULL DEFAULT '{}',
    all_teams BOOLEAN NOT NULL DEFAULT TRUE,
    sponsor_message TEXT NOT NULL DEFAULT '',
    template_id BIGINT REFERENCES survey_templates (id),
    launched_at TIMESTAMPTZ,
    closed_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX waves_initiative_idx ON waves (initiative_id);
CREATE INDEX waves_open_closes_at_idx ON waves (closes_at) WHERE status = 'open';

CREATE TABLE wave_teams (
    wave_id BIGINT NOT NULL REFERENCES waves (id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    PRIMARY KEY (wave_id, team_id)
);

-- One per person per wave. The token is derived from the id with the server key and
-- only its SHA-256 is kept. `answered`/`answered_on` are written once, at close, in a
-- shuffled batch: a submission never writes or locks this row.
CREATE TABLE invitations (
    id UUID PRIMARY KEY,
    wave_id BIGINT NOT NULL REFERENCES waves (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    team_id BIGINT NOT NULL REFERENCES teams (id),
    token_hash BYTEA NOT NULL UNIQUE,
    answered BOOLEAN NOT NULL DEFAULT FALSE,
    answered_on DATE,
    UNIQUE (wave_id, person_id)
);

-- Who has answered, for reminders: HMAC(server key, invitation id). Deleted at close.
CREATE TABLE answered_seals (
    wave_id BIGINT NOT NULL REFERENCES waves (id) ON DELETE CASCADE,
    seal BYTEA NOT NULL,
    answered_on DATE NOT NULL,
    PRIMARY KEY (wave_id, seal)
);

-- Anonymous: random id, keyed by HMAC(server key, token), day precision only.
CREATE TABLE responses (
    id UUID PRIMARY KEY,
    wave_id BIGINT NOT NULL REFERENCES waves (id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    response_key BYTEA NOT NULL UNIQUE,
    answered_on DATE NOT NULL,
    answers JSONB NOT NULL,
    comments JSONB NOT NULL DEFAULT '{}',
    score_awareness DOUBLE PRECISION,
    score_desire DOUBLE PRECISION,
    score_knowledge DOUBLE PRECISION,
    score_ability DOUBLE PRECISION,
    score_reinforcement DOUBLE PRECISION,
    barrier TEXT NOT NULL CHECK (barrier IN ('awareness', 'desire', 'knowledge', 'ability', 'reinforcement', 'ready'))
);
CREATE INDEX responses_wave_team_idx ON responses (wave_id, team_id);

-- Running figures per (wave, team of direct members), kept in the submission's
-- transaction so results never read every response.
CREATE TABLE wave_team_stats (
    wave_id BIGINT NOT NULL REFERENCES waves (id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    invited INT NOT NULL DEFAULT 0,
    responded INT NOT NULL DEFAULT 0,
    n_awareness INT NOT NULL DEFAULT 0,
    n_desire INT NOT NULL DEFAULT 0,
    n_knowledge INT NOT NULL DEFAULT 0,
    n_ability INT NOT NULL DEFAULT 0,
    n_reinforcement INT NOT NULL DEFAULT 0,
    sum_awareness DOUBLE PRECISION NOT NULL DEFAULT 0,
    sum_desire DOUBLE PRECISION NOT NULL DEFAULT 0,
    sum_knowledge DOUBLE PRECISION NOT NULL DEFAULT 0,
    sum_ability DOUBLE PRECISION NOT NULL DEFAULT 0,
    sum_reinforcement DOUBLE PRECISION NOT NULL DEFAULT 0,
    barrier_awareness INT NOT NULL DEFAULT 0,
    barrier_desire INT NOT NULL DEFAULT 0,
    barrier_knowledge INT NOT NULL DEFAULT 0,
    barrier_ability INT NOT NULL DEFAULT 0,
    barrier_reinforcement INT NOT NULL DEFAULT 0,
    barrier_ready INT NOT NULL DEFAULT 0,
    PRIMARY KEY (wave_id, team_id)
);

-- The champion opt-in: the one place a response is linked to a person (rules §6).
CREATE TABLE champion_optins (
    wave_id BIGINT NOT NULL REFERENCES waves (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    consent_version INT NOT NULL,
    score_awareness DOUBLE PRECISION,
    score_desire DOUBLE PRECISION,
    score_knowledge DOUBLE PRECISION,
    score_ability DOUBLE PRECISION,
    score_reinforcement DOUBLE PRECISION,
    opted_in_on DATE NOT NULL,
    PRIMARY KEY (wave_id, person_id)
);

-- The default English ADKAR template: 4 original statements per element.
INSERT INTO survey_templates (id, name, language, consent_version, consent_text, frozen) VALUES
(1, 'Default ADKAR readiness survey', 'en', 1,
 'I''d like to help my colleagues with this change as a change champion. I understand that if I tick this box, my name and my answers in this survey become visible to the change team (practitioners and administrators, not sponsors), so that they can contact me. I can untick it with this link until the survey closes.',
 TRUE);
SELECT setval('survey_templates_id_seq', 1);

WITH statements (element, position, text) AS (VALUES
 ('awareness', 1, 'I understand why this change is being made.'),
 ('awareness', 2, 'I know why the change is happening now rather than later.'),
 ('awareness', 3, 'I understand what could go wrong for us if we did not change.'),
 ('awareness', 4, 'The reasons for the change have been explained to me clearly by people I trust.'),
 ('desire', 1, 'I personally want this change to succeed.'),
 ('desire', 2, 'I can see what is in it for me and my work.'),
 ('desire', 3, 'My concerns about the change have been heard.'),
 ('desire', 4, 'I am willing to put effort into making the change work.'),
 ('knowledge', 1, 'I know what I will need to do differently once the change is in place.'),
 ('knowledge', 2, 'I understand how the new process and tools work.'),
 ('knowledge', 3, 'I know what my role is in the change.'),
 ('knowledge', 4, 'I know where to learn more or get help.'),
 ('ability', 1, 'I can do my daily work the new way.'),
 ('ability', 2, 'I have enough time to practise the new way of working.'),
 ('ability', 3, 'I get coaching or support when I struggle with the change.'),
 ('ability', 4, 'I have the access and equipment I need to work the new way.'),
 ('reinforcement', 1, 'Using the new way of working is recognised here.'),
 ('reinforcement', 2, 'We measure whether the change is actually being adopted.'),
 ('reinforcement', 3, 'My manager follows up to keep the change going.'),
 ('reinforcement', 4, 'Old workarounds are being removed so we do not slip back.')
), items AS (
  INSERT INTO survey_items (template_id, element, position)
  SELECT 1, element, position FROM statements
  RETURNING id, element, position
)
INSERT INTO survey_item_texts (item_id, language, text)
SELECT items.id, 'en', statements.text
FROM items JOIN statements USING (element, position);
