DROP TABLE people;
DROP TABLE teams;
DROP TABLE login_failures;
DROP TABLE api_keys;
DROP TABLE sessions;
DROP TABLE users;
