#!/bin/sh
# Makes a shop's ledger on a PostgreSQL server: a login role for the tills, a database it owns
# that nobody else may use, and pg_hba.conf rules, first in the file, that let the tills'
# network in with scram-sha-256 over TLS only (unless --no-tls). Running it again changes
# nothing that is right.
#
#   sudo -u postgres sh postgresql-setup.sh --network 10.0.0.0/24 [--role shroff] [--database shop] < ledger.password
#
# The role's password is read from standard input (one line of printable ASCII, at least 12
# characters), so it is on no command line and in no shell history. Only its SCRAM verifier,
# worked out here, reaches the server. Give each till the same password in its password_file
# (chmod 600).
#
# It connects as a superuser with libpq's usual settings (PGHOST, PGPORT, PGUSER, PGPASSWORD;
# by default the local socket as the postgres user) and edits the server's own pg_hba.conf
# (`SHOW hba_file`), so run it on the database server as the user that owns that file. Needs
# psql 15 or later and python3.
# --no-tls writes a `host` rule instead: only for loopback (127.0.0.0/8, ::1), as the tills'
# `[ledger] tls = "disable"` is allowed only there.
set -eu

role=shroff
database=shop
network=
tls=yes
while [ $# -gt 0 ]; do
    case $1 in
    --role) role=$2; shift 2 ;;
    --database) database=$2; shift 2 ;;
    --network) network=$2; shift 2 ;;
    --no-tls) tls=no; shift ;;
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
if [ $tls = no ]; then
    case $network in
    127.*/* | ::1/128) ;;
    *) echo "--no-tls is only for loopback (127.0.0.1/32): the tills' network $network needs TLS" >&2; exit 2 ;;
    esac
fi
for name in "$role" "$database"; do
    case $name in
    *[!a-z0-9_]* | [0-9]* | "") echo "\"$name\" is not a plain name: use lower-case letters, digits and _, not starting with a digit" >&2; exit 2 ;;
    all | sameuser | samerole | replication | public | postgres | template0 | template1 | pg_*)
        echo "\"$name\" is a name PostgreSQL keeps for itself: choose another" >&2; exit 2 ;;
    esac
done

IFS= read -r password || true
password=$(printf '%s' "$password" | tr -d '\r')
if [ ${#password} -lt 12 ]; then
    echo "the role's password comes on standard input, one line of at least 12 characters (e.g. < ledger.password)" >&2
    exit 2
fi
case $password in
*[!!-~]*) echo "the role's password must be printable ASCII without spaces (the tills read it from a file as it is)" >&2; exit 2 ;;
esac

# The SCRAM-SHA-256 verifier PostgreSQL itself would store (RFC 5802, 4096 rounds): the server
# never sees the password, and the verifier travels in the environment, not on a command line.
SHROFF_SETUP_PASSWORD=$password
export SHROFF_SETUP_PASSWORD
SHROFF_SETUP_VERIFIER=$(python3 -c '
import base64, hashlib, hmac, os
password = os.environ["SHROFF_SETUP_PASSWORD"].encode()
salt = os.urandom(16)
salted = hashlib.pbkdf2_hmac("sha256", password, salt, 4096)
stored = hashlib.sha256(hmac.new(salted, b"Client Key", "sha256").digest()).digest()
server = hmac.new(salted, b"Server Key", "sha256").digest()
b64 = lambda b: base64.b64encode(b).decode()
print(f"SCRAM-SHA-256$4096:{b64(salt)}${b64(stored)}:{b64(server)}")
')
unset SHROFF_SETUP_PASSWORD
export SHROFF_SETUP_VERIFIER

psql_() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }

if [ $tls = yes ] && [ "$(psql_ -A -t -c 'SHOW ssl')" != on ]; then
    echo "this server does not take TLS connections (ssl = off): give it a certificate and set ssl = on in postgresql.conf first, or use --no-tls for a till on this machine alone" >&2
    exit 1
fi
refusal=$(psql_ -A -t -v role="$role" -v database="$database" <<'SQL'
SELECT 'role ' || :'role' || ' is a superuser: give the tills a role of their own' FROM pg_roles WHERE rolname = :'role' AND rolsuper
UNION ALL
SELECT 'database ' || :'database' || ' belongs to ' || pg_get_userbyid(datdba) || ', not ' || :'role' || ': choose another --database'
    FROM pg_database WHERE datname = :'database' AND pg_get_userbyid(datdba) <> :'role';
SQL
)
if [ -n "$refusal" ]; then
    echo "$refusal" >&2
    exit 1
fi

psql_ -v role="$role" -v database="$database" <<'SQL'
\getenv verifier SHROFF_SETUP_VERIFIER
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')
\gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'role', :'verifier')
\gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'database', :'role', 'UTF8')
    WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'database')
\gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'database')
\gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', :'database', :'role')
\gexec
SQL

# PostgreSQL takes the first line that matches, so these go before every other rule.
hba=$(psql_ -A -t -c 'SHOW hba_file')
if [ $tls = yes ]; then
    rules="hostssl \"$database\" \"$role\" $network scram-sha-256
hostnossl \"$database\" \"$role\" $network reject"
else
    rules="host \"$database\" \"$role\" $network scram-sha-256"
fi
present=yes
old_ifs=$IFS
IFS='
'
for rule in $rules; do grep -qxF "$rule" "$hba" || present=no; done
IFS=$old_ifs
if [ $present = yes ]; then
    echo "pg_hba.conf already lets $role in from $network"
else
    edited=$( { printf '# shroff: the tills of %s, before every other rule\n%s\n' "$database" "$rules"; cat "$hba"; } )
    # Written into the same file: its owner and mode stay as they are.
    printf '%s\n' "$edited" >"$hba"
    echo "added at the top of $hba:"
    printf '  %s\n' "$rules"
fi
psql_ -A -t -c 'SELECT pg_reload_conf()' >/dev/null
# The server reads pg_hba.conf again on reload; a line it cannot read is reported here.
problems=$(psql_ -A -t -c "SELECT line_number || ': ' || error FROM pg_hba_file_rules WHERE error IS NOT NULL")
if [ -n "$problems" ]; then
    echo "pg_hba.conf has lines the server cannot read: $problems" >&2
    exit 1
fi
echo "ready: postgresql://$role@THIS-SERVER:$(psql_ -A -t -c 'SHOW port')/$database (tls = \"$([ $tls = yes ] && echo verify-full || echo disable)\")"
