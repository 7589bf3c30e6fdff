-- The organisation's own interventions per element. Empty: the defaults of rules §7
-- (kept in code, scoring::playbook) apply.
CREATE TABLE playbook_items (
    id BIGSERIAL PRIMARY KEY,
    element TEXT NOT NULL CHECK (element IN ('awareness', 'desire', 'knowledge', 'ability', 'reinforcement')),
    position INT NOT NULL,
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 300),
    UNIQUE (element, position)
);
