#!/bin/sh
# Makes a shop's ledger on a PostgreSQL server: a login role for the tills, a database it owns
# that nobody else may use, and a pg_hba.conf rule letting the tills' network in with
# scram-sha-256 (over TLS unless --no-tls). Running it again changes nothing that is right.
#
#   sudo -u postgres sh postgresql-setup.sh --network 10.0.0.0/24 [--role shroff] [--database shop]
#
# The role's password is read from standard input (one line), so it is in no command line and
# no shell history: `sh postgresql-setup.sh --network 10.0.0.0/24 < /root/ledger.password`.
# Give each till the same password in its password_file (chmod 600). The server hashes it
# (SCRAM); only the hash is stored.
#
# It connects as a superuser with libpq's usual settings (PGHOST, PGPORT, PGUSER, PGPASSWORD;
# by default the local socket as the postgres user) and edits the server's own pg_hba.conf
# (`SHOW hba_file`), so run it on the database server as the user that owns that file.
# --no-tls writes a `host` rule instead of `hostssl`: only for a network that never leaves the
# machine (127.0.0.1/32), as the tills' `[ledger] tls = "disable"` is allowed only on loopback.
set -eu

role=shroff
database=shop
network=
rule=hostssl
while [ $# -gt 0 ]; do
    case $1 in
    --role) role=$2; shift 2 ;;
    --database) database=$2; shift 2 ;;
    --network) network=$2; shift 2 ;;
    --no-tls) rule=host; shift ;;
    *) echo "unknown option $1: use --network CIDR [--role NAME] [--database NAME] [--no-tls]" >&2; exit 2 ;;
    esac
done
if [ -z "$network" ]; then
    echo "say which network the tills connect from: --network 10.0.0.0/24 (or 127.0.0.1/32 for one machine)" >&2
    exit 2
fi
case $network in
*/*) ;;
*) echo "--network $network is not a CIDR block: write e.g. --network 10.0.0.0/24" >&2; exit 2 ;;
esac
for name in "$role" "$database"; do
    case $name in
    *[!a-z0-9_]* | [0-9]* | "") echo "\"$name\" is not a plain name: use lower-case letters, digits and _, not starting with a digit" >&2; exit 2 ;;
    esac
done

IFS= read -r password || true
if [ ${#password} -lt 12 ]; then
    echo "the role's password comes on standard input, one line of at least 12 characters (e.g. < ledger.password)" >&2
    exit 2
fi

psql_() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }

# The password goes in as a psql variable, quoted by psql (:'password'), never through the shell.
psql_ -v role="$role" -v database="$database" -v password="$password" <<'SQL'
-- The statements below carry the password: keep them out of the server's log.
SET log_statement = 'none';
SET log_min_duration_statement = -1;
SET password_encryption = 'scram-sha-256';
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')
\gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'role', :'password')
\gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'database', :'role', 'UTF8')
    WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'database')
\gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'database')
\gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', :'database', :'role')
\gexec
SQL

hba=$(psql_ -A -t -c 'SHOW hba_file')
line="$rule $database $role $network scram-sha-256"
if grep -qxF "$line" "$hba"; then
    echo "pg_hba.conf already lets $role in from $network"
else
    printf '# shroff: the tills of %s\n%s\n' "$database" "$line" >>"$hba"
    echo "added to $hba: $line"
fi
psql_ -A -t -c 'SELECT pg_reload_conf()' >/dev/null
# The server reads pg_hba.conf again on reload; a line it cannot read is reported here.
problems=$(psql_ -A -t -c "SELECT line_number || ': ' || error FROM pg_hba_file_rules WHERE error IS NOT NULL")
if [ -n "$problems" ]; then
    echo "pg_hba.conf has lines the server cannot read: $problems" >&2
    exit 1
fi
echo "ready: postgresql://$role@THIS-SERVER:$(psql_ -A -t -c 'SHOW port')/$database (tls = \"$( [ $rule = hostssl ] && echo verify-full || echo disable )\")"
