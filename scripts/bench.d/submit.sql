-- pgbench: the SQL of one survey save (services::survey_response::save_response) run
-- directly, as the ceiling for the HTTP figure. bench_invites(n, token_hash, team_id)
-- is filled by scripts/bench from the seeded wave.
\set i random(1, :invites)
BEGIN;
SELECT id, wave_id, person_id, team_id FROM invitations WHERE token_hash = (SELECT token_hash FROM bench_invites WHERE n = :i);
SELECT status = 'open' AND closes_at > now() AS open FROM waves WHERE id = :wave FOR KEY SHARE;
INSERT INTO responses (id, wave_id, team_id, response_key, answered_on, answers, comments, score_awareness, score_desire, score_knowledge, score_ability, score_reinforcement, barrier)
  VALUES (gen_random_uuid(), :wave, (SELECT team_id FROM bench_invites WHERE n = :i), sha256(('pgbench:' || :i || ':' || random())::bytea), current_date, '{"1": 4}', '{}', 4, 4, 4, 4, 4, 'ready')
  ON CONFLICT (response_key) DO NOTHING RETURNING 1 AS n;
UPDATE wave_team_stats SET responded = responded + 1, n_awareness = n_awareness + 1, n_desire = n_desire + 1, n_knowledge = n_knowledge + 1, n_ability = n_ability + 1, n_reinforcement = n_reinforcement + 1, sum_awareness = sum_awareness + 4, sum_desire = sum_desire + 4, sum_knowledge = sum_knowledge + 4, sum_ability = sum_ability + 4, sum_reinforcement = sum_reinforcement + 4, barrier_ready = barrier_ready + 1
  WHERE wave_id = :wave AND team_id = (SELECT team_id FROM bench_invites WHERE n = :i);
INSERT INTO answered_seals (wave_id, seal, answered_on) VALUES (:wave, sha256(('seal:' || :i || ':' || random())::bytea), current_date) ON CONFLICT DO NOTHING;
DELETE FROM champion_optins WHERE wave_id = :wave AND person_id = 0;
COMMIT;
