-- Staff accounts, their sessions and API keys, login throttling, and the organisation.

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role TEXT NOT NULL CHECK (role IN ('admin', 'practitioner', 'sponsor')),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Only a SHA-256 of the cookie value is stored: a dump does not let anyone sign in.
CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE api_keys (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    key_hash BYTEA NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX api_keys_user_id_idx ON api_keys (user_id);

-- One row per failed sign-in, keyed by a hash of "account:<email>" or "ip:<address>".
CREATE TABLE login_failures (
    id BIGSERIAL PRIMARY KEY,
    key_hash BYTEA NOT NULL,
    failed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key_idx ON login_failures (key_hash, failed_at);

CREATE TABLE teams (
    id BIGSERIAL PRIMARY KEY,
    parent_id BIGINT REFERENCES teams (id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    path TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX teams_parent_id_idx ON teams (parent_id);

CREATE TABLE people (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    team_id BIGINT NOT NULL REFERENCES teams (id),
    manager_email TEXT,
    location TEXT,
    external_id TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX people_team_id_idx ON people (team_id);
CREATE INDEX people_name_idx ON people (lower(name));
