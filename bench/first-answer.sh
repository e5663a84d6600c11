#!/usr/bin/env bash
# Time to first answer: from `git clone` to the first answered mutation of `npm start` in the
# clone (its pre-script runs `npm ci`). Usage: bench/first-answer.sh [repository] [branch]
# (default: this checkout and its branch). Prints the seconds; leaves nothing running.
set -euo pipefail
repo=${1:-$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)}
branch=${2:-$(git -C "$(dirname "$0")/.." branch --show-current)}
dir=$(mktemp -d)
port=$(node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
ask="fetch('http://127.0.0.1:$port/graphql', { method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: 'mutation { proposeDestination(input: {name: \"Ghent\", latitude: 51.05, longitude: 3.72}) { __typename } }' }) })
  .then(async (response) => response.ok && console.log(await response.text()), () => {})"

started=$(date +%s.%N)
git clone -q --branch "$branch" "$repo" "$dir/visitplannr"
cd "$dir/visitplannr"
set -m # its own process group, so one signal stops npm and everything it started
PORT=$port npm start >"$dir/start.log" 2>&1 &
group=$!
set +m
answer=''
until [[ "$answer" == *DestinationProposed* ]]; do
  kill -0 "$group" 2>/dev/null || { cat "$dir/start.log"; exit 1; }
  sleep 0.2
  answer=$(node -e "$ask")
done
answered=$(date +%s.%N)
kill -INT -- "-$group"
wait "$group" || true
cd / && rm -rf "$dir"
echo "first answered mutation $(awk "BEGIN { printf \"%.1f\", $answered - $started }") s after git clone ($branch, node $(node --version))"
