#!/bin/sh
# instance.sh start|stop|restart|status DIR
#
# Runs one instance of the example app, the local stand-in for a unit like
# example-1.service. DIR holds:
#   port            the port it listens on (127.0.0.1)
#   current ->      releases/VERSION, the release to run
#   pid, app.log    written here
#   down            if present, `start` refuses (set while everything stops)
#
# `start` returns once the instance answers; `stop` once it has exited.
set -eu
cmd=${1:?usage: instance.sh start|stop|restart|status DIR}
dir=${2:?usage: instance.sh start|stop|restart|status DIR}
name=$(basename "$dir")
port=$(cat "$dir/port")

# Is this pid a live process (a zombie nobody reaped yet does not count)?
alive() {
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  case $state in Z*) return 1 ;; esac
}

# Does this instance answer on its port, with the version it should run?
answers() {
  curl -fsS --max-time 2 "http://127.0.0.1:$port/" 2>/dev/null |
    grep -qF "version $(cat "$dir/current/VERSION") ($name)"
}

running_pid() {
  [ -f "$dir/pid" ] || return 1
  pid=$(cat "$dir/pid")
  alive "$pid" && echo "$pid"
}

start() {
  if [ -e "$dir/down" ]; then
    echo "$name: marked down, not starting" >&2
    return 1
  fi
  if pid=$(running_pid); then
    echo "$name: already running (pid $pid)" >&2
    return 0
  fi
  nohup node "$dir/current/server.mjs" --port "$port" --name "$name" >>"$dir/app.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$dir/pid"
  # up to 30 s: a loaded machine can take a while to start node
  i=0
  while [ $i -lt 300 ]; do
    if answers; then return 0; fi
    if ! alive "$pid"; then
      echo "$name: exited at start; see $dir/app.log" >&2
      return 1
    fi
    sleep 0.1
    i=$((i + 1))
  done
  echo "$name: not answering on port $port after 30 s" >&2
  return 1
}

stop() {
  pid=$(running_pid) || { rm -f "$dir/pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  # the port is free once it has exited: check often, the instance is down
  i=0
  while alive "$pid"; do
    if [ $i -ge 100 ]; then kill -KILL "$pid" 2>/dev/null || true; fi
    sleep 0.05
    i=$((i + 1))
  done
  rm -f "$dir/pid"
}

case $cmd in
  start) start ;;
  stop) stop ;;
  restart) stop && start ;;
  status)
    if pid=$(running_pid); then
      echo "$name: running (pid $pid) version $(cat "$dir/current/VERSION") on port $port"
    else
      echo "$name: stopped"
      exit 3
    fi
    ;;
  *) echo "usage: instance.sh start|stop|restart|status DIR" >&2; exit 2 ;;
esac
