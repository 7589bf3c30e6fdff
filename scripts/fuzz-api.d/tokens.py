"""Writes tokens.txt: survey links of the fuzzing database (20 of open waves, 5 of
closed ones), so schemathesis also reaches real surveys, not only 404s.

Links are not stored (only their hashes), so they are derived as the server does:
base64url(HMAC-SHA256(secret, "survey-token\\0" || invitation id)), see
src/domain/survey_token.rs. If that changes, the fuzzing still runs; it just finds
fewer real surveys."""
import base64
import hashlib
import hmac
import os
import subprocess
import uuid

secret = os.environ["APP_APPLICATION__SECRET"].encode()
rows = subprocess.run(
    ["psql", os.environ["DATABASE_URL"], "-Atc",
     "SELECT i.id, w.status FROM invitations i JOIN waves w ON w.id = i.wave_id ORDER BY w.id, i.id"],
    capture_output=True, text=True, check=True).stdout.split()


def token(invitation_id):
    mac = hmac.new(secret, b"survey-token\0" + uuid.UUID(invitation_id).bytes, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


pairs = [r.split("|") for r in rows]
chosen = [token(i) for i, s in pairs if s == "open"][:20] + [token(i) for i, s in pairs if s == "closed"][:5]
with open("tokens.txt", "w") as out:
    out.write("\n".join(f'"{t}"' for t in chosen) + "\n")
