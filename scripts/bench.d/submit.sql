-- pgbench: the SQL of one first survey save (services::survey_target::find_target, then
-- services::survey_first_save::FIRST_SAVE) run directly, as the ceiling for the HTTP
-- figure. bench_invites(n, token_hash) is filled by scripts/bench from the seeded wave;
-- :answers is the JSON the app stores for the benchmark's body. Keep in step with the app.
\set i random(1, :invites)
SELECT i.id, i.wave_id, i.person_id, i.team_id, i.location, w.status = 'open' AND w.closes_at > now() AS open, w.template_id, w.closes_at, w.name AS wave_name, ini.name AS initiative FROM invitations i JOIN waves w ON w.id = i.wave_id JOIN initiatives ini ON ini.id = w.initiative_id WHERE i.token_hash = (SELECT token_hash FROM bench_invites WHERE n = :i) \gset
WITH open_wave AS (
  SELECT id FROM waves WHERE id = :wave_id AND status = 'open' AND closes_at > now() FOR KEY SHARE
), ins AS (
  INSERT INTO responses (id, wave_id, team_id, response_key, answered_on, answers, comments, score_awareness,
    score_desire, score_knowledge, score_ability, score_reinforcement, barrier, location)
  SELECT gen_random_uuid(), id, :team_id, sha256(('pgbench:' || :i || ':' || random())::bytea), current_date, :answers::jsonb, '{}', 4, 4, 4, 4, 4, 'ready', NULL FROM open_wave
  ON CONFLICT (response_key) DO NOTHING RETURNING 1
), stats AS (
  UPDATE wave_team_stats SET responded = responded + 1,
    n_awareness = n_awareness + 1, n_desire = n_desire + 1, n_knowledge = n_knowledge + 1, n_ability = n_ability + 1,
    n_reinforcement = n_reinforcement + 1, sum_awareness = sum_awareness + 4, sum_desire = sum_desire + 4,
    sum_knowledge = sum_knowledge + 4, sum_ability = sum_ability + 4, sum_reinforcement = sum_reinforcement + 4,
    barrier_awareness = barrier_awareness + 0, barrier_desire = barrier_desire + 0, barrier_knowledge = barrier_knowledge + 0,
    barrier_ability = barrier_ability + 0, barrier_reinforcement = barrier_reinforcement + 0, barrier_ready = barrier_ready + 1
  WHERE wave_id = :wave_id AND team_id = :team_id AND EXISTS (SELECT 1 FROM ins)
), seal AS (
  INSERT INTO answered_seals (wave_id, seal, answered_on) SELECT :wave_id, sha256(('seal:' || :i || ':' || random())::bytea), current_date WHERE EXISTS (SELECT 1 FROM ins)
  ON CONFLICT DO NOTHING
), champion AS (
  INSERT INTO champion_optins (wave_id, person_id, consent_version, score_awareness, score_desire,
    score_knowledge, score_ability, score_reinforcement, opted_in_on)
  SELECT :wave_id, :person_id, st.consent_version, 4, 4, 4, 4, 4, current_date
  FROM waves w JOIN survey_templates st ON st.id = w.template_id
  WHERE w.id = :wave_id AND false AND EXISTS (SELECT 1 FROM ins)
  ON CONFLICT (wave_id, person_id) DO UPDATE SET score_awareness = excluded.score_awareness
)
SELECT EXISTS (SELECT 1 FROM open_wave) AS open, EXISTS (SELECT 1 FROM ins) AS inserted;
