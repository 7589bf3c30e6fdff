-- The location filter on results: each invitation snapshots the person's location at
-- launch (like their team), and each response carries it, so a filtered view can be
-- computed, under the same minimum group size, for one location.
ALTER TABLE invitations ADD COLUMN location TEXT;
ALTER TABLE responses ADD COLUMN location TEXT;
CREATE INDEX responses_wave_location_idx ON responses (wave_id, location);
