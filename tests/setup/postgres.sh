#!/usr/bin/env bash
# The team tests start a real PostgreSQL server (initdb/pg_ctl into a temporary folder): install its binaries when
# the machine lacks them (`make test` runs this). Debian's postgresql puts them under /usr/lib/postgresql/<major>/bin,
# off PATH; tests/team_kit.py looks there.
set -euo pipefail
if command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "note: no PostgreSQL server binaries and no apt-get; install PostgreSQL, or the PostgreSQL team tests are skipped" >&2
    exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing PostgreSQL's server binaries (apt-get install postgresql) for the team tests" >&2
$sudo apt-get update -qq
# No standard input in CI: debconf (tzdata, locales) must not ask.
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
