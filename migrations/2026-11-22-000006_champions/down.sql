ALTER TABLE waves DROP COLUMN champions_confirmed_at;
DROP TABLE champion_notices;
DROP TABLE champion_assignments;
DROP TABLE champion_nominations;
