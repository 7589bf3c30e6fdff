DROP INDEX responses_wave_location_idx;
ALTER TABLE responses DROP COLUMN location;
ALTER TABLE invitations DROP COLUMN location;
