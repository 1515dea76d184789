#!/bin/sh
# Runs once, when the postgres container initializes an empty data volume
# (/docker-entrypoint-initdb.d). It creates the roles and the database as in
# docs/operations.md, "Production setup", step 1; billingd migrate (the
# migrate service) does the rest. Passwords come from the compose secrets.
set -e

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v owner_password="$(cat /run/secrets/db-owner-password)" \
    -v app_password="$(cat /run/secrets/db-app-password)" <<'SQL'
CREATE ROLE ledgerline_owner LOGIN PASSWORD :'owner_password';
CREATE DATABASE ledgerline OWNER ledgerline_owner;
CREATE ROLE billing_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
CREATE ROLE billing_report NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
GRANT CONNECT ON DATABASE ledgerline TO billing_app;
SQL
