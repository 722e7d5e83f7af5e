#!/usr/bin/env bash
# Runs taobao-villages with embedded local Spark on this machine: jobs/run-local.sh <subcommand> [options]
# Builds the application jar with Maven on first use (or when sources changed). Needs only Java 17 and Maven.
#   TV_DRIVER_MEMORY  heap of the local Spark driver (default 4g)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
source "$here/java-opens.sh"
jar="$top/target/taobao-villages-0.1.0-SNAPSHOT.jar"
cp_file="$top/target/runtime-classpath.txt"
if [[ ! -f $jar || ! -f $cp_file || -n "$(find "$top/src/main" "$top/conf" "$top/pom.xml" -newer "$jar" -print -quit)" ]]; then
  echo "building the application jar (first run downloads Spark's dependencies; a few minutes)..." >&2
  (cd "$top" && mvn -q -B -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=compile) >&2
fi
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
# shellcheck disable=SC2086
exec java -Xmx"${TV_DRIVER_MEMORY:-4g}" $SPARK_JAVA_OPENS \
  -Dlog4j2.configurationFile="$top/conf/log4j2.properties" \
  -cp "$jar:$(cat "$cp_file")" org.taobaovillages.cli.Main "$@"
