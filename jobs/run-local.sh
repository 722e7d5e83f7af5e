#!/usr/bin/env bash
# Runs taobao-villages with embedded local Spark on this machine: jobs/run-local.sh <subcommand> [options]
# Builds the application jar with Maven on first use (or when sources changed). Needs only Java 17 and Maven.
#   TV_DRIVER_MEMORY  heap of the local Spark driver (default 4g)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
source "$here/java-opens.sh"
source "$here/ensure-built.sh"
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
# shellcheck disable=SC2086
exec java -Xmx"${TV_DRIVER_MEMORY:-4g}" $SPARK_JAVA_OPENS \
  -Dlog4j2.configurationFile="$top/conf/log4j2.properties" \
  -cp "$jar:$(cat "$cp_file")" org.taobaovillages.cli.Main "$@"
