#!/usr/bin/env bash
# A Spark standalone cluster on this machine, to try the spark-submit path without a Spark distribution:
#   jobs/local-cluster.sh start|stop|status
# Starts Spark's own master (org.apache.spark.deploy.master.Master) and two workers (...deploy.worker.Worker)
# from the jars Maven downloaded for the build, listening on 127.0.0.1 only. The jars are linked into
# <dir>/spark-home/jars, which serves as SPARK_HOME: the workers build their executors' classpath from it and
# jobs/spark-submit.sh runs org.apache.spark.deploy.SparkSubmit from it. Its conf/spark-defaults.conf turns the
# event log on (<dir>/events, readable by the history server: see the README).
# Environment:
#   TV_CLUSTER_DIR      state, logs and event log (default: target/local-cluster of this checkout)
#   TV_CLUSTER_PORT     master port (default 7077); the master's web UI is on 8080, the workers' on 8081, 8082
#   TV_WORKER_MEMORY    memory each worker offers to executors and drivers (default 3g)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
dir=${TV_CLUSTER_DIR:-$top/target/local-cluster}
port=${TV_CLUSTER_PORT:-7077}
master_url="spark://127.0.0.1:$port"
workers=2

pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Waits until a log file says the daemon is up, or fails with the log's tail.
wait_for() {
  local log=$1 pattern=$2 pidfile=$3
  for _ in $(seq 1 120); do
    grep -q "$pattern" "$log" 2>/dev/null && return 0
    pid_alive "$pidfile" || { echo "error: $(basename "$pidfile" .pid) stopped; its log $log ends:" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 0.5
  done
  echo "error: $(basename "$pidfile" .pid) not up after 60 s; see $log" >&2
  exit 1
}

# SPARK_HOME made of links to Spark's jars from the Maven classpath (not our code, not the libraries the
# application jar carries: they come with the submitted jar as on any cluster).
make_spark_home() {
  source "$here/ensure-built.sh"
  rm -rf "$dir/spark-home"
  mkdir -p "$dir/spark-home/jars" "$dir/spark-home/conf" "$dir/events" "$dir/logs" "$dir/work"
  tr ':' '\n' < "$cp_file" | grep -v -e '/io/delta/' -e '/info/picocli/' -e '/com/typesafe/config/' \
    | while read -r j; do ln -s "$j" "$dir/spark-home/jars/"; done
  cp "$top/conf/log4j2.properties" "$dir/spark-home/conf/log4j2.properties"
  # The master and workers log at INFO: registrations, executors launched and lost.
  sed 's/^rootLogger.level = warn/rootLogger.level = info/' "$top/conf/log4j2.properties" > "$dir/daemon-log4j2.properties"
  cat > "$dir/spark-home/conf/spark-defaults.conf" <<CONF
# Written by jobs/local-cluster.sh: read by SparkSubmit (SPARK_HOME/conf) for every job submitted here.
spark.master                     $master_url
spark.driver.host                127.0.0.1
spark.eventLog.enabled           true
spark.eventLog.dir               file:$dir/events
spark.history.fs.logDirectory    file:$dir/events
# One executor of 1 core on each worker; a driver in cluster mode takes a worker's second core.
spark.executor.cores             1
spark.cores.max                  $workers
spark.executor.memory            2g
# The shuffle width of local mode (conf: spark.local-shuffle-partitions), so both runs split work alike.
spark.sql.shuffle.partitions     8
spark.databricks.delta.snapshotPartitions 2
spark.sql.sources.parallelPartitionDiscovery.parallelism 8
CONF
}

daemon() { # name class args...
  local name=$1 class=$2
  shift 2
  source "$here/java-opens.sh"
  # shellcheck disable=SC2086
  # SPARK_SCALA_VERSION: the workers build executor command lines with Spark's launcher, which asks for it
  # when SPARK_HOME is not a distribution.
  SPARK_HOME="$dir/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 nohup java -Xmx512m $SPARK_JAVA_OPENS \
    -Dlog4j2.configurationFile="$dir/daemon-log4j2.properties" \
    -cp "$dir/spark-home/conf:$dir/spark-home/jars/*" "$class" "$@" > "$dir/logs/$name.log" 2>&1 &
  echo $! > "$dir/$name.pid"
}

start() {
  if pid_alive "$dir/master.pid"; then
    echo "already running: $master_url" >&2
    status
    return 0
  fi
  local t0=$SECONDS
  make_spark_home
  daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port 8080
  wait_for "$dir/logs/master.log" "I have been elected leader" "$dir/master.pid"
  for i in $(seq 1 $workers); do
    daemon "worker-$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --webui-port $((8080 + i)) \
      --cores 2 --memory "${TV_WORKER_MEMORY:-3g}" --work-dir "$dir/work" "$master_url"
  done
  for i in $(seq 1 $workers); do
    wait_for "$dir/logs/worker-$i.log" "Successfully registered with master" "$dir/worker-$i.pid"
  done
  echo "started in $((SECONDS - t0)) s"
  status
}

stop() {
  for name in worker-1 worker-2 master; do
    if pid_alive "$dir/$name.pid"; then
      kill "$(cat "$dir/$name.pid")"
      for _ in $(seq 1 40); do pid_alive "$dir/$name.pid" || break; sleep 0.25; done
      pid_alive "$dir/$name.pid" && kill -9 "$(cat "$dir/$name.pid")"
      echo "stopped $name"
    fi
    rm -f "$dir/$name.pid"
  done
  # Executors and drivers started by a worker stop with it; any left (worker killed with -9) are theirs.
  pkill -f -- "-cp $dir/spark-home/conf:$dir/spark-home/jars" 2>/dev/null || true
}

status() {
  local up=0
  for name in master worker-1 worker-2; do
    if pid_alive "$dir/$name.pid"; then
      echo "$name: running, pid $(cat "$dir/$name.pid"), log $dir/logs/$name.log"
      up=$((up + 1))
    else
      echo "$name: not running"
    fi
  done
  echo "master URL:  $master_url (web UI http://127.0.0.1:8080)"
  echo "event log:   $dir/events"
  echo "to submit:   export SPARK_HOME=$dir/spark-home TV_MASTER=$master_url; jobs/spark-submit.sh <subcommand> ..."
  [[ $up -eq 3 ]]
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
