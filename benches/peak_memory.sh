#!/bin/sh
# Peak memory (maximum resident set size, from /usr/bin/time -v) of the release binary:
# `list --acr` of 2,000 tokens (text, --json, --jsonl) and of 50,000 tokens from the
# simulator's bulk accounts, and the console with 2,000 results marked (driven in tmux at
# 80x24). Figures and budgets: BENCHMARKS.md, "Peak memory".
#
#   cargo build --release && sh benches/peak_memory.sh
#
# BIN=path/to/tokendesk measures another build (an older one, to compare).
set -eu
BIN=${BIN:-target/release/tokendesk}
PORT=${PORT:-18123}
WORK=$(mktemp -d)
cleanup() { kill "$SIM" 2>/dev/null; tmux kill-session -t tokendesk-peak 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

"$BIN" simulate --listen "127.0.0.1:$PORT" \
    --bulk-account ACR0000009000:2000 --bulk-account ACR0000009001:50000 >"$WORK/sim.out" &
SIM=$!
until grep -q "simulator at" "$WORK/sim.out" 2>/dev/null; do sleep 0.2; done

export TOKENDESK_PASSWORD=demo XDG_STATE_HOME="$WORK" XDG_CONFIG_HOME="$WORK"
CONNECT="--url http://127.0.0.1:$PORT --username clerk --organisation DEMO"

peak() { # label, then the command's arguments
    label=$1
    shift
    /usr/bin/time -v -o "$WORK/time" "$BIN" $CONNECT "$@" >"$WORK/out" 2>/dev/null || true
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time")
    printf '%-34s %6d KB peak  %9d bytes out\n' "$label" "$kb" "$(wc -c <"$WORK/out")"
}

if [ -z "${CONSOLE_ONLY:-}" ]; then
    peak "show" show 88000000001
    peak "list 2,000 (text)" list --acr ACR0000009000
    peak "list 2,000 --json" list --acr ACR0000009000 --json
    peak "list 2,000 --jsonl" list --acr ACR0000009000 --jsonl
    peak "list 50,000 (text)" list --acr ACR0000009001
    peak "list 50,000 --json" list --acr ACR0000009001 --json
fi

# The console: the account's 2,000 tokens marked page by page (`*` then PgDn), then quit.
# tmux runs the command in its server's environment: the variables go on its command line.
tmux new-session -d -s tokendesk-peak -x 80 -y 24 \
    "env TOKENDESK_PASSWORD=demo XDG_STATE_HOME=$WORK XDG_CONFIG_HOME=$WORK \
     /usr/bin/time -v -o $WORK/console-time $BIN $CONNECT; sleep 30"
screen() { tmux capture-pane -p -t tokendesk-peak; }
wait_for() { # text, seconds
    i=0
    until screen | grep -q "$1"; do
        i=$((i + 1))
        [ "$i" -gt $(($2 * 10)) ] && { echo "console: no '$1' on screen" >&2; screen >&2; exit 1; }
        sleep 0.1
    done
}
wait_for "Find an access token" 20
tmux send-keys -t tokendesk-peak "acr:ACR0000009000" Enter
wait_for "tokens 1-" 20
marked=0
while :; do
    tmux send-keys -t tokendesk-peak "*"
    sleep 0.1
    marked=$(screen | sed -n 's/.* \([0-9][0-9]*\) marked\..*/\1/p' | tail -1)
    marked=${marked:-0}
    [ "$marked" -ge 2000 ] && break
    tmux send-keys -t tokendesk-peak PgDn
    sleep 0.15
done
tmux send-keys -t tokendesk-peak q
sleep 1
kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/console-time")
printf '%-34s %6d KB peak\n' "console, $marked results marked" "$kb"
